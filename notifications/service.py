"""Messages to residents: written with the change that caused them, delivered afterwards.

`notify` must be called inside the caller's transaction, so a message (and its ledger rows,
one per channel and address the resident chose) exists exactly when its change does. The
worker (notifications.worker) delivers, paces and retries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import notifications.texts  # noqa: F401 - registers the texts
from accounts.models import Resident
from accounts.service import on_merge
from core import clock, pubsub
from core.i18n import t
from notifications.models import Delivery, Lane, Notification
from notifications.preferences.service import Reach, reach_of
from notifications.rows import insert_deliveries, insert_messages
from notifications.templates import Rendered, TemplateError, render_text

if TYPE_CHECKING:
    from notifications.ledger import MessageParts

_ROWS_A_STATEMENT = 2000


def topic_for(resident_id: int) -> str:
    return f"notifications:{resident_id}"


async def notify(
    resident: Resident,
    *,
    kind: str,
    message_key: str,
    params: dict | None = None,
    link: str = "",
    lane: Lane = Lane.STATUS,
) -> Notification:
    """A message for one resident, on their channels: a status update after their quiet
    hours; in the alert lane (a call to act in an emergency) at once, ahead of status updates."""
    notification = await Notification.create(
        resident=resident, kind=kind, message_key=message_key, params=params or {}, link=link
    )
    reach = await reach_of([resident])
    await write_deliveries([(notification, reach[resident.id])], lane, clock.now())
    pubsub.publish(topic_for(resident.id), {"id": notification.id})  # once committed
    return notification


@dataclass(frozen=True)
class Update:
    """One status update of `notify_each`."""

    kind: str
    message_key: str
    params: dict = field(default_factory=dict)
    link: str = ""


async def notify_each(
    resident: Resident, updates: Sequence[Update], reach: Reach | None = None
) -> list[Notification]:
    """Several status updates for one resident at once (a submission's cases), written in
    one statement, their channels looked up once (or given, as looked up before the
    caller's transaction); otherwise each is as `notify` writes it."""
    if not updates:
        return []
    now = clock.now()
    notifications = await insert_messages(
        resident.id, [(u.kind, u.message_key, u.params, u.link) for u in updates], now
    )
    if reach is None:
        reach = (await reach_of([resident]))[resident.id]
    await write_deliveries([(n, reach) for n in notifications], Lane.STATUS, now)
    for notification in notifications:
        pubsub.publish(topic_for(resident.id), {"id": notification.id})  # once committed
    return notifications


async def write_deliveries(
    messages: Sequence[tuple[Notification, Reach]],
    lane: Lane,
    now: datetime,
    broadcast_id: int | None = None,
) -> int:
    """One ledger row per message, channel and address; returns how many."""
    rows = [
        (
            notification.id,
            reach.resident_id,
            broadcast_id,
            channel,
            address,
            reach.language,
            lane,
            reach.send_at(lane, now),
        )
        for notification, reach in messages
        for channel, address in reach.addresses()
    ]
    for start in range(0, len(rows), _ROWS_A_STATEMENT):
        await insert_deliveries(rows[start : start + _ROWS_A_STATEMENT], now)
    return len(rows)


def rendered(notification: Notification | MessageParts, language: str) -> Rendered:
    broadcast = notification.broadcast if notification.broadcast_id else None
    if broadcast is not None:
        return render_text(
            broadcast.message_key,
            broadcast.params,
            language,
            kind=notification.kind,
            exercise=broadcast.exercise,
        )
    return render_text(
        notification.message_key, notification.params, language, kind=notification.kind
    )


def render(notification: Notification, language: str) -> str:
    """The message as the in-app list shows it (the broadcast must have been fetched)."""
    try:
        return rendered(notification, language).body
    except TemplateError:
        return t("notifications.unreadable", language)


async def list_for(resident: Resident, limit: int = 50) -> list[Notification]:
    return (
        await Notification.filter(resident=resident)
        .order_by("-created_at", "-id")
        .limit(limit)
        .select_related("broadcast")
    )


async def mark_read(resident: Resident, public_ids: list) -> int:
    return await Notification.filter(
        resident=resident, public_id__in=public_ids, read_at__isnull=True
    ).update(read_at=clock.now())


async def outcomes(
    *, public_id: uuid.UUID | None = None, link: str | None = None, limit: int = 50
) -> list[Notification]:
    """Messages (by id, or all about one object by its link) with their ledger rows."""
    query = Notification.all()
    if public_id is not None:
        query = query.filter(public_id=public_id)
    if link is not None:
        query = query.filter(link=link)
    return await query.order_by("-created_at", "-id").limit(limit).prefetch_related("ledger")


@on_merge
async def move_to(source: Resident, target: Resident) -> None:
    """Both accounts' messages go to the joined one, except a broadcast both already have."""
    taken = await Notification.filter(resident=target, broadcast_id__isnull=False).values_list(
        "broadcast_id", flat=True
    )
    await Notification.filter(resident=source, broadcast_id__in=list(taken)).delete()
    await Notification.filter(resident=source).update(resident=target)
    await Delivery.filter(resident_id=source.id).update(resident_id=target.id)
