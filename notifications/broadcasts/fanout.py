"""A broadcast's messages become ledger rows, a chunk of residents per transaction.

A message waiting for its rows is marked `fanout_pending`; writing its rows and clearing
the mark commit together, so a crash repeats a chunk whole or not at all. On PostgreSQL
instances take disjoint chunks (FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import replace
from typing import NamedTuple

from tortoise import connections
from tortoise.transactions import in_transaction

from core import clock, database, pubsub
from notifications.broadcasts.topics import covered
from notifications.models import Lane
from notifications.preferences.service import Reach, reach_of
from notifications.rows import clear_fanout_pending
from notifications.service import topic_for, write_deliveries

# A chunk is read in one plain-SQL statement (no model per message, which for thousands of
# messages kept the event loop, and the API sharing it, busy for a second at a time:
# bench/disaster_broadcast.py); it still yields between its statements. Its longest stretch
# between two grows with it: at 500 on PostgreSQL, 5 to 20 ms ahead of the requests. On SQLite,
# whose one connection each chunk's transaction holds, chunks of 100 cut an alert's sending
# rate by more than half.
CHUNKS = {"postgres": 100, "sqlite": 500}
# The in-app events of a chunk are published this many at a time, the requests that came
# meanwhile between two parts: 500 at once kept the loop 4 ms.
TELL_PART = 100

# The chunk is taken before the join: with the residents joined first, PostgreSQL joined every
# waiting message and sorted them all for each chunk (a city's alert, 20,000 at first: 10 to
# 90 ms a chunk on a table whose statistics predate the alert). It starts after the last
# chunk's messages, not walking past those done: their index entries stay until a vacuum.
_PENDING = """
SELECT n.id, n.resident_id, n.broadcast_id, r.language, r.telegram_chat_id
FROM (SELECT id, resident_id, broadcast_id FROM "notification"
      WHERE fanout_pending AND id > {after} ORDER BY id LIMIT {limit}{lock}) n
LEFT JOIN "resident" r ON r.id = n.resident_id ORDER BY n.id"""
# The messages only: another instance may still read the residents they point at.
_LOCKED = " FOR UPDATE SKIP LOCKED"


# Where this process's last chunk ended, per database. Only where to look first: when nothing
# waits after it, the next look starts from the beginning (a chunk another instance gave
# back, a message committed after one with a higher id), so `fan_out_once` answers 0 only
# when nothing waits at all.
_resume_after: weakref.WeakKeyDictionary[object, int] = weakref.WeakKeyDictionary()


class _Message(NamedTuple):
    id: int
    resident_id: int | None
    broadcast_id: int


class _Recipient(NamedTuple):
    id: int
    language: str
    telegram_chat_id: int | None


async def fan_out_once(limit: int | None = None) -> int:
    """Write the rows of up to `limit` waiting messages (a chunk for the database); returns
    how many messages."""
    dialect = database.dialect()
    async with in_transaction() as connection:
        rows = await _take(connection, dialect, int(limit or CHUNKS[dialect]))
        if not rows:
            return 0
        pending = [_Message(r["id"], r["resident_id"], r["broadcast_id"]) for r in rows]
        reach = await reach_of(
            _Recipient(r["resident_id"], r["language"], r["telegram_chat_id"])
            for r in rows
            if r["language"] is not None  # the resident is gone: the message waits for nobody
        )
        by_topic = await _left_to_topics(pending, reach)
        now = clock.now()
        by_broadcast: dict[int, list] = {}
        for message in pending:
            if message.resident_id in reach:
                by_broadcast.setdefault(message.broadcast_id, []).append(
                    (message, by_topic.get(message.id, reach[message.resident_id]))
                )
        for broadcast_id, messages in by_broadcast.items():
            await write_deliveries(messages, Lane.ALERT, now, broadcast_id=broadcast_id)
        await clear_fanout_pending([m.id for m in pending])
    await _tell_in_app(pending)
    return len(pending)


async def _take(connection, dialect: str, limit: int) -> list[dict]:
    database_client = connections.get("default")
    after = _resume_after.get(database_client, 0)
    lock = _LOCKED if dialect == "postgres" else ""
    rows = await connection.execute_query_dict(
        _PENDING.format(after=int(after), limit=limit, lock=lock)
    )
    if not rows and after:
        rows = await connection.execute_query_dict(_PENDING.format(after=0, limit=limit, lock=lock))
    _resume_after[database_client] = rows[-1]["id"] if rows else 0
    return rows


async def _left_to_topics(pending: list[_Message], reach: dict[int, Reach]) -> dict[int, Reach]:
    """A device that follows one of its broadcast's alert topics gets the topic's message,
    not one of its own: the reach of each such message (by its id) without those devices."""
    tokens = [token for r in reach.values() for token in r.push_tokens]
    reached = await covered(sorted({n.broadcast_id for n in pending}), tokens)
    narrowed: dict[int, Reach] = {}
    for notification in pending:
        found = reach.get(notification.resident_id)
        taken = reached.get(notification.broadcast_id)
        if found is not None and taken:
            kept = [token for token in found.push_tokens if token not in taken]
            narrowed[notification.id] = replace(found, push_tokens=kept)
    return narrowed


async def _tell_in_app(messages: list[_Message]) -> None:
    for start in range(0, len(messages), TELL_PART):
        if start:
            await asyncio.sleep(0)
        pubsub.publish_many(
            (topic_for(message.resident_id), {"id": message.id})
            for message in messages[start : start + TELL_PART]
            if message.resident_id is not None
        )
