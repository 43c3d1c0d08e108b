"""The notifications app's migrations keep every message and ledger row.

0002 turns the first outbox into the ledger (pending messages still go out); the later ones
(0003 rebuilds `notification` and `delivery` on SQLite to make `resident` nullable) keep every
row of both tables as it was, their indexes (but 0006's, which drops the ledger's claim_token
index) and unique constraints, and the cascade between them.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from tortoise import Tortoise, connections
from tortoise.exceptions import IntegrityError
from tortoise.migrations.api import migrate

import notifications.migrations
from core import database
from tests.conftest import forget_other_dialect

# Up to the app's own last migration (with its dependencies): the other apps' migrations
# cost the test most of its time and touch neither table.
LATEST = "notifications." + max(
    path.stem for path in Path(notifications.migrations.__file__).parent.glob("0*.py")
)

OUTBOX_ROWS = [
    (
        "INSERT INTO resident (id, public_id, display_name, language, is_city_resident, "
        "created_at, telegram_chat_id) VALUES (1, '{uid}', 'x', 'en', {true}, "
        "'2026-01-01 00:00:00+00:00', 42)"
    ),
    (
        "INSERT INTO resident (id, public_id, display_name, language, is_city_resident, "
        "created_at, telegram_chat_id) VALUES (2, '{uid}', 'y', 'ja', {true}, "
        "'2026-01-01 00:00:00+00:00', 43)"
    ),
    (
        "INSERT INTO notification (id, public_id, resident_id, kind, message_key, params, link, "
        "created_at) VALUES (1, '{uid}', 1, 'a', 'notifications.linked', '{{}}', '', "
        "'2026-01-01 00:00:00+00:00')"
    ),
    (
        "INSERT INTO outbox_message (notification_id, channel, address, status, attempts, "
        "next_attempt_at, last_error) VALUES (1, 'telegram', '42', 'pending', 1, "
        "'2026-01-01 00:05:00+00:00', 'telegram 429')"
    ),
]

# Rows as the ledger's schema has them: an alert's broadcast, one message half fanned out.
LEDGER_ROWS = [
    (
        "INSERT INTO broadcast (id, alert_id, message_key, params, exercise, created_at) "
        "VALUES (1, 7, 'alerts.issued', '{{\"headline\": \"大雨\"}}', {false}, "
        "'2026-01-02 00:00:00+00:00')"
    ),
    (
        "INSERT INTO notification (id, public_id, resident_id, kind, message_key, params, link, "
        "created_at, read_at, broadcast_id, fanout_pending) VALUES (2, '{uid}', 1, 'alert', "
        "'alerts.issued', '{{}}', '/alerts/7', '2026-01-02 00:00:00+00:00', "
        "'2026-01-02 00:10:00+00:00', 1, NULL)"
    ),
    (
        "INSERT INTO notification (id, public_id, resident_id, kind, message_key, params, link, "
        "created_at, broadcast_id, fanout_pending) VALUES (3, '{uid}', 2, 'alert', "
        "'alerts.issued', '{{}}', '', '2026-01-02 00:00:00+00:00', 1, {true})"
    ),
    (
        "INSERT INTO delivery (id, notification_id, resident_id, broadcast_id, channel, address, "
        "language, lane, status, attempts, next_attempt_at, lease_until, claim_token, "
        "last_error, created_at, updated_at, delivered_at) VALUES (10, 2, 1, 1, 'telegram', "
        "'42', 'en', 0, 'sending', 1, NULL, '2026-01-02 00:01:00+00:00', 'c0ffee', '', "
        "'2026-01-02 00:00:00+00:00', '2026-01-02 00:00:30+00:00', NULL)"
    ),
    (
        "INSERT INTO delivery (id, notification_id, resident_id, broadcast_id, channel, address, "
        "language, lane, status, attempts, next_attempt_at, lease_until, claim_token, "
        "last_error, created_at, updated_at, delivered_at) VALUES (11, 2, 1, 1, 'push', "
        "'token-1', 'en', 0, 'delivered', 1, NULL, NULL, NULL, '', "
        "'2026-01-02 00:00:00+00:00', '2026-01-02 00:00:02+00:00', '2026-01-02 00:00:02+00:00')"
    ),
]

SNAPSHOT_TABLES = ("resident", "broadcast", "notification", "delivery")


async def _insert(statements: list[str], sqlite: bool) -> None:
    true, false = ("1", "0") if sqlite else ("true", "false")
    client = connections.get("default")
    for statement in statements:
        await client.execute_query(statement.format(uid=uuid.uuid4(), true=true, false=false))


async def _rows(table: str) -> list[dict]:
    sql = f'SELECT * FROM "{table}" ORDER BY id'
    return await connections.get("default").execute_query_dict(sql)


async def _index_shapes(table: str, sqlite: bool) -> set[tuple[bool, bool, tuple[str, ...]]]:
    """(unique, partial, columns) of each index on the table, whatever its name."""
    client = connections.get("default")
    if not sqlite:
        rows = await client.execute_query_dict(
            "SELECT ix.indisunique AS is_unique, ix.indpred IS NOT NULL AS partial, "
            "array(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY AS k(num, n) "
            "JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.num "
            "ORDER BY k.n) AS columns FROM pg_index ix WHERE ix.indrelid = $1::regclass",
            [table],
        )
        return {(r["is_unique"], r["partial"], tuple(r["columns"])) for r in rows}
    shapes = set()
    for index in await client.execute_query_dict(f'PRAGMA index_list("{table}")'):
        columns = await client.execute_query_dict(f'PRAGMA index_info("{index["name"]}")')
        names = tuple(c["name"] for c in sorted(columns, key=lambda c: c["seqno"]))
        shapes.add((bool(index["unique"]), bool(index["partial"]), names))
    return shapes


async def _snapshot(sqlite: bool) -> tuple[dict, dict]:
    rows = {table: await _rows(table) for table in SNAPSHOT_TABLES}
    indexes = {table: await _index_shapes(table, sqlite) for table in ("notification", "delivery")}
    return rows, indexes


async def _step(config: dict, target: str) -> None:
    await Tortoise.close_connections()
    await migrate(config=config, target=target)
    await Tortoise.close_connections()
    await database.init(config)


def _assert_outbox_became_ledger(ledger: list[dict]) -> None:
    assert len(ledger) == 1
    row = ledger[0]
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


async def test_migrations__keep_every_message_ledger_row_index_and_constraint(empty_database):
    forget_other_dialect()
    sqlite = empty_database.startswith("sqlite")
    config = database.tortoise_config(empty_database)
    await _step(config, "notifications.0001_initial")
    try:
        await _insert(OUTBOX_ROWS, sqlite)
        await _step(config, "notifications.0002_delivery_ledger")
        _assert_outbox_became_ledger(await _rows("delivery"))
        (notification,) = await _rows("notification")
        assert notification["fanout_pending"] is None and notification["broadcast_id"] is None
        await _insert(LEDGER_ROWS, sqlite)
        rows_before, indexes_before = await _snapshot(sqlite)

        await _step(config, LATEST)
        rows_after, indexes_after = await _snapshot(sqlite)
        client = connections.get("default")

        assert [row.pop("staff_id") for row in rows_after["notification"]] == [None] * 3
        assert rows_after == rows_before
        claim_token = (False, False, ("claim_token",))  # 0006: every claim names its ids
        assert claim_token in indexes_before["delivery"]
        assert indexes_after["delivery"] == indexes_before["delivery"] - {claim_token}
        assert indexes_after["notification"] == indexes_before["notification"] | {
            (True, False, ("broadcast_id", "staff_id"))
        }
        if sqlite:
            assert await client.execute_query_dict("PRAGMA foreign_key_check") == []

        with pytest.raises(IntegrityError):
            await client.execute_query(
                "INSERT INTO delivery (notification_id, resident_id, channel, address, language, "
                "lane, status, attempts, last_error, created_at, updated_at) VALUES (2, 1, "
                "'telegram', '42', 'en', 0, 'created', 0, '', '2026-01-03 00:00:00+00:00', "
                "'2026-01-03 00:00:00+00:00')"
            )
        with pytest.raises(IntegrityError):
            await _insert([LEDGER_ROWS[1].replace("VALUES (2,", "VALUES (4,")], sqlite)
        await client.execute_query("DELETE FROM notification WHERE id = 2")
        assert [row["notification_id"] for row in await _rows("delivery")] == [1]
    finally:
        await Tortoise.close_connections()
