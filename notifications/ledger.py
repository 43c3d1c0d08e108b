"""The delivery ledger's rules: claiming rows to send, recording outcomes, retries, leases.

A row is claimable while `next_attempt_at` is set and due. A claim clears it and gives the
row a lease and a claim token, in one UPDATE that only succeeds on rows still claimable: two
workers never get the same row. A claimed row has not been sent: when its lease runs out
(its worker died before sending) it becomes claimable again.

Immediately before its request is complete a row is marked SENDING ("in flight"), a small
group at a time, and only then counts an attempt. No provider can be asked whether it has a
message, so a row left SENDING when its lease runs out (the process died) is settled by how
its channel sends:
- Telegram and push: their clients write each request but its last byte, wait for the mark,
  then write that byte (channels/held_back.py). A server acts only on a complete request,
  so a row marked in flight had its request complete (but for the microseconds between the
  commit and that write) and is taken as delivered. (Push messages also carry a collapse
  key, the message's id: a device would show a message sent twice once.)
- Elsewhere (e-mail) the row stays SENDING, its outcome unknown, and is never sent again.
So no one gets a message twice, and nobody is lost silently but in that microsecond window."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from core import clock
from core.observability import QueueReading, count_messages
from notifications.models import Broadcast, Channel, Delivery, Lane, LedgerStatus, Notification
from notifications.rows import mark_delivered, mark_sending

MAX_ATTEMPTS = 8
OUTCOME_UNKNOWN = "outcome unknown: the sender stopped during the send; not sent again"
PRESUMED_DELIVERED = "the sender stopped once its request was complete: taken as delivered"
# Channels whose client holds a request's last byte until its row is marked in flight.
COMPLETE_WHEN_MARKED = (Channel.TELEGRAM, Channel.PUSH)
FINAL = (
    LedgerStatus.DELIVERED,
    LedgerStatus.PERMANENT_FAILURE,
    LedgerStatus.TECHNICAL_FAILURE,
)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 5 * 2 ** max(0, attempts - 1)))


async def due(
    channel: Channel, lane: Lane, now: datetime, limit: int
) -> list[tuple[int, str, int]]:
    """(id, address, resident id) of rows waiting on this channel and lane, oldest first."""
    return await (
        Delivery.filter(channel=channel, lane=lane, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .limit(limit)
        .values_list("id", "address", "resident_id")
    )


async def waiting(lane: Lane) -> QueueReading:
    """Rows of a lane waiting to be sent (first time or again), and how late the most
    overdue one is, for /metrics."""
    rows = Delivery.filter(lane=lane, next_attempt_at__isnull=False)
    depth = await rows.count()
    now = clock.now()
    oldest = await rows.filter(next_attempt_at__lte=now).order_by("next_attempt_at").first()
    late = (
        (now - oldest.next_attempt_at).total_seconds() if oldest and oldest.next_attempt_at else 0
    )
    return QueueReading(depth=depth, oldest_age_seconds=late)


async def status_queue() -> QueueReading:
    """Status updates (the outbox): a resident's own cases, reports, bookings."""
    return await waiting(Lane.STATUS)


async def alert_queue() -> QueueReading:
    """Broadcasts: alert rows waiting, and messages still to be fanned out into rows."""
    rows = await waiting(Lane.ALERT)
    unfanned = await Notification.filter(fanout_pending=True).count()
    return QueueReading(depth=rows.depth + unfanned, oldest_age_seconds=rows.oldest_age_seconds)


async def last_taken(
    channel: Channel, resident_ids: Sequence[int], since: datetime
) -> dict[str, datetime]:
    """When each address of these residents last had a row taken (claimed, sent, answered)
    after `since`, by any instance: the ledger keeps a per-address pace across instances."""
    if not resident_ids:
        return {}
    rows = await Delivery.filter(
        resident_id__in=list(set(resident_ids)),
        channel=channel,
        next_attempt_at__isnull=True,
        updated_at__gt=since,
    ).values_list("address", "updated_at")
    latest: dict[str, datetime] = {}
    for address, moment in rows:
        if address not in latest or moment > latest[address]:
            latest[address] = moment
    return latest


async def defer(ids: Sequence[int], until: datetime) -> None:
    if ids:
        await Delivery.filter(id__in=list(ids), next_attempt_at__isnull=False).update(
            next_attempt_at=until
        )


