"""A broadcast survives `kill -9` of the server at random moments and restarts: everyone gets
the alert exactly once (counted by the fake Telegram server), and the ledger says so.

A row a kill caught in flight had its request at Telegram whole but for its last byte,
written the moment its mark committed (channels/telegram.py): once its lease lapses it is
taken as delivered and never sent again. Only a kill in the microseconds between a group's
commit and its last bytes could lose a message, and that row is named in the ledger."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import pytest
from tortoise import Tortoise

from accounts.models import Resident
from core import database
from notifications.broadcasts.service import delivery_counts, start_broadcast
from notifications.in_flight import GROUP
from notifications.ledger import PRESUMED_DELIVERED
from notifications.models import Delivery, LedgerStatus
from tests.conftest import TEST_SECRET, forget_other_dialect
from tests.fakes.telegram import FakeTelegramServer
from tests.support.process import ServerProcess

RECIPIENTS = 1000  # at 300 a second: a few seconds of sends around the kill
FIRST_CHAT = 5_000_000
KILLS = 1  # a restart costs a server start; three kills: see docs/benchmarks.md
BATCH = 50  # Telegram's round: at most this many claimed, in flight in groups
pytestmark = pytest.mark.slow


async def _prepare(url: str) -> None:
    forget_other_dialect()
    await database.init(database.tortoise_config(url))
    try:
        await Resident.bulk_create(
            [
                Resident(
                    display_name=f"住民{n}",
                    telegram_user_id=FIRST_CHAT + n,
                    telegram_chat_id=FIRST_CHAT + n,
                )
                for n in range(RECIPIENTS)
            ],
            batch_size=500,
        )
        ids = await Resident.all().values_list("id", flat=True)
        await start_broadcast(
            alert_id=1, message_key="notifications.linked", params={}, resident_ids=list(ids)
        )
    finally:
        await Tortoise.close_connections()


async def _ledger(url: str):
    forget_other_dialect()
    await database.init(database.tortoise_config(url))
    try:
        rows = await Delivery.all().values("address", "status", "attempts", "last_error")
        return rows, await delivery_counts(1)
    finally:
        await Tortoise.close_connections()


def _sent(tg: FakeTelegramServer) -> Counter:
    return Counter(call.params["chat_id"] for call in tg.calls_to("sendMessage"))


async def _wait_for(condition, timeout: float) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def _until_quiet(count, goal: int, *, quiet: float, timeout: float) -> None:
    """Until `count()` reaches `goal`, or stops growing for `quiet` seconds (the rest lost)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last, changed_at = count(), loop.time()
    while last < goal and loop.time() - changed_at < quiet and loop.time() < deadline:
        await asyncio.sleep(0.1)
        if (now := count()) != last:
            last, changed_at = now, loop.time()


async def test_kill_9_at_random_moments__everyone_gets_the_alert_exactly_once(
    tmp_path, database_url
):
    await _prepare(database_url)
    moments = sorted(random.uniform(0.05, 0.9) for _ in range(KILLS))
    async with FakeTelegramServer() as tg:
        env = {
            "DATABASE_URL": database_url,
            "VAR_DIR": str(tmp_path / "var"),
            "SECRET_KEY": TEST_SECRET,
            "NO_DEMO_SEED": "1",
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE": tg.base_url,
            "TELEGRAM_RATE_PER_SECOND": "300",
            "DELIVERY_LEASE_SECONDS": "2",
        }
        server = ServerProcess(env, tmp_path / "serve.log")
        try:
            for share in moments:
                await server.start()
                goal = RECIPIENTS * share
                assert await _wait_for(lambda: sum(_sent(tg).values()) >= goal, 90)  # noqa: B023
                server.kill()
                assert sum(_sent(tg).values()) < RECIPIENTS, "finished before the kill"
                await asyncio.sleep(0.3)  # requests the dead process had written still arrive
            await server.start()
            await _until_quiet(lambda: sum(_sent(tg).values()), RECIPIENTS, quiet=6, timeout=60)
            await asyncio.sleep(3)  # the dead processes' leases run out; nothing more is sent
        finally:
            server.stop()
        sent = _sent(tg)
    rows, counts = await _ledger(database_url)
    context = f"killed at {[round(m, 3) for m in moments]} of the way"
    assert set(sent.values()) == {1}, f"nobody got it twice ({context})"
    assert len(rows) == RECIPIENTS and {r["attempts"] for r in rows} == {1}, context
    assert {r["status"] for r in rows} == {LedgerStatus.DELIVERED}, f"ledger: {context}"
    presumed = {r["address"] for r in rows if r["last_error"] == PRESUMED_DELIVERED}
    assert len(presumed) <= KILLS * BATCH, "at most one round was in flight at each kill"
    lost = {r["address"] for r in rows} - {str(chat) for chat in sent}
    assert lost <= presumed and len(lost) <= KILLS * GROUP, f"{len(lost)} lost ({context})"
    telegram, total = counts["telegram"], counts["total"]
    for count in (telegram, total):
        assert (count["targeted"], count["sent"], count["delivered"]) == (RECIPIENTS,) * 3
        assert (count["failed"], count["unknown"]) == (0, 0)
    print(f"{context}: {len(presumed)} in flight at the kills, {len(lost)} of them lost")
