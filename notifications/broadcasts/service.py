"""Emergency broadcasts: one message per resident per alert, on every channel they have.

The alerts (notifications.alerts) choose the residents and call `start_broadcast`; the
worker fans the messages out and sends them, alerts ahead of every status update."""

from __future__ import annotations

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.functions import Count

from core import clock, database
from notifications.broadcasts.models import Broadcast
from notifications.broadcasts.staff import add_staff
from notifications.broadcasts.topics import device_counts, write_topic_messages
from notifications.models import Channel, Delivery, LedgerStatus, Notification
from notifications.preferences.service import on_paced_channels
from notifications.rows import insert_broadcast_messages

KIND = "alert"
_CHUNK = 2000
# Rows that have left for the provider (or are on their way, as far as anyone knows).
_SENT = (LedgerStatus.SENDING, LedgerStatus.DELIVERED)
_FAILED = (LedgerStatus.PERMANENT_FAILURE, LedgerStatus.TECHNICAL_FAILURE)


async def start_broadcast(
    *,
    alert_id: int,
    message_key: str,
    params: dict,
    resident_ids: list[int],
    exercise: bool = False,
    staff: bool = False,
    push_topics: dict[str, list[str]] | None = None,
) -> int:
    """The alert's broadcast with a message for each resident not yet targeted; its id.

    Calling it again for the same alert adds only residents it did not have: no one gets
    an alert twice, whatever their watch areas matched. Each chunk of messages commits on
    its own, so the worker fans out and sends the first while the rest are written. With
    `push_topics` (per language) the app's devices that follow them are reached by topic
    (notifications.broadcasts.topics), written before the residents' messages. Residents on
    a paced channel are written (and so fanned out) first. With
    `staff` (exercises and tests only) every active staff member gets it by e-mail."""
    broadcast = await _broadcast_for(alert_id, message_key, params, exercise)
    wanted = await _paced_first(resident_ids)
    now = clock.now()
    if push_topics:
        await write_topic_messages(broadcast.id, push_topics, now)
    for start in range(0, len(wanted), _CHUNK):
        await insert_broadcast_messages(
            broadcast_id=broadcast.id,
            resident_ids=wanted[start : start + _CHUNK],
            kind=KIND,
            message_key=message_key,
            now=now,
        )
        if start == 0 and len(wanted) > _CHUNK:
            # Before the fan-out's chunks take the messages (and while the rest are written):
            # on statistics from before them, each chunk scanned and sorted all that waited.
            await database.analyze(Notification._meta.db_table)
    if staff:
        await add_staff(broadcast, now)
    return broadcast.id


async def _paced_first(resident_ids: list[int]) -> list[int]:
    """The residents in the order their messages are fanned out: first those reached on a
    paced channel (Telegram, e-mail), so those channels start at once instead of waiting
    behind everyone on the app (reached by topic, or at a far higher rate)."""
    wanted = sorted(set(resident_ids))
    paced = await on_paced_channels(wanted)
    return [rid for rid in wanted if rid in paced] + [rid for rid in wanted if rid not in paced]


async def _broadcast_for(alert_id: int, message_key: str, params: dict, exercise: bool):
    found = await Broadcast.get_or_none(alert_id=alert_id)
    if found is not None:
        return found
    try:
        return await Broadcast.create(
            alert_id=alert_id, message_key=message_key, params=params, exercise=exercise
        )
    except IntegrityError:  # started at the same moment elsewhere
        return await Broadcast.get(alert_id=alert_id)


def _empty() -> dict[str, int]:
    return {"targeted": 0, "sent": 0, "delivered": 0, "failed": 0, "unknown": 0}


