"""The 9:00 rush: 1,000 residents press holdSlot at the same moment, over HTTP, on 10 slots.

The app runs in its own process under a real uvicorn on loopback; an httpx client sends
1,000 concurrent holdSlot mutations, 100 per slot, each from a different resident. Every
answer is checked: exactly 10 HELD, 990 SLOT_TAKEN, nothing else. Then, as a baseline
measured in the same run, the same 1,000 residents each ask `me` (an authenticated read).
Runs on SQLite (a file) and on PostgreSQL (a throwaway local cluster).

Prints throughput (requests/s), latency (median, p99) and the server process's CPU time
per request for both, and the ratios (wall time; server CPU, which a loaded machine moves
less, and which leaves out PostgreSQL's own processes).

With `--processes 1,2` each PostgreSQL run is made once per number of app processes
(`madoguchi serve --workers N`, a fresh database each time), and the p99 of the rush is
given as a ratio to the one-process run.

Run: python bench/holds.py [--requests 1000] [--slots 10] [--databases sqlite,postgres]
       [--processes 1,2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg
import httpx
import psutil
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from accounts.models import Resident
from booking.models import Facility, Space, SpaceKind
from booking.rules import (
    AdvanceWindow,
    FixedGrid,
    FixedPeriod,
    Label,
    OpeningHours,
    Period,
    SpaceRules,
)
from booking.rules.as_json import rules_to_json
from core import clock as app_clock
from core import database, security
from core.clock import TOKYO

SECRET = "bench-secret-" + "x" * 40
HOLD = """mutation Hold($spaceId: ID!, $start: DateTime!, $end: DateTime!) {
  holdSlot(spaceId: $spaceId, start: $start, end: $end) { id status }
}"""
ME = "query { me { id } }"
CONNECTIONS_PER_CLIENT = 50
MORNING = FixedPeriod(Label("午前", "Morning"), clock(9), clock(12))
RULES = SpaceRules(
    OpeningHours.same_every_day(Period(clock(9), clock(21))),
    FixedGrid((MORNING,)),
    AdvanceWindow(opens_months=2, closes_days=1),
)


def environment(database_url: str, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": SECRET,
        "NO_DEMO_SEED": "1",
        "RATE_LIMIT_PER_MINUTE": "1000000",
        "DB_POOL_MAX": "20",
        "ACCESS_TOKEN_MINUTES": "120",
        # Online payment on, as in a city that takes fees: a hold is what precedes a payment.
        # No request reaches Stripe (holdSlot only holds; checkout is not called), and under
        # `serve` the workers' reconciliation finds a base that leads nowhere.
        "STRIPE_API_KEY": "sk_test_bench_never_sent",
        "STRIPE_API_BASE": "http://127.0.0.1:9",
    }


async def prepare(
    database_url: str, requests: int, slots: int
) -> tuple[list[str], list[int], date]:
    """Migrate, then write the facility (one space per slot) and the residents' tokens."""
    EXECUTOR_CACHE.clear()  # Tortoise keeps INSERT statements per connection name, not dialect
    config = database.tortoise_config(database_url)
    await database.migrate(config)
    await Tortoise.close_connections()
    await database.init(config)
    try:
        facility = await Facility.create(
            name_ja="ベンチ体育館", name_en="Bench Gym", address_ja="二本松市"
        )
        spaces = [
            await Space.create(
                facility=facility,
                kind=SpaceKind.ROOM,
                name_ja=f"室{n}",
                name_en=f"Room {n}",
                rules=rules_to_json(RULES),
                resident_price_yen=1000,
            )
            for n in range(slots)
        ]
        await Resident.bulk_create([Resident(display_name=f"住民{n}") for n in range(requests)])
        people = await Resident.all().order_by("id").limit(requests)
        tokens = [security.issue_access_token(SECRET, f"r:{p.public_id}", 120) for p in people]
    finally:
        await Tortoise.close_connections()
    day = app_clock.now().astimezone(TOKYO).date() + timedelta(days=7)
    return tokens, [space.id for space in spaces], day


