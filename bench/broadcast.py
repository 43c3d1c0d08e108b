"""An emergency broadcast to a city: time to reach everyone, rate per channel, nothing lost.

The residents (default 100,000: 70 % with the app, reached by push; 30 % only on Telegram)
are written, the broadcast enqueued (`start_broadcast`, timed), then `madoguchi serve`
runs in its own process against a fake Telegram Bot API that enforces 30 msg/s overall
(1,000 with paid broadcast), 1/s per chat and answers random 429s, and a fake FCM HTTP v1
that enforces its own rate. Optionally the server is killed with SIGKILL halfway through
the push phase and/or the Telegram phase and started again. At the end every device and
chat must have exactly one message (counted by the fakes) and the ledger must agree.

Prints: the enqueue cost for the ids (median, p99 of --runs, ratio to a bare INSERT of the
same rows in the same process); per channel the time until the last recipient was reached
(from the server's start), the delivery rate over the middle 90 % of the sends and its
ratio to the configured limit; refusals; lost and duplicated messages.

Run: python bench/broadcast.py [--database sqlite|postgres] [--recipients 100000]
       [--app-share 0.7] [--paid] [--kill-push 0.5] [--kill-telegram 0.5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tortoise import Tortoise, connections

from accounts.models import Resident
from core import database
from notifications.broadcasts.models import Broadcast
from notifications.broadcasts.service import delivery_counts, start_broadcast
from notifications.channels.push.models import PushDevice
from notifications.models import Delivery
from tests.fakes.fcm import FakeFcmServer
from tests.fakes.telegram import FakeTelegramServer
from tests.support.postgres import start_cluster
from tests.support.process import ServerProcess

FIRST_CHAT = 10_000_000
SECRET = "bench-secret-key-" + "x" * 40


async def populate(url: str, recipients: int, app_share: float, fcm: FakeFcmServer) -> list[int]:
    await database.migrate(database.tortoise_config(url))
    await Tortoise.close_connections()
    await database.init(database.tortoise_config(url))
    app_users = int(recipients * app_share)
    await Resident.bulk_create(
        [
            Resident(display_name=f"住民{n}", language="ja" if n % 10 else "en")
            for n in range(app_users)
        ],
        batch_size=2000,
    )
    await Resident.bulk_create(
        [
            Resident(
                display_name=f"住民{n}",
                telegram_user_id=FIRST_CHAT + n,
                telegram_chat_id=FIRST_CHAT + n,
            )
            for n in range(recipients - app_users)
        ],
        batch_size=2000,
    )
    ids = await Resident.all().order_by("id").values_list("id", flat=True)
    await PushDevice.bulk_create(
        [
            PushDevice(resident_id=rid, token=fcm.device(), platform="android")
            for rid in ids[:app_users]
        ],
        batch_size=2000,
    )
    return list(ids)


async def enqueue_cost(ids: list[int], runs: int) -> tuple[list[float], list[float]]:
    """start_broadcast for all ids, `runs` times (undone after each), and the baseline."""
    client = connections.get("default")
    await client.execute_script("CREATE TABLE bench_baseline (resident_id INT, broadcast_id INT)")
    marks = "?, ?" if client.capabilities.dialect == "sqlite" else "$1, $2"
    ours, baseline = [], []
    for run in range(runs):
        started = time.perf_counter()
        await start_broadcast(
            alert_id=900_000 + run, message_key="notifications.linked", params={}, resident_ids=ids
        )
        ours.append(time.perf_counter() - started)
        await Broadcast.filter(alert_id=900_000 + run).delete()
        started = time.perf_counter()
        await client.execute_many(
            f"INSERT INTO bench_baseline VALUES ({marks})", [[rid, run] for rid in ids]
        )
        baseline.append(time.perf_counter() - started)
    await client.execute_script("DROP TABLE bench_baseline")
    return ours, baseline


class Progress:
    """When each message arrived at the fakes (first time per recipient)."""

    def __init__(self, tg: FakeTelegramServer, fcm: FakeFcmServer) -> None:
        self.tg, self.fcm = tg, fcm
        self.samples: list[tuple[float, int, int]] = []

    def telegram(self) -> int:
        return len(self.tg.calls_to("sendMessage"))

    def push(self) -> int:
        return len(self.fcm.messages)

    async def sample(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.samples.append((time.monotonic(), self.push(), self.telegram()))
            await asyncio.sleep(0.25)


def rate(samples: list[tuple[float, int]], total: int) -> tuple[float, float, float]:
    """(time of the first send, time the last arrived, msg/s over the middle 90 %)."""

    def when(count: int) -> float:
        return next(t for t, n in samples if n >= count)

    first, last = when(1), when(total)
    low, high = when(max(1, int(total * 0.05))), when(max(1, int(total * 0.95)))
    middle = (int(total * 0.95) - int(total * 0.05)) / max(high - low, 1e-9)
    return first, last, middle


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(values):.2f} s, p99 {p99:.2f} s"


async def wait_until(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the broadcast did not finish in time")
        await asyncio.sleep(0.1)


async def wait_for_the_end(progress: Progress, expected: int, quiet_for: float = 30.0) -> None:
    """Until every recipient got the message, or nothing arrived for `quiet_for` seconds
    (then what is missing was lost)."""
    last, since = -1, time.monotonic()
    while True:
        now_count = progress.push() + progress.telegram()
        if now_count >= expected:
            return
        if now_count != last:
            last, since = now_count, time.monotonic()
        elif time.monotonic() - since > quiet_for:
            return
        await asyncio.sleep(0.25)


async def main(args: argparse.Namespace) -> None:
    cluster = None
    work = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    if args.database == "postgres":
        cluster = start_cluster()
        url = cluster.dsn()
    else:
        url = f"sqlite://{work / 'bench.sqlite3'}"
    try:
        await run(args, url, work)
    finally:
        if cluster is not None:
            cluster.stop()


async def run(args: argparse.Namespace, url: str, work: Path) -> None:
    async with FakeTelegramServer() as tg, FakeFcmServer(rate_per_second=args.fcm_limit) as fcm:
        flood = tg.enforce_limits(per_second=30, per_chat_seconds=1.0, random_429=args.random_429)
        ids = await populate(url, args.recipients, args.app_share, fcm)
        ours, baseline = await enqueue_cost(ids, args.runs)
        if args.enqueue_only:
            await Tortoise.close_connections()
            print(
                f"enqueue {len(ids):,} ids on {args.database}: {summary(ours)}; bare INSERT "
                f"{summary(baseline)}; ratio {statistics.median(ours) / statistics.median(baseline):.2f}"
            )
            return
        await start_broadcast(
            alert_id=1, message_key="notifications.linked", params={}, resident_ids=ids
        )
        await Tortoise.close_connections()
        app_users = int(args.recipients * args.app_share)
        on_telegram = args.recipients - app_users
        env = {
            "DATABASE_URL": url,
            "VAR_DIR": str(work / "var"),
            "SECRET_KEY": SECRET,
            "NO_DEMO_SEED": "1",
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE": tg.base_url,
            "TELEGRAM_RATE_PER_SECOND": str(args.telegram_rate),
            "TELEGRAM_PAID_BROADCAST": "1" if args.paid else "0",
            "FCM_CREDENTIALS": str(fcm.write_credentials(work)),
            "FCM_API_BASE": fcm.base_url,
            "FCM_IID_BASE": fcm.base_url,
            "PUSH_RATE_PER_SECOND": str(args.push_rate),
            "DELIVERY_LEASE_SECONDS": "10",
            "DB_POOL_MAX": "20",
        }
        progress = Progress(tg, fcm)
        stop = asyncio.Event()
        sampler = asyncio.create_task(progress.sample(stop))
        server = ServerProcess(env, work / "serve.log")
        started = time.monotonic()
        kills = 0
        try:
            await server.start()
            if args.kill_push:
                await wait_until(lambda: progress.push() >= app_users * args.kill_push, 900)
                server.kill()
                kills += 1
                await server.start()
            if args.kill_telegram:
                await wait_until(
                    lambda: progress.telegram() >= on_telegram * args.kill_telegram, 7200
                )
                server.kill()
                kills += 1
                await server.start()
            await wait_for_the_end(progress, app_users + on_telegram)
            await asyncio.sleep(12)  # lapsed leases: nothing more may arrive
        finally:
            stop.set()
            await sampler
            server.stop()
        await database.init(database.tortoise_config(url))
        counts = await delivery_counts(1)
        unknown = await Delivery.filter(status="sending").count()
        unknown_chats = set(
            await Delivery.filter(status="sending", channel="telegram").values_list(
                "address", flat=True
            )
        )
        await Tortoise.close_connections()

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"# load average {load} at the end (2 cores, shared)")
    print(
        f"# broadcast to {args.recipients:,} residents on {args.database}: "
        f"{app_users:,} by push, {on_telegram:,} by Telegram; paid broadcast "
        f"{'on' if args.paid else 'off'}; kill -9: {kills}"
    )
    print(
        f"enqueue {len(ids):,} ids: {summary(ours)}; bare INSERT {summary(baseline)}; "
        f"ratio {statistics.median(ours) / statistics.median(baseline):.2f}"
    )
    pushes = [(t - started, p) for t, p, _ in progress.samples]
    grams = [(t - started, g) for t, _, g in progress.samples]
    _, push_last, push_rate = rate(pushes, len(fcm.received))
    _, tg_last, tg_rate = rate(grams, len(tg.calls_to("sendMessage")))
    tg_limit = 1000 if args.paid else args.telegram_rate
    print(
        f"push: every app user reached after {push_last:.1f} s; {push_rate:,.0f} msg/s "
        f"(limit {args.push_rate:,}: {push_rate / args.push_rate:.2f}); FCM refusals "
        f"{dict(fcm.refused)}"
    )
    print(
        f"telegram: everyone reached after {tg_last:.1f} s; {tg_rate:,.1f} msg/s "
        f"(limit {tg_limit}: {tg_rate / tg_limit:.2f}); 429s {dict(flood.refused)}; paid "
        f"{flood.paid_messages:,}"
    )
    chats = Counter(call.params["chat_id"] for call in tg.calls_to("sendMessage"))
    lost = (app_users - len(fcm.received)) + (on_telegram - len(chats))
    shown_twice = sum(len(tags) - 1 for tags in fcm.shown.values())
    duplicated = shown_twice + sum(n - 1 for n in chats.values())
    resent = sum(n - 1 for n in fcm.received.values())
    missing_chats = {str(FIRST_CHAT + n) for n in range(on_telegram)} - {str(c) for c in chats}
    print(
        f"lost {lost}, duplicated {duplicated} (push sent again under its collapse key: "
        f"{resent}, shown once); rows with unknown outcome {unknown}, of which lost "
        f"{len(missing_chats & unknown_chats)}; lost without the ledger saying so "
        f"{len(missing_chats - unknown_chats)}"
    )
    print(f"ledger: {counts}")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--app-share", type=float, default=0.7)
    parser.add_argument("--paid", action="store_true", help="TELEGRAM_PAID_BROADCAST on")
    parser.add_argument("--telegram-rate", type=int, default=25)
    parser.add_argument("--push-rate", type=int, default=2000)
    parser.add_argument("--fcm-limit", type=int, default=3000, help="the fake FCM's own rate")
    parser.add_argument("--random-429", type=float, default=0.01)
    parser.add_argument("--kill-push", type=float, default=0.0, help="SIGKILL at this share")
    parser.add_argument("--kill-telegram", type=float, default=0.0)
    parser.add_argument("--runs", type=int, default=3, help="enqueue timings")
    parser.add_argument("--enqueue-only", action="store_true", help="stop after the enqueue")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse()))
