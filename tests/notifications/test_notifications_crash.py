"""A broadcast survives `kill -9` of the server halfway and a restart: every resident gets
the alert exactly once, counted by the fake Telegram server, and the ledger says so."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from tortoise import Tortoise

from accounts.models import Resident
from core import database
from notifications.broadcasts.service import delivery_counts, start_broadcast
from notifications.ledger import OUTCOME_UNKNOWN
from notifications.models import Delivery, LedgerStatus
from tests.conftest import TEST_SECRET, forget_other_dialect
from tests.fakes.telegram import FakeTelegramServer
from tests.support.process import ServerProcess

RECIPIENTS = 1500
FIRST_CHAT = 5_000_000
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


async def _wait_for(condition, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_kill_9_halfway__everyone_gets_the_alert_exactly_once(tmp_path, database_url):
    await _prepare(database_url)
    async with FakeTelegramServer() as tg:
        env = {
            "DATABASE_URL": database_url,
            "VAR_DIR": str(tmp_path / "var"),
            "SECRET_KEY": TEST_SECRET,
            "NO_DEMO_SEED": "1",
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE": tg.base_url,
            "TELEGRAM_RATE_PER_SECOND": "300",
            "DELIVERY_LEASE_SECONDS": "3",
        }
        server = ServerProcess(env, tmp_path / "serve.log")
        try:
            await server.start()
            await _wait_for(lambda: sum(_sent(tg).values()) >= RECIPIENTS // 3, 60)
            server.kill()
            at_kill = sum(_sent(tg).values())
            assert at_kill < RECIPIENTS, "the broadcast finished before the kill"
            await asyncio.sleep(0.5)  # requests the dead process had written still arrive
            await server.start()
            await _wait_for(lambda: sum(_sent(tg).values()) >= RECIPIENTS, 90)
            await asyncio.sleep(4)  # the dead process's leases run out; nothing more is sent
        finally:
            server.stop()
        sent = _sent(tg)
    rows, counts = await _ledger(database_url)
    assert len(sent) == RECIPIENTS, "every resident got the alert"
    assert set(sent.values()) == {1}, "nobody got it twice"
    assert len(rows) == RECIPIENTS and {r["attempts"] for r in rows} == {1}
    unknown = [r for r in rows if r["status"] == LedgerStatus.SENDING]
    assert all(r["last_error"] == OUTCOME_UNKNOWN for r in unknown)
    assert all(sent[int(r["address"])] == 1 for r in unknown)
    delivered = [r for r in rows if r["status"] == LedgerStatus.DELIVERED]
    assert len(delivered) + len(unknown) == RECIPIENTS
    assert len(unknown) <= 50, "at most one round was in flight at the kill"
    telegram = counts["telegram"]
    assert (telegram["targeted"], telegram["sent"], telegram["failed"]) == (RECIPIENTS,) * 2 + (0,)
    assert telegram["delivered"] == len(delivered)