def start_server(env: dict[str, str], port: int, processes: int = 0) -> subprocess.Popen:
    """The app alone under uvicorn; with `processes`, `madoguchi serve --workers N` (the way
    several processes run, workers and all)."""
    if processes:
        served = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
        command = [sys.executable, "-m", "cli", "serve", "--workers", str(processes)]
        with open(Path(env["VAR_DIR"]) / "serve.log", "ab") as log:  # its access lines too
            return subprocess.Popen(command, cwd=ROOT, env=served, stdout=log, stderr=log)
    code = (
        "import uvicorn, app; from core.settings import load_settings; "
        f"uvicorn.run(app.create_app(load_settings(), start_workers=False), host='127.0.0.1', "
        f"port={port}, log_level='warning', backlog=4096)"
    )
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)


async def wait_until_up(base: str, server: subprocess.Popen) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(1200):  # serve imports the bot and every domain: slow on a busy machine
            if server.poll() is not None:
                raise RuntimeError("the server stopped during start-up")
            try:
                if (await http.get(base + "/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not come up")


async def fire(
    base: str, bodies: list[dict], tokens: list[str]
) -> tuple[list[dict], list[float], float]:
    """Send every request at once; answers, latencies (ms) and wall time (s).

    One connection per request, spread over several clients: httpx's pool does work
    per request proportional to its size, and a single pool of 1,000 would measure the
    client rather than the server.
    """
    clients = [
        httpx.AsyncClient(
            base_url=base, limits=httpx.Limits(max_connections=CONNECTIONS_PER_CLIENT), timeout=120
        )
        for _ in range(0, len(bodies), CONNECTIONS_PER_CLIENT)
    ]
    start_line = asyncio.Event()

    async def one(index: int) -> tuple[dict, float]:
        http = clients[index // CONNECTIONS_PER_CLIENT]
        await start_line.wait()
        started = time.perf_counter()
        response = await http.post(
            "/graphql", json=bodies[index], headers={"Authorization": f"Bearer {tokens[index]}"}
        )
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            return {"errors": [{"extensions": {"code": f"HTTP {response.status_code}"}}]}, elapsed
        return response.json(), elapsed

    try:
        tasks = [asyncio.create_task(one(index)) for index in range(len(bodies))]
        await asyncio.sleep(0.2)
        began = time.perf_counter()
        start_line.set()
        results = await asyncio.gather(*tasks)
        wall = time.perf_counter() - began
    finally:
        for http in clients:
            await http.aclose()
    return [answer for answer, _ in results], [ms for _, ms in results], wall


def outcome(answer: dict) -> str:
    if answer.get("errors"):
        return answer["errors"][0].get("extensions", {}).get("code", "?")
    return next(iter(answer["data"].values())).get("status", "OK") if answer.get("data") else "?"


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def server_cpu(server: psutil.Process) -> float:
    """CPU seconds of the server and (under `serve --workers`) its worker processes."""
    processes = [server, *server.children(recursive=True)]
    return sum(sum(process.cpu_times()[:2]) for process in processes)


async def run_one(
    name: str, database_url: str, requests: int, slots: int, port: int, processes: int = 0
) -> tuple[bool, float]:
    """Whether every answer was right, and the rush's p99 (ms)."""
    with tempfile.TemporaryDirectory(prefix="bench-holds-") as tmp:
        tokens, space_ids, day = await prepare(database_url, requests, slots)
        start = datetime.combine(day, MORNING.starts, TOKYO).isoformat()
        end = datetime.combine(day, MORNING.ends, TOKYO).isoformat()
        holds = [
            {
                "query": HOLD,
                "variables": {"spaceId": str(space_ids[n % slots]), "start": start, "end": end},
            }
            for n in range(requests)
        ]
        server = start_server(environment(database_url, Path(tmp)), port, processes)
        base = f"http://127.0.0.1:{port}"
        try:
            await wait_until_up(base, server)
            await fire(base, [{"query": ME}] * 50, tokens[:50])  # warm up connections and caches
            cpu = psutil.Process(server.pid)
            warm_cpu = server_cpu(cpu)
            answers, hold_ms, hold_wall = await fire(base, holds, tokens)
            hold_cpu = server_cpu(cpu)
            reads, read_ms, read_wall = await fire(base, [{"query": ME}] * requests, tokens)
            read_cpu = server_cpu(cpu) - hold_cpu
            hold_cpu -= warm_cpu
        finally:
            server.terminate()
            server.wait(timeout=30)
    counts = Counter(outcome(answer) for answer in answers)
    if any(not (answer.get("data") or {}).get("me") for answer in reads):
        raise RuntimeError(f"`me` was not answered: {reads[0]}")
    expected = Counter({"HELD": slots, "SLOT_TAKEN": requests - slots})
    verdict = "ok" if counts == expected else f"WRONG, expected {dict(expected)}"
    print(f"\n{name}: {requests} holdSlot on {slots} slots -> {dict(counts)}  {verdict}")
    print(f"{'':16}{'req/s':>9}{'median ms':>11}{'p99 ms':>9}{'server CPU ms/req':>19}")
    for label, samples, wall, cpu_s in (
        ("holdSlot", hold_ms, hold_wall, hold_cpu),
        ("me (baseline)", read_ms, read_wall, read_cpu),
    ):
        print(
            f"{label:16}{requests / wall:9.0f}{statistics.median(samples):11.1f}"
            f"{p99(samples):9.1f}{cpu_s * 1000 / requests:19.2f}"
        )
    print(
        f"holdSlot takes {hold_wall / read_wall:.2f}x the time of the baseline, "
        f"{hold_cpu / read_cpu:.2f}x its server CPU time"
    )
    return counts == expected, p99(hold_ms)


async def postgres_url(cluster=None, name: str = "bench_holds") -> tuple[str, object]:
    from tests.support.postgres import start_cluster

    cluster = cluster or start_cluster()
    admin = await asyncpg.connect(cluster.dsn())
    await admin.execute(f"CREATE DATABASE {name}")
    await admin.close()
    return cluster.dsn(name), cluster


async def compare_processes(args, counts: list[int]) -> bool:
    url, cluster = await postgres_url(name="bench_holds_0")
    good, p99s = True, {}
    try:
        for run, processes in enumerate(counts):
            if run:
                url, _ = await postgres_url(cluster, f"bench_holds_{run}")
            label = f"PostgreSQL, {processes} process{'es' if processes > 1 else ''}"
            ok, p99s[processes] = await run_one(
                label, url, args.requests, args.slots, args.port, processes
            )
            good &= ok
    finally:
        cluster.stop()  # type: ignore[attr-defined]
    first = p99s[counts[0]]
    print("\nrush p99 as a ratio to " + f"{counts[0]} process(es): ", end="")
    print(", ".join(f"{n}: {p99s[n] / first:.2f}" for n in counts))
    return good


async def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--slots", type=int, default=10)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--processes", default="", help="e.g. 1,2: PostgreSQL under serve --workers"
    )
    args = parser.parse_args()
    print(f"{date.today()}: {args.requests} concurrent holdSlot over HTTP, uvicorn on loopback")
    good = True
    for name in args.databases.split(","):
        if name == "sqlite":
            with tempfile.TemporaryDirectory(prefix="bench-db-") as tmp:
                ok, _ = await run_one(
                    "SQLite", f"sqlite://{tmp}/bench.sqlite3", args.requests, args.slots, args.port
                )
                good &= ok
        elif name == "postgres" and args.processes:
            good &= await compare_processes(args, [int(n) for n in args.processes.split(",")])
        elif name == "postgres":
            url, cluster = await postgres_url()
            try:
                ok, _ = await run_one("PostgreSQL", url, args.requests, args.slots, args.port)
                good &= ok
            finally:
                cluster.stop()
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
