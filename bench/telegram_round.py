"""Where one Telegram message of an alert costs CPU, at the paid rate.

Writes --chats residents with a Telegram chat each, enqueues a broadcast to them and fans it
out, then runs the worker's rounds in this process until every message has left, against the
fake Bot API on loopback with its flood control (1,000 paid messages a second, one a second
per chat). First without a profiler (the rate), then again on a fresh broadcast under
cProfile: the share of the time per stage (the ledger's statements, rendering, the HTTP
client, the fake server's own, in the same process). The baseline, in the same process: the
same number of bare `bot.send_message` calls (aiogram, no ledger), 50 at a time.

Run: python bench/telegram_round.py [--chats 3000] [--database sqlite|postgres] [--no-profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramRetryAfter
from tortoise import Tortoise

from accounts.models import Resident
from core import database
from core.settings.delivery import load_delivery
from notifications.broadcasts.fanout import fan_out_once
from notifications.broadcasts.service import start_broadcast
from notifications.channels.telegram import TelegramChannel
from notifications.models import Delivery, LedgerStatus
from notifications.worker import OutboxWorker
from tests.fakes.telegram import FakeTelegramServer
from tests.support.postgres import start_cluster

FIRST_CHAT = 20_000_000
# Entry points of each stage: (file, function); a stage's time is their cumulative time
# (a coroutine's time while it waits is not counted, so this is close to CPU time).
STAGES = {
    "choose and claim (due, last taken, claim)": (("notifications/worker.py", "_claim"),),
    "in flight (UPDATE per group of 10)": (("notifications/ledger.py", "in_flight"),),
    "delivered (UPDATE per group)": (("notifications/ledger.py", "delivered"),),
    "failed (429s, per row)": (("notifications/ledger.py", "failed"),),
    "rendering the messages": (("notifications/worker.py", "_outgoing"),),
    "the channel's send (request, answer)": (("notifications/channels/telegram.py", "send"),),
    "the fake Bot API (same process)": (("tests/fakes/telegram.py", "_handle_method"),),
}


async def populate(chats: int) -> list[int]:
    await Resident.bulk_create(
        [
            Resident(
                display_name=f"住民{n}",
                language="ja" if n % 10 else "en",
                telegram_user_id=FIRST_CHAT + n,
                telegram_chat_id=FIRST_CHAT + n,
            )
            for n in range(chats)
        ],
        batch_size=2000,
    )
    return list(await Resident.all().order_by("id").values_list("id", flat=True))


async def broadcast(alert_id: int, ids: list[int]) -> None:
    await start_broadcast(
        alert_id=alert_id, message_key="notifications.linked", params={}, resident_ids=ids
    )
    while await fan_out_once():
        pass


async def deliver(worker: OutboxWorker, alert_id: int, chats: int) -> float:
    """Seconds until every message of the broadcast is delivered."""
    from notifications.broadcasts.models import Broadcast

    found = await Broadcast.get(alert_id=alert_id)
    started = time.perf_counter()
    done = 0
    while done < chats:
        await worker.run_once()
        done = await Delivery.filter(broadcast_id=found.id, status=LedgerStatus.DELIVERED).count()
        if done < chats:
            await asyncio.sleep(0.01)  # rows deferred for a second (a 429) come due
    return time.perf_counter() - started


async def bare_sends(tg: FakeTelegramServer, chats: int) -> float:
    """aiogram alone: the same number of sendMessage calls, 50 at a time, no ledger."""
    bot = Bot(tg.token, session=AiohttpSession(api=tg.api_server))
    slots = asyncio.Semaphore(50)

    async def one(n: int) -> None:
        async with slots:
            while True:
                try:
                    await bot.send_message(
                        FIRST_CHAT + 5_000_000 + n, "x" * 60, allow_paid_broadcast=True
                    )
                    return
                except TelegramRetryAfter as flood:  # over the paid rate: as a client would
                    await asyncio.sleep(flood.retry_after)

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(chats)))
    elapsed = time.perf_counter() - started
    await bot.session.close()
    return elapsed


async def run(args: argparse.Namespace, url: str) -> None:
    await database.migrate(database.tortoise_config(url))
    await Tortoise.close_connections()
    await database.init(database.tortoise_config(url))
    try:
        await measure(args)
    finally:  # an open SQLite connection's thread would keep the process from exiting
        await Tortoise.close_connections()


async def measure(args: argparse.Namespace) -> None:
    async with FakeTelegramServer() as tg:
        flood = tg.enforce_limits(per_second=30, per_chat_seconds=1.0, random_429=0.0)
        ids = await populate(args.chats)
        settings = load_delivery(
            {
                "TELEGRAM_PAID_BROADCAST": "1",
                "TELEGRAM_BOT_TOKEN": tg.token,
                "TELEGRAM_API_BASE": tg.base_url,
            }
        )
        channel = TelegramChannel(
            Bot(tg.token, session=AiohttpSession(api=tg.api_server)), settings
        )
        worker = OutboxWorker({channel.channel: channel}, settings=settings)
        rates, bare = [], []
        for run_number in range(args.runs):
            await broadcast(10 + run_number, ids)
            seconds = await deliver(worker, 10 + run_number, args.chats)
            rates.append(args.chats / seconds)
            bare.append(args.chats / await bare_sends(tg, args.chats))
            await asyncio.sleep(1.1)  # each chat may get the next alert
        stats = None
        if not args.no_profile:
            await broadcast(99, ids)
            profile = cProfile.Profile()
            profile.enable()
            profiled = await deliver(worker, 99, args.chats)
            profile.disable()
            stats = pstats.Stats(profile)
        await worker.close()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"# load average {load} at the end (2 cores, shared); {args.database}")
    print(
        f"{args.chats:,} Telegram messages (paid, limit {settings.telegram_paid_rate_per_second}/s)"
        f" through the ledger, {args.runs} runs: median {statistics.median(rates):,.1f} msg/s"
        f" (min {min(rates):,.1f}, max {max(rates):,.1f}); bare aiogram sends median"
        f" {statistics.median(bare):,.1f}/s; ratio {statistics.median(rates) / statistics.median(bare):.2f}"
    )
    print(f"429s from the fake: {dict(flood.refused)}")
    if stats is not None:
        print(f"under cProfile: {args.chats / profiled:,.1f} msg/s; per message:")
        report(stats, args.chats)


def report(stats: pstats.Stats, messages: int) -> None:
    rows = stats.stats  # type: ignore[attr-defined]
    for stage, entries in STAGES.items():
        seconds = sum(
            row[3]
            for (filename, _, name), row in rows.items()
            if any(filename.endswith(path) and name == function for path, function in entries)
        )
        print(f"  {stage:<46} {seconds:6.2f} s  {seconds / messages * 1000:6.3f} ms a message")
    if os.environ.get("BENCH_TOP"):
        stats.sort_stats("tottime").print_stats(int(os.environ["BENCH_TOP"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chats", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="madoguchi-telegram-"))
    cluster = start_cluster() if args.database == "postgres" else None
    url = cluster.dsn() if cluster else f"sqlite://{work / 'telegram.sqlite3'}"
    try:
        asyncio.run(run(args, url))
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
