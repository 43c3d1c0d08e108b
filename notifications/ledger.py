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
from dataclasses import dataclass
from datetime import datetime, timedelta

from core import clock
from core.observability import QueueReading, count_messages
from notifications.models import Broadcast, Channel, Delivery, Lane, LedgerStatus, Notification
from notifications.rows import claim_rows, mark_delivered, mark_sending, message_parts

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


@dataclass(slots=True)
class MessageParts:
    """What a claimed row's message is made of: its notification's text and the broadcast it
    belongs to (whose text it reads)."""

    id: int
    public_id: uuid.UUID
    resident_id: int | None
    staff_id: int | None
    kind: str
    message_key: str
    params: dict
    link: str
    broadcast_id: int | None
    broadcast: Broadcast | None = None


@dataclass(slots=True)
class Claimed:
    """A ledger row this worker claimed, as sending it needs it. Plain values: the ORM's
    model objects cost more to build than the rest of a message's round."""

    id: int
    notification_id: int
    resident_id: int | None
    broadcast_id: int | None
    channel: Channel
    address: str
    language: str
    lane: Lane
    status: LedgerStatus
    attempts: int
    claim_token: str
    notification: MessageParts


async def claim(ids: Sequence[int], now: datetime, lease: timedelta) -> list[Claimed]:
    """Take the rows among `ids` that are still claimable; returns those this call got, by id.
    Nothing is sent yet: should the lease run out, another worker may take them."""
    if not ids:
        return []
    token = uuid.uuid4().hex
    found = await claim_rows(ids, now, now + lease, token)
    if not found:
        return []
    messages = await _message_parts({row["notification_id"] for row in found})
    return sorted(
        (
            Claimed(
                id=row["id"],
                notification_id=row["notification_id"],
                resident_id=row["resident_id"],
                broadcast_id=row["broadcast_id"],
                channel=Channel(row["channel"]),
                address=row["address"],
                language=row["language"],
                lane=Lane(row["lane"]),
                status=LedgerStatus(row["status"]),
                attempts=row["attempts"],
                claim_token=token,
                notification=messages[row["notification_id"]],
            )
            for row in found
        ),
        key=lambda claimed: claimed.id,
    )


async def _message_parts(ids: set[int]) -> dict[int, MessageParts]:
    """The messages by id, each broadcast read once."""
    params = Notification._meta.fields_map["params"]
    messages = {}
    for row in await message_parts(list(ids)):
        row["public_id"] = uuid.UUID(str(row["public_id"]))
        row["params"] = params.to_python_value(row["params"])
        messages[row["id"]] = MessageParts(**row)
    broadcast_ids = {m.broadcast_id for m in messages.values() if m.broadcast_id}
    if broadcast_ids:
        broadcasts = {b.id: b for b in await Broadcast.filter(id__in=broadcast_ids)}
        for message in messages.values():
            if message.broadcast_id:
                message.broadcast = broadcasts[message.broadcast_id]
    return messages


async def in_flight(rows: Sequence[Claimed], lease: timedelta) -> list[Claimed]:
    """Mark claimed rows SENDING just before their requests are written; returns the rows
    still ours (a row whose claim lapsed meanwhile may be another worker's now)."""
    if not rows:
        return []
    now = clock.now()
    ours = await mark_sending([row.id for row in rows], rows[0].claim_token, now, now + lease)
    rows = [row for row in rows if row.id in ours]
    for row in rows:
        row.status, row.attempts = LedgerStatus.SENDING, row.attempts + 1
    return list(rows)


async def delivered(rows: Sequence[Claimed]) -> None:
    """Record rows of one channel as delivered."""
    if not rows:
        return
    tokens = {row.claim_token for row in rows}
    count = await mark_delivered([row.id for row in rows], sorted(tokens), clock.now())
    count_messages(rows[0].channel.value, LedgerStatus.DELIVERED.value, count)


async def failed(
    row: Claimed, status: LedgerStatus, error: str, retry_at: datetime | None = None
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
    count_messages(row.channel.value, LedgerStatus(status).value, count)


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
