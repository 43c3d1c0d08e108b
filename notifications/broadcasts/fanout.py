"""A broadcast's messages become ledger rows, a chunk of residents per transaction.

A message waiting for its rows is marked `fanout_pending`; writing its rows and clearing
the mark commit together, so a crash repeats a chunk whole or not at all. On PostgreSQL
instances take disjoint chunks (FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

from dataclasses import replace

from tortoise.transactions import in_transaction

from accounts.models import Resident
from core import clock, pubsub
from notifications.broadcasts.topics import covered
from notifications.models import Lane, Notification
from notifications.preferences.service import Reach, reach_of
from notifications.service import topic_for, write_deliveries

# Much of a chunk's work (a model per row) runs without yielding to the event loop, which
# the API shares: small chunks keep a request's wait behind them to tens of milliseconds
# (bench/disaster_broadcast.py).
CHUNK = 200


async def fan_out_once(limit: int = CHUNK) -> int:
    """Write the rows of up to `limit` waiting messages; returns how many messages."""
    async with in_transaction():
        pending = (
            await Notification.filter(fanout_pending=True)
            .order_by("id")
            .limit(limit)
            .select_for_update(skip_locked=True)
        )
        if not pending:
            return 0
        residents = await Resident.filter(id__in=[n.resident_id for n in pending]).only(
            "id", "language", "telegram_chat_id"
        )
        reach = await reach_of(residents)
        by_topic = await _left_to_topics(pending, reach)
        now = clock.now()
        by_broadcast: dict[int, list] = {}
        for notification in pending:
            if notification.resident_id in reach:
                by_broadcast.setdefault(notification.broadcast_id, []).append(
                    (notification, by_topic.get(notification.id, reach[notification.resident_id]))
                )
        for broadcast_id, messages in by_broadcast.items():
            await write_deliveries(messages, Lane.ALERT, now, broadcast_id=broadcast_id)
        await Notification.filter(id__in=[n.id for n in pending]).update(fanout_pending=None)
    await _tell_in_app(pending)
    return len(pending)


async def _left_to_topics(pending: list[Notification], reach: dict[int, Reach]) -> dict[int, Reach]:
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


async def _tell_in_app(messages: list[Notification]) -> None:
    for notification in messages:
        pubsub.publish(topic_for(notification.resident_id), {"id": notification.id})
