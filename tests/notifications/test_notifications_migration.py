"""The ledger's migration keeps the first outbox's messages: pending ones still go out."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate

from core import database
from tests.conftest import forget_other_dialect

OLD_ROWS = [
    (
        "INSERT INTO resident (id, public_id, display_name, language, is_city_resident, "
        "created_at, telegram_chat_id) VALUES (1, '{uid}', 'x', 'en', {true}, "
        "'2026-01-01 00:00:00+00:00', 42)"
    ),
    (
        "INSERT INTO notification (id, public_id, resident_id, kind, message_key, params, link, "
        "created_at) VALUES (1, '{nid}', 1, 'a', 'notifications.linked', '{{}}', '', "
        "'2026-01-01 00:00:00+00:00')"
    ),
    (
        "INSERT INTO outbox_message (notification_id, channel, address, status, attempts, "
        "next_attempt_at, last_error) VALUES (1, 'telegram', '42', 'pending', 1, "
        "'2026-01-01 00:05:00+00:00', 'telegram 429')"
    ),
]


@pytest.fixture(params=["sqlite", "postgres"])
async def empty_database(request, tmp_path, pg_cluster):
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'old.sqlite3'}"
        return
    if pg_cluster is None:
        pytest.skip("PostgreSQL server binaries are not installed: ran on SQLite only")
    name = f"m_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_cluster.dsn())
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_cluster.dsn(name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_migration__pending_outbox_message_becomes_a_waiting_ledger_row(empty_database):
    forget_other_dialect()
    config = database.tortoise_config(empty_database)
    await migrate(config=config, target="notifications.0001_initial")
    await Tortoise.close_connections()
    await database.init(config)
    client = connections.get("default")
    true = "1" if empty_database.startswith("sqlite") else "true"
    for statement in OLD_ROWS:
        sql = statement.format(uid=uuid.uuid4(), nid=uuid.uuid4(), true=true)
        await client.execute_script(sql)
    await Tortoise.close_connections()

    await database.migrate(config)
    await database.init(config)
    try:
        rows = await connections.get("default").execute_query_dict(
            "SELECT resident_id, channel, address, language, status, attempts, last_error, "
            "next_attempt_at FROM delivery"
        )
        notification = await connections.get("default").execute_query_dict(
            "SELECT fanout_pending, broadcast_id FROM notification"
        )
    finally:
        await Tortoise.close_connections()
    assert len(rows) == 1
    row = rows[0]
    assert (row["resident_id"], row["channel"], row["address"], row["language"]) == (
        1,
        "telegram",
        "42",
        "en",
    )
    assert (row["status"], row["attempts"], row["last_error"]) == (
        "temporary_failure",
        1,
        "telegram 429",
    )
    assert row["next_attempt_at"] is not None
    assert notification[0]["fanout_pending"] is None and notification[0]["broadcast_id"] is None
