"""Where one push costs CPU when every device gets its own request (FCM HTTP v1).

Writes --devices residents with one device each, enqueues a broadcast to them sent device by
device (as alerts were before push by topic, and as exercises still are), then runs the
worker's rounds in this process under cProfile until every push has left, against the fake
FCM on loopback (its own CPU shows apart, under tests/fakes). Prints the rate, and the share
of the process's time per stage: the ledger's statements (claim, in flight, delivered),
rendering each message, the HTTP client (aiohttp, JSON), the fake server (cumulative time of each stage's entry point, per push).

Run: python bench/push_round.py [--devices 3000] [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tortoise import Tortoise

from accounts.models import Resident
from core import database
from core.settings.delivery import load_delivery
from notifications.broadcasts.service import start_broadcast
from notifications.channels.push.fcm import FcmChannel
from notifications.channels.push.models import PushDevice
from notifications.worker import OutboxWorker
from tests.fakes.fcm import FakeFcmServer
from tests.support.postgres import start_cluster

# Entry points of each stage: (file, function); a stage's time is their cumulative time
# (a coroutine's time while it waits is not counted, so this is close to CPU time).
STAGES = {
    "claim (UPDATE, then SELECT with the message)": (("notifications/ledger.py", "claim"),),
    "in flight (UPDATE per group of 10)": (("notifications/ledger.py", "in_flight"),),
    "delivered (UPDATE per group)": (("notifications/ledger.py", "delivered"),),
    "rendering the message": (("notifications/worker.py", "_outgoing"),),
    "HTTP request (aiohttp, JSON)": (("notifications/channels/push/fcm.py", "send"),),
    "fan-out into ledger rows": (("notifications/broadcasts/fanout.py", "fan_out_once"),),
    "the fake FCM server (same process)": (("tests/fakes/fcm.py", "_send"),),
}


async def run(args: argparse.Namespace, url: str, work: Path) -> None:
    await database.migrate(database.tortoise_config(url))
    await Tortoise.close_connections()
    await database.init(database.tortoise_config(url))
    async with FakeFcmServer() as fcm:
        await Resident.bulk_create(
            [Resident(display_name=f"住民{n}") for n in range(args.devices)], batch_size=2000
        )
        ids = await Resident.all().values_list("id", flat=True)
        await PushDevice.bulk_create(
            [PushDevice(resident_id=rid, token=fcm.device(), platform="android") for rid in ids],
            batch_size=2000,
        )
        await start_broadcast(
            alert_id=1, message_key="notifications.linked", params={}, resident_ids=list(ids)
        )
        settings = load_delivery(
            {
                "FCM_CREDENTIALS": str(fcm.write_credentials(work)),
                "FCM_API_BASE": fcm.base_url,
                "FCM_IID_BASE": fcm.base_url,
                "PUSH_RATE_PER_SECOND": "100000",
            }
        )
        assert settings.fcm is not None
        channel = FcmChannel(settings, settings.fcm)
        worker = OutboxWorker({channel.channel: channel}, settings=settings)
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        while len(fcm.received) < args.devices:
            await worker.run_once()
        profile.disable()
        elapsed = time.perf_counter() - started
        await worker.close()
    await Tortoise.close_connections()
    print(
        f"{args.devices:,} pushes device by device on {args.database}: {elapsed:.1f} s, "
        f"{args.devices / elapsed:,.0f} a second (under cProfile, which slows it)"
    )
    report(pstats.Stats(profile), args.devices)


def report(stats: pstats.Stats, pushes: int) -> None:
    rows = stats.stats  # type: ignore[attr-defined]
    for stage, entries in STAGES.items():
        seconds = sum(
            row[3]
            for (filename, _, name), row in rows.items()
            if any(filename.endswith(path) and name == function for path, function in entries)
        )
        print(f"  {stage:<46} {seconds:6.2f} s  {seconds / pushes * 1000:6.2f} ms a push")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, default=3000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="madoguchi-push-"))
    cluster = start_cluster() if args.database == "postgres" else None
    url = cluster.dsn() if cluster else f"sqlite://{work / 'push.sqlite3'}"
    try:
        asyncio.run(run(args, url, work))
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
