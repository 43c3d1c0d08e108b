"""The outbox: messages written with the change that caused them, delivered afterwards.

`notify` must be called inside the caller's transaction, so a message exists exactly
when its change does. The worker (notifications.worker) delivers and retries.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import notifications.texts  # noqa: F401 - registers the texts
from accounts.models import Resident
from accounts.service import on_merge
from core import clock, pubsub
from core.i18n import t
from core.observability import QueueReading
from notifications.models import Channel, DeliveryStatus, Notification, OutboxMessage

MAX_ATTEMPTS = 8


def topic_for(resident_id: int) -> str:
    return f"notifications:{resident_id}"


async def notify(
    resident: Resident,
    *,
    kind: str,
    message_key: str,
    params: dict | None = None,
    link: str = "",
) -> Notification:
    notification = await Notification.create(
        resident=resident, kind=kind, message_key=message_key, params=params or {}, link=link
    )
    if resident.telegram_chat_id:
        await OutboxMessage.create(
            notification=notification,
            channel=Channel.TELEGRAM,
            address=str(resident.telegram_chat_id),
            next_attempt_at=clock.now(),
        )
    pubsub.publish(topic_for(resident.id), {"id": notification.id})  # once committed
    return notification


def render(notification: Notification, language: str) -> str:
    return t(notification.message_key, language, **notification.params)


def retry_delay(attempts: int, retry_after: float | None = None) -> timedelta:
    if retry_after is not None:
        return timedelta(seconds=retry_after)
    return timedelta(seconds=min(3600, 5 * 2 ** max(0, attempts - 1)))


async def due_messages(now: datetime, limit: int = 50) -> list[OutboxMessage]:
    return (
        await OutboxMessage.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .limit(limit)
        .select_related("notification", "notification__resident")
    )


async def outbox_reading() -> QueueReading:
    """The outbox for /metrics: messages waiting, and how late the most overdue one is."""
    pending = OutboxMessage.filter(status=DeliveryStatus.PENDING)
    depth = await pending.count()
    now = clock.now()
    oldest = await pending.filter(next_attempt_at__lte=now).order_by("next_attempt_at").first()
    age = (now - oldest.next_attempt_at).total_seconds() if oldest is not None else 0.0
    return QueueReading(depth=depth, oldest_age_seconds=age)


async def claim(message: OutboxMessage, lease: timedelta = timedelta(minutes=2)) -> bool:
    """Take a message for delivery; another process that read it too will not."""
    until = clock.now() + lease
    taken = await OutboxMessage.filter(
        id=message.id, status=DeliveryStatus.PENDING, next_attempt_at=message.next_attempt_at
    ).update(next_attempt_at=until)
    return taken == 1


async def mark_sent(message: OutboxMessage) -> None:
    message.status = DeliveryStatus.SENT
    message.sent_at = clock.now()
    message.attempts += 1
    await message.save(update_fields=["status", "sent_at", "attempts"])


async def mark_failed(message: OutboxMessage, error: str, retry_after: float | None = None) -> None:
    message.attempts += 1
    message.last_error = error[:500]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = DeliveryStatus.FAILED
    message.next_attempt_at = clock.now() + retry_delay(message.attempts, retry_after)
    await message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])


async def list_for(resident: Resident, limit: int = 50) -> list[Notification]:
    return await Notification.filter(resident=resident).order_by("-created_at", "-id").limit(limit)


async def mark_read(resident: Resident, public_ids: list) -> int:
    return await Notification.filter(
        resident=resident, public_id__in=public_ids, read_at__isnull=True
    ).update(read_at=clock.now())


@on_merge
async def move_to(source: Resident, target: Resident) -> None:
    await Notification.filter(resident=source).update(resident=target)