# What sending a claimed row reads of it and of its notification: not their times, whose
# parsing cost more than the rest of a round on SQLite (its datetimes are text).
CLAIMED_FIELDS = (
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
    "claim_token",
)
NOTIFIED_FIELDS = (
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


async def claim(ids: Sequence[int], now: datetime, lease: timedelta) -> list[Delivery]:
    """Take the rows among `ids` that are still claimable; returns those this call got.
    Nothing is sent yet: should the lease run out, another worker may take them."""
    if not ids:
        return []
    token = uuid.uuid4().hex
    await Delivery.filter(id__in=list(ids), next_attempt_at__lte=now).update(
        next_attempt_at=None,
        lease_until=now + lease,
        claim_token=token,
        updated_at=now,
    )
    rows = await Delivery.filter(claim_token=token).order_by("id").only(*CLAIMED_FIELDS)
    return await _with_notifications(rows)


async def _with_notifications(rows: list[Delivery]) -> list[Delivery]:
    """Each row with the parts of its notification a message is made of, and the broadcast
    read once: a joined read built a broadcast and every time field per row (16 ms a round
    of 50 on SQLite, while requests waited)."""
    if not rows:
        return rows
    wanted = {row.notification_id for row in rows}
    notifications = {
        notification.id: notification
        for notification in await Notification.filter(id__in=wanted).only(*NOTIFIED_FIELDS)
    }
    broadcast_ids = {n.broadcast_id for n in notifications.values() if n.broadcast_id}
    broadcasts = (
        {b.id: b for b in await Broadcast.filter(id__in=broadcast_ids)} if broadcast_ids else {}
    )
    for notification in notifications.values():
        if notification.broadcast_id:
            notification.broadcast = broadcasts[notification.broadcast_id]
    for row in rows:
        row.notification = notifications[row.notification_id]
    return rows


async def in_flight(rows: Sequence[Delivery], lease: timedelta) -> list[Delivery]:
    """Mark claimed rows SENDING just before their requests are written; returns the rows
    still ours (a row whose claim lapsed meanwhile may be another worker's now)."""
    if not rows:
        return []
    now = clock.now()
    token = rows[0].claim_token
    assert token is not None  # a claimed row
    ours = await mark_sending([row.id for row in rows], token, now, now + lease)
    rows = [row for row in rows if row.id in ours]
    for row in rows:
        row.status, row.attempts = LedgerStatus.SENDING, row.attempts + 1
    return list(rows)


async def delivered(rows: Sequence[Delivery]) -> None:
    """Record rows of one channel as delivered."""
    if not rows:
        return
    tokens = {row.claim_token for row in rows if row.claim_token is not None}
    count = await mark_delivered([row.id for row in rows], sorted(tokens), clock.now())
    count_messages(Channel(rows[0].channel).value, LedgerStatus.DELIVERED.value, count)


async def failed(
    row: Delivery, status: LedgerStatus, error: str, retry_at: datetime | None = None
) -> None:
    """Record a failed attempt; with `retry_at` (and attempts left) the row waits again."""
    if retry_at is not None and row.attempts >= MAX_ATTEMPTS:
        retry_at = None
    count = await Delivery.filter(id=row.id, claim_token=row.claim_token).update(
        status=status,
        next_attempt_at=retry_at,
        lease_until=None,
        last_error=error[:500],
        updated_at=clock.now(),
    )
    count_messages(Channel(row.channel).value, LedgerStatus(status).value, count)


async def stop_address(resident_id: int, channel: Channel, address: str, reason: str) -> int:
    """The address is gone: every row still waiting for it fails for good."""
    count = await Delivery.filter(
        resident_id=resident_id, channel=channel, address=address, next_attempt_at__isnull=False
    ).update(
        status=LedgerStatus.PERMANENT_FAILURE,
        next_attempt_at=None,
        last_error=reason[:500],
        updated_at=clock.now(),
    )
    count_messages(Channel(channel).value, LedgerStatus.PERMANENT_FAILURE.value, count)
    return count


async def expire_leases(now: datetime, complete: Sequence[Channel] = COMPLETE_WHEN_MARKED) -> int:
    """Claims whose worker vanished before sending are released. Rows whose sender vanished
    mid-send are settled by channel (see the module's docstring): delivered where a marked
    request was complete, else left unknown."""
    released = await Delivery.filter(
        lease_until__lt=now, status__not=LedgerStatus.SENDING, next_attempt_at__isnull=True
    ).update(next_attempt_at=now, lease_until=None, claim_token=None, updated_at=now)
    lapsed = Delivery.filter(status=LedgerStatus.SENDING, lease_until__lt=now)
    sent = 0
    for channel in complete:
        count = await lapsed.filter(channel=channel).update(
            status=LedgerStatus.DELIVERED,
            delivered_at=now,
            lease_until=None,
            last_error=PRESUMED_DELIVERED,
            updated_at=now,
        )
        count_messages(channel.value, LedgerStatus.DELIVERED.value, count)
        sent += count
    unknown = await lapsed.update(lease_until=None, last_error=OUTCOME_UNKNOWN, updated_at=now)
    return released + sent + unknown
