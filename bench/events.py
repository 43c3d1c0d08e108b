"""Events between two instances: a report filed through instance B, its reportChanged frame on a
subscriber's WebSocket on instance A. Over Redis pub/sub and over PostgreSQL LISTEN/NOTIFY.

Two `madoguchi serve` processes on one throwaway PostgreSQL (and Redis for the first transport);
a staff member subscribes on A; reports are filed one after another through B (HTTP). For each:
the time from sending the mutation to B until its frame arrives on A, and, as the baseline in
the same run, until B's own answer arrives. The difference is what carrying the event to the
other instance adds (the frame is published once B's transaction commits, before B answers).

Run: python bench/events.py [--events 300] [--transports redis,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg
import httpx
import websockets
from tortoise import Tortoise

from core import database
from tests.reports.world import SUBMIT, World
from tests.support.instances import Instance
from tests.support.postgres import start_cluster
from tests.support.redis import start_redis

SECRET = "bench-secret-" + "x" * 40
SUBSCRIBE = "subscription { reportChanged { id } }"
AREA = ((37.55, 37.65), (140.38, 140.50))  # inside 二本松市's service area


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


async def fresh_database(cluster, name: str) -> str:
    admin = await asyncpg.connect(cluster.dsn())
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = cluster.dsn(name)
    await database.migrate(database.tortoise_config(url))
    await Tortoise.close_connections()
    return url


async def people(url: str, settings_env: dict[str, str]):
    from tests.conftest import make_settings

    await database.init(database.tortoise_config(url))
    try:
        settings = make_settings(Path(tempfile.mkdtemp()), url, **settings_env)
        world = World(None, None, settings)  # type: ignore[arg-type]  # the database only
        await world.seed()
        return await world.staff(), await world.resident()
    finally:
        await Tortoise.close_connections()


async def answered(http: httpx.AsyncClient, report: dict, token: str) -> tuple[dict, float]:
    response = await http.post(
        "/graphql",
        json={"query": SUBMIT, "variables": {"input": report}},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.json(), time.perf_counter()


async def measure(label: str, env: dict[str, str], count: int, workdir: Path) -> tuple:
    url = env["DATABASE_URL"]
    clerk, resident = await people(url, {"SECRET_KEY": SECRET})
    a, b = (
        Instance(
            {**env, "VAR_DIR": str(workdir / f"{label}-{name}")}, workdir / f"{label}-{name}.log"
        )
        for name in ("a", "b")
    )
    await asyncio.gather(a.start(), b.start())
    try:
        ws = await websockets.connect(a.ws_url, subprotocols=["graphql-transport-ws"])
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {clerk.token}"}}
        await ws.send(json.dumps(init))
        await ws.recv()
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        await asyncio.sleep(0.5)
        to_frame, to_answer = [], []
        rng = random.Random(14)
        async with httpx.AsyncClient(base_url=b.url, timeout=30) as http:
            for n in range(count + 20):  # the first 20 warm both up
                report = {
                    "categoryCode": "road_damage",
                    "description": f"bench {n}",
                    "lat": rng.uniform(*AREA[0]),
                    "lng": rng.uniform(*AREA[1]),
                }
                sent = time.perf_counter()
                answer_task = asyncio.create_task(answered(http, report, resident.token))
                frame = json.loads(await asyncio.wait_for(ws.recv(), 30))
                framed_at = time.perf_counter()
                answer, answered_at = await answer_task
                assert not answer.get("errors"), answer
                report_id = answer["data"]["submitReport"]["report"]["id"]
                assert frame["payload"]["data"]["reportChanged"]["id"] == report_id, frame
                if n >= 20:
                    to_frame.append((framed_at - sent) * 1000)
                    to_answer.append((answered_at - sent) * 1000)
        await ws.close()
    finally:
        a.stop()
        b.stop()
    return to_frame, to_answer


async def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--transports", default="redis,postgres")
    args = parser.parse_args()
    cluster, redis = start_cluster(), start_redis()
    workdir = Path(tempfile.mkdtemp(prefix="bench-events-"))
    print(f"{date.today()}: {args.events} reports filed through B, frames on A's WebSocket")
    print(f"{'transport':22}{'from sending to B':>16}{'median ms':>11}{'p99 ms':>9}")
    try:
        for transport in args.transports.split(","):
            env = {
                "DATABASE_URL": await fresh_database(cluster, f"events_{uuid.uuid4().hex[:8]}"),
                "SECRET_KEY": SECRET,
                "NO_DEMO_SEED": "1",
                "RATE_LIMIT_PER_MINUTE": "1000000",
                "REPORTS_PER_HOUR": "1000000",
            }
            if transport == "redis":
                env["REDIS_URL"] = redis.url()
            frames, answers = await measure(transport, env, args.events, workdir)
            name = "Redis pub/sub" if transport == "redis" else "PostgreSQL NOTIFY"
            gaps = [f - a for f, a in zip(frames, answers, strict=True)]
            for label, samples in (
                ("frame on A", frames),
                ("answer from B", answers),
                ("frame - answer", gaps),
            ):
                print(f"{name:22}{label:>16}{statistics.median(samples):11.2f}{p99(samples):9.2f}")
            print(
                f"{name:22} frame/answer median ratio "
                f"{statistics.median(frames) / statistics.median(answers):.2f}"
            )
    finally:
        cluster.stop()
        redis.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