# Per resident: sent once any channel has the message, delivered once any channel delivered
# it (the in-app list for those without another channel), failed when every channel failed.
_PER_RESIDENT = """
SELECT COUNT(*) AS targeted,
       COALESCE(SUM(CASE WHEN s > 0 OR (n_rows = 0 AND stored = 1) THEN 1 ELSE 0 END), 0) AS sent,
       COALESCE(SUM(CASE WHEN d > 0 OR (n_rows = 0 AND stored = 1) THEN 1 ELSE 0 END), 0)
         AS delivered,
       COALESCE(SUM(CASE WHEN n_rows > 0 AND d = 0 AND f = n_rows THEN 1 ELSE 0 END), 0) AS failed,
       COALESCE(SUM(CASE WHEN d = 0 AND u > 0 THEN 1 ELSE 0 END), 0) AS unknown
FROM (
  SELECT n.id, COUNT(d.id) AS n_rows,
         SUM(CASE WHEN d.status IN ('sending', 'delivered') THEN 1 ELSE 0 END) AS s,
         SUM(CASE WHEN d.status = 'delivered' THEN 1 ELSE 0 END) AS d,
         SUM(CASE WHEN d.status IN ('permanent_failure', 'technical_failure')
                    OR (d.status = 'temporary_failure' AND d.next_attempt_at IS NULL)
                  THEN 1 ELSE 0 END) AS f,
         SUM(CASE WHEN d.status = 'sending' AND d.lease_until IS NULL THEN 1 ELSE 0 END) AS u,
         MAX(CASE WHEN n.fanout_pending IS NULL THEN 1 ELSE 0 END) AS stored
  FROM notification n LEFT JOIN delivery d ON d.notification_id = n.id
  WHERE n.broadcast_id = {broadcast_id}
  GROUP BY n.id
) AS per_resident
"""


async def delivery_counts(alert_id: int) -> dict[str, dict[str, int]]:
    """How the alert's broadcast is going: per channel (telegram, push, email, in_app) and in
    "total" (per resident): targeted, sent (handed to the provider), delivered, failed (for
    good), unknown (sent, but the sender died before the provider answered: counted as
    sent, not as delivered, and never sent again). Rows still waiting, or waiting to retry,
    are targeted but none of the others. Push by topic counts devices, not residents: those
    that followed the topics of each condition message when it was sent (counted live until
    then)."""
    counts: dict[str, dict[str, int]] = {c.value: _empty() for c in Channel}
    counts["in_app"] = _empty()
    counts["total"] = _empty()
    broadcast = await Broadcast.get_or_none(alert_id=alert_id)
    if broadcast is None:
        return counts
    in_ledger = Delivery.filter(broadcast_id=broadcast.id)
    for row in (
        await in_ledger.annotate(n=Count("id"))
        .group_by("channel", "status")
        .values("channel", "status", "n")
    ):
        entry, status = counts[Channel(row["channel"]).value], LedgerStatus(row["status"])
        entry["targeted"] += row["n"]
        entry["sent"] += row["n"] if status in _SENT else 0
        entry["delivered"] += row["n"] if status == LedgerStatus.DELIVERED else 0
        entry["failed"] += row["n"] if status in _FAILED else 0
    for row in (
        await in_ledger.filter(status=LedgerStatus.TEMPORARY_FAILURE, next_attempt_at__isnull=True)
        .annotate(n=Count("id"))
        .group_by("channel")
        .values("channel", "n")
    ):
        counts[Channel(row["channel"]).value]["failed"] += row["n"]
    for row in (
        await in_ledger.filter(status=LedgerStatus.SENDING, lease_until__isnull=True)
        .annotate(n=Count("id"))
        .group_by("channel")
        .values("channel", "n")
    ):
        counts[Channel(row["channel"]).value]["unknown"] += row["n"]
    by_topic = await device_counts(broadcast.id)
    for name, value in by_topic.items():
        counts[Channel.PUSH.value][name] += value
    counts["in_app"] = await _in_app(broadcast.id)
    sql = _PER_RESIDENT.format(broadcast_id=int(broadcast.id))
    total = (await connections.get("default").execute_query_dict(sql))[0]
    counts["total"] = {key: int(total[key] or 0) for key in _empty()}
    return counts


async def _in_app(broadcast_id: int) -> dict[str, int]:
    messages = Notification.filter(broadcast_id=broadcast_id, resident_id__isnull=False)
    targeted = await messages.count()
    stored = await messages.filter(fanout_pending__isnull=True).count()
    return {"targeted": targeted, "sent": stored, "delivered": stored, "failed": 0, "unknown": 0}


async def staff_targeted(broadcast_id: int) -> int:
    return await Notification.filter(broadcast_id=broadcast_id, staff_id__isnull=False).count()
