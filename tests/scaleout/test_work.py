"""API instances with RUN_WORKERS=false and `madoguchi work` beside them: the API runs none of
the shared loops, the worker runs them and sends through the bot without taking its updates."""

from __future__ import annotations

import asyncio
import os

import pytest
from typer.testing import CliRunner

from accounts.service import resident_for_telegram
from notifications.models import Channel, Delivery, LedgerStatus
from notifications.service import notify
from tests.conftest import forget_other_dialect
from tests.fakes.telegram import FakeTelegramServer
from tests.support.bot import bot_settings, close_bot_session
from tests.support.instances import Instance, instance_env, postgres_only

# The shared loops' tasks (app.py, notifications/worker.py and the domains' SHARED_LIFESPANS).
SHARED_LOOPS = {"outbox", "booking", "applications", "photo-sweep", "broadcast-fan-out"}


def _task_names() -> set[str]:
    return {task.get_name() for task in asyncio.all_tasks()}


async def test_run_workers_off__notification_waits__the_worker_sends_it(tmp_path, database_url):
    from app import create_app, working

    async with FakeTelegramServer() as tg:
        settings = bot_settings(tmp_path, database_url, tg, RUN_WORKERS="false")
        user = tg.updates.user(language_code="en")
        tg.add_chat(user.private_chat())

        # given an API instance as `serve` runs it, with RUN_WORKERS off
        forget_other_dialect()
        api = create_app(settings)
        async with api.router.lifespan_context(api):
            resident = await resident_for_telegram(
                user_id=user.id, chat_id=user.id, display_name="x", language_code="en"
            )
            await notify(resident, kind="accounts", message_key="notifications.linked")
            in_api = _task_names()
            assert (await Delivery.get()).status == LedgerStatus.CREATED
            await close_bot_session(api)
        assert in_api.isdisjoint(SHARED_LOOPS) and not api.state.services.tasks
        assert "geo-refresh" in in_api  # its own state is kept current
        assert tg.calls_to("setWebhook")  # the API instance owns the bot's updates

        # when a worker runs
        mark = tg.mark()
        forget_other_dialect()
        async with working(settings) as services:
            sent = await tg.wait_for("sendMessage", after=mark, timeout=10)
            in_worker = _task_names()
            await _close_telegram_session(services)

        # then it sent the message, ran the shared loops, and left the updates alone
        assert sent.params["chat_id"] == user.id
        assert SHARED_LOOPS <= in_worker | {task.get_name() for task in services.tasks}
        assert "geo-refresh" not in in_worker
        assert {call.method for call in tg.calls[mark:]} == {"sendMessage"}
        delivered = await _status_after_reconnect(settings)
        assert delivered == LedgerStatus.DELIVERED  # its round finished before it stopped


async def _close_telegram_session(services) -> None:
    """Closed ahead, as tests.support.bot does for the app's bot: aiogram's close waits 250 ms
    for TLS connections the fake's plain HTTP does not have."""
    session = await services.outbox.senders[Channel.TELEGRAM].bot.session.create_session()
    await session.close()


async def _status_after_reconnect(settings) -> LedgerStatus:
    from tortoise import Tortoise

    from core import database

    await database.init(database.tortoise_config(settings.database_url))
    try:
        return (await Delivery.get()).status
    finally:
        await Tortoise.close_connections()


def test_work__on_sqlite__refused_with_one_line(tmp_path, monkeypatch):
    from cli import cli

    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["work"])
    assert result.exit_code == 2
    assert result.output.strip().startswith("work needs PostgreSQL")
    assert result.output.strip().count("\n") == 0


@pytest.mark.parametrize(("env", "lowered_by"), [({}, 10), ({"WORKER_NICE": "3"}, 3)])
async def test_work__gives_the_api_processes_the_cpu_first(tmp_path, database_url, env, lowered_by):
    """A worker beside API processes on the same cores runs at a lower priority (nice): their
    requests come first, the broadcast takes the CPU they leave (docs/benchmarks.md)."""
    postgres_only(database_url)
    settings = instance_env(tmp_path, database_url, NO_MIGRATE_ON_START="1", **env)
    worker = Instance(settings, tmp_path / "work.log", command="work")
    worker.spawn()
    try:
        await worker.wait_for_log("working: ")
        niceness = os.getpriority(os.PRIO_PROCESS, worker.process.pid)
        assert niceness - os.getpriority(os.PRIO_PROCESS, 0) == lowered_by
        assert f"(at nice {niceness})" in worker.log()
    finally:
        worker.stop()
