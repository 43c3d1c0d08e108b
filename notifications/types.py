"""GraphQL types of notifications: messages, preferences, devices and the ledger's outcomes."""

from __future__ import annotations

from datetime import datetime, time

import strawberry

from notifications import service
from notifications.channels.email.models import EmailAddress
from notifications.channels.push.models import Platform
from notifications.models import Channel, Delivery, LedgerStatus, Notification
from notifications.preferences.models import NotificationPreferences
from notifications.preferences.service import ALL_CHANNELS, quiet_hours_of

NotificationChannelEnum = strawberry.enum(Channel, name="NotificationChannel")
DeliveryStatusEnum = strawberry.enum(LedgerStatus, name="DeliveryStatus")
PushPlatformEnum = strawberry.enum(Platform, name="PushPlatform")


@strawberry.type(name="Notification")
class NotificationType:
    id: strawberry.ID
    kind: str
    text: str
    link: str
    created_at: datetime
    read: bool

    @classmethod
    def from_model(cls, notification: Notification, language: str) -> NotificationType:
        return cls(
            id=strawberry.ID(str(notification.public_id)),
            kind=notification.kind,
            text=service.render(notification, language),
            link=notification.link,
            created_at=notification.created_at,
            read=notification.read_at is not None,
        )


@strawberry.type
class QuietHours:
    """Local (Japan) times; status updates wait until the end, alerts never wait."""

    start: time
    end: time


@strawberry.input
class QuietHoursInput:
    start: time
    end: time


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@strawberry.type(name="NotificationPreferences")
class NotificationPreferencesType:
    channels: list[NotificationChannelEnum]  # type: ignore[valid-type]
    quiet_hours: QuietHours | None
    language: str
    telegram_linked: bool
    telegram_blocked: bool
    push_devices: int
    email: str | None
    email_confirmed: bool

    @classmethod
    def build(
        cls,
        *,
        prefs: NotificationPreferences | None,
        language: str,
        telegram_linked: bool,
        push_devices: int,
        email: EmailAddress | None,
    ) -> NotificationPreferencesType:
        quiet = quiet_hours_of(prefs)
        chosen = [Channel(c) for c in prefs.channels] if prefs else list(ALL_CHANNELS)
        return cls(
            channels=chosen,
            quiet_hours=QuietHours(start=_clock(quiet.start), end=_clock(quiet.end))
            if quiet
            else None,
            language=language,
            telegram_linked=telegram_linked,
            telegram_blocked=bool(prefs and prefs.telegram_blocked_at),
            push_devices=push_devices,
            email=email.address if email else None,
            email_confirmed=bool(email and email.verified_at and not email.bounced_at),
        )


@strawberry.type(name="PushDevice")
class PushDeviceType:
    platform: PushPlatformEnum  # type: ignore[valid-type]
    registered_at: datetime


@strawberry.type(name="DeliveryOutcome")
class DeliveryOutcomeType:
    """One channel's delivery of a message, as the ledger records it (no address)."""

    channel: NotificationChannelEnum  # type: ignore[valid-type]
    status: DeliveryStatusEnum  # type: ignore[valid-type]
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    updated_at: datetime
    delivered_at: datetime | None

    @classmethod
    def from_model(cls, row: Delivery) -> DeliveryOutcomeType:
        return cls(
            channel=Channel(row.channel),
            status=LedgerStatus(row.status),
            attempts=row.attempts,
            last_error=row.last_error,
            next_attempt_at=row.next_attempt_at,
            updated_at=row.updated_at,
            delivered_at=row.delivered_at,
        )


@strawberry.type(name="NotificationOutcome")
class NotificationOutcomeType:
    notification_id: strawberry.ID
    kind: str
    link: str
    created_at: datetime
    read: bool
    deliveries: list[DeliveryOutcomeType]
