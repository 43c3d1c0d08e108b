"""Many ledger rows at once, in plain SQL.

Tortoise builds a model object per row (a few hundred microseconds each), which for a
broadcast to a city is most of the time before the first message goes out. These write the
same rows with one statement per chunk; the tables and their columns are the models'."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime

from tortoise import connections

from core import database
from notifications.models import Delivery, LedgerStatus, Notification

_MESSAGE_COLUMNS = (
    "public_id",
    "resident_id",
    "broadcast_id",
    "kind",
    "message_key",
    "params",
    "link",
    "created_at",
    "fanout_pending",
)
_DELIVERY_COLUMNS = (
    "notification_id",
    "resident_id",
    "broadcast_id",
    "channel",
    "address",
    "language",
    "lane",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
    "created_at",
    "updated_at",
)


def _insert(table: str, columns: Sequence[str], postgres: bool) -> str:
    marks = [f"${n}" if postgres else "?" for n in range(1, len(columns) + 1)]
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(marks)}) ON CONFLICT DO NOTHING'


def _moment(value: datetime | None, postgres: bool):
    # SQLite keeps Tortoise's text form of a datetime; asyncpg takes the object.
    return value if postgres or value is None else str(value)


# A version-4 UUID in SQLite's own functions, in the text form Tortoise stores.
_SQLITE_UUID = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
    "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
    "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
)


async def insert_messages(
    resident_id: int, messages: Sequence[tuple[str, str, dict, str]], now: datetime
) -> list[Notification]:
    """Messages (kind, message_key, params, link) for one resident in one statement, in
    their order."""
    postgres = database.dialect() == "postgres"
    params = Notification._meta.fields_map["params"]
    created = _moment(now, postgres)
    public_ids = [uuid.uuid4() for _ in messages]
    values: list = []
    for public_id, (kind, message_key, message_params, link) in zip(
        public_ids, messages, strict=True
    ):
        values += [
            public_id if postgres else str(public_id),
            resident_id,
            None,
            kind,
            message_key,
            params.to_db_value(message_params, None),
            link,
            created,
            None,
        ]
    width = len(_MESSAGE_COLUMNS)
    rows = ", ".join(
        "(" + ", ".join(_mark(n * width + i, postgres) for i in range(width)) + ")"
        for n in range(len(messages))
    )
    sql = (
        f'INSERT INTO "{Notification._meta.db_table}" ({", ".join(_MESSAGE_COLUMNS)}) '
        f'VALUES {rows} RETURNING "id", "public_id"'
    )
    found = await connections.get("default").execute_query_dict(sql, values)
    ids = {str(row["public_id"]): row["id"] for row in found}
    # The rows as written, without reading back (and decoding) what was just sent.
    return [
        Notification._init_from_db(
            id=ids[str(public_id)],
            public_id=public_id,
            resident_id=resident_id,
            staff_id=None,
            broadcast_id=None,
            kind=kind,
            message_key=message_key,
            params=message_params,
            link=link,
            created_at=now,
            read_at=None,
            fanout_pending=None,
        )
        for public_id, (kind, message_key, message_params, link) in zip(
            public_ids, messages, strict=True
        )
    ]


def _mark(index: int, postgres: bool) -> str:
    return f"${index + 1}" if postgres else "?"


async def insert_broadcast_messages(
    *, broadcast_id: int, resident_ids: Sequence[int], kind: str, message_key: str, now: datetime
) -> None:
    """A message for each resident, waiting for its fan-out, in one statement, their ids in
    the order given (the fan-out's order); a message already there stays, and ids of
    residents that no longer exist are skipped."""
    if not resident_ids:
        return
    postgres = database.dialect() == "postgres"
    columns = ", ".join(_MESSAGE_COLUMNS)
    table = Notification._meta.db_table
    ids = [int(rid) for rid in resident_ids]
    if postgres:
        sql = (
            f'INSERT INTO "{table}" ({columns}) '
            "SELECT gen_random_uuid(), r.id, $1, $2, $3, '{}', '', $4, TRUE "
            'FROM unnest($5::int[]) WITH ORDINALITY AS w(id, n) JOIN "resident" r ON r.id = w.id '
            "ORDER BY w.n ON CONFLICT DO NOTHING"
        )
        values: list = [broadcast_id, kind, message_key, now, ids]
    else:
        sql = (
            f'INSERT INTO "{table}" ({columns}) '
            f"SELECT {_SQLITE_UUID}, r.id, ?, ?, ?, '{{}}', '', ?, 1 "
            'FROM json_each(?) w JOIN "resident" r ON r.id = w.value '
            "ORDER BY w.key ON CONFLICT DO NOTHING"
        )
        values = [broadcast_id, kind, message_key, str(now), json.dumps(ids)]
    await connections.get("default").execute_query(sql, values)


async def insert_deliveries(rows: Sequence[tuple], now: datetime) -> None:
    """Ledger rows: (notification_id, resident_id, broadcast_id, channel, address, language,
    lane, next_attempt_at) each, CREATED at `now` with no attempt yet, in one statement."""
    if not rows:
        return
    if database.dialect() == "postgres":
        await _insert_deliveries_postgres(rows, now)
        return
    created = str(now)
    values = [
        (
            notification_id,
            resident_id,
            broadcast_id,
            channel.value,
            address,
            language,
            int(lane),
            LedgerStatus.CREATED.value,
            0,
            _moment(due, False),
            "",
            created,
            created,
        )
        for notification_id, resident_id, broadcast_id, channel, address, language, lane, due in rows
    ]
    sql = _insert(Delivery._meta.db_table, _DELIVERY_COLUMNS, False)
    await connections.get("default").execute_many(sql, values)


# One INSERT of arrays, not asyncpg's executemany: that runs the statement once per row (a
# city's alert: 20,000 executions, a quarter of the database's work while the messages went
# out). The foreign keys are still checked row by row, whatever the statement.
_DELIVERIES_FROM_ARRAYS = (
    'INSERT INTO "{table}" ({columns}) '
    "SELECT w.n, w.r, w.b, w.c, w.a, w.l, w.lane, $8, 0, w.due, '', $9, $9 "
    "FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], "
    "$7::int[], $10::timestamptz[]) WITH ORDINALITY AS w(n, r, b, c, a, l, lane, due, k) "
    "ORDER BY w.k ON CONFLICT DO NOTHING"
)


async def _insert_deliveries_postgres(rows: Sequence[tuple], now: datetime) -> None:
    columns = list(zip(*rows, strict=True))
    sql = _DELIVERIES_FROM_ARRAYS.format(
        table=Delivery._meta.db_table, columns=", ".join(f'"{c}"' for c in _DELIVERY_COLUMNS)
    )
    values = [
        list(columns[0]),
        list(columns[1]),
        list(columns[2]),
        [channel.value for channel in columns[3]],
        list(columns[4]),
        list(columns[5]),
        [int(lane) for lane in columns[6]],
        LedgerStatus.CREATED.value,
        now,
        list(columns[7]),
    ]
    await connections.get("default").execute_query(sql, values)


async def clear_fanout_pending(ids: Sequence[int]) -> None:
    """These messages have their ledger rows."""
    postgres = database.dialect() == "postgres"
    mark = "$1" if postgres else "?"
    sql = (
        f'UPDATE "{Notification._meta.db_table}" SET fanout_pending = NULL'
        f" WHERE id {_ids_in(postgres, mark)}"
    )
    values = [_listed(ids, postgres)]
    await connections.get("default").execute_query(sql, values)


def _ids_in(postgres: bool, mark: str, kind: str = "int") -> str:
    return f"= ANY({mark}::{kind}[])" if postgres else f"IN (SELECT value FROM json_each({mark}))"


def _listed(values: Sequence, postgres: bool) -> list | str:
    """The value an `_ids_in` mark takes: an array on PostgreSQL, JSON text on SQLite."""
    return list(values) if postgres else json.dumps(list(values))


async def mark_sending(
    ids: Sequence[int], claim_token: str, now: datetime, lease_until: datetime
) -> set[int]:
    """The claimed rows among `ids` still this claim's and not yet in flight become SENDING,
    an attempt counted, in one statement; returns the ids it marked."""
    postgres = database.dialect() == "postgres"
    marks = [f"${n}" if postgres else f"?{n}" for n in range(1, 6)]
    sql = (
        f'UPDATE "{Delivery._meta.db_table}" SET status = {marks[0]}, lease_until = {marks[1]},'
        f" attempts = attempts + 1, updated_at = {marks[2]}"
        f" WHERE id {_ids_in(postgres, marks[3])} AND claim_token = {marks[4]}"
        f" AND status <> {marks[0]} AND next_attempt_at IS NULL RETURNING id"
    )
    values = [
        LedgerStatus.SENDING.value,
        _moment(lease_until, postgres),
        _moment(now, postgres),
        _listed(ids, postgres),
        claim_token,
    ]
    # Fetched as rows: Tortoise's execute_query drops what an UPDATE returns on PostgreSQL.
    found = await connections.get("default").execute_query_dict(sql, values)
    return {int(row["id"]) for row in found}


async def mark_delivered(ids: Sequence[int], claim_tokens: Sequence[str], now: datetime) -> int:
    """The rows among `ids` still held by one of these claims are DELIVERED, in one statement;
    returns how many."""
    postgres = database.dialect() == "postgres"
    marks = [f"${n}" if postgres else f"?{n}" for n in range(1, 5)]
    sql = (
        f'UPDATE "{Delivery._meta.db_table}" SET status = {marks[0]}, delivered_at = {marks[1]},'
        f" lease_until = NULL, last_error = '', updated_at = {marks[1]}"
        f" WHERE id {_ids_in(postgres, marks[2])}"
        f" AND claim_token {_ids_in(postgres, marks[3], 'text')} RETURNING id"
    )
    values = [
        LedgerStatus.DELIVERED.value,
        _moment(now, postgres),
        _listed(ids, postgres),
        _listed(claim_tokens, postgres),
    ]
    return len(await connections.get("default").execute_query_dict(sql, values))


# What sending a claimed row reads of it and of its message: not their times, whose parsing
# cost more than the rest of a round on SQLite (its datetimes are text).
CLAIMED_COLUMNS = (
    "id",
    "notification_id",
    "resident_id",
    "broadcast_id",
    "channel",
    "address",
    "language",
    "lane",
    "status",
    "attempts",
)
MESSAGE_PART_COLUMNS = (
    "id",
    "public_id",
    "resident_id",
    "staff_id",
    "kind",
    "message_key",
    "params",
    "link",
    "broadcast_id",
)


async def claim_rows(
    ids: Sequence[int], now: datetime, lease_until: datetime, claim_token: str
) -> list[dict]:
    """The rows among `ids` still claimable at `now` are claimed with `claim_token`, in one
    statement; returns their CLAIMED_COLUMNS as the database gives them, in no order."""
    postgres = database.dialect() == "postgres"
    marks = [f"${n}" if postgres else f"?{n}" for n in range(1, 5)]
    sql = (
        f'UPDATE "{Delivery._meta.db_table}" SET next_attempt_at = NULL,'
        f" lease_until = {marks[0]}, claim_token = {marks[1]}, updated_at = {marks[2]}"
        f" WHERE id {_ids_in(postgres, marks[3])} AND next_attempt_at <= {marks[2]}"
        f" RETURNING {', '.join(CLAIMED_COLUMNS)}"
    )
    values = [
        _moment(lease_until, postgres),
        claim_token,
        _moment(now, postgres),
        _listed(ids, postgres),
    ]
    return await connections.get("default").execute_query_dict(sql, values)


async def message_parts(ids: Sequence[int]) -> list[dict]:
    """MESSAGE_PART_COLUMNS of these messages, as the database gives them."""
    postgres = database.dialect() == "postgres"
    sql = (
        f'SELECT {", ".join(MESSAGE_PART_COLUMNS)} FROM "{Notification._meta.db_table}"'
        f" WHERE id {_ids_in(postgres, '$1' if postgres else '?')}"
    )
    values = [_listed(ids, postgres)]
    return await connections.get("default").execute_query_dict(sql, values)
