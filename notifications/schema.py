from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from accounts.permissions import IsAuthenticated, IsStaff
from core.errors import invalid, public_id_or_not_found
from core.pubsub import broker
from notifications import service
from notifications.channels.email import service as email_addresses
from notifications.channels.push import service as push
from notifications.models import Channel, Notification
from notifications.preferences import service as preferences
from notifications.types import (
    DeliveryOutcomeType,
    NotificationChannelEnum,
    NotificationOutcomeType,
    NotificationPreferencesType,
    NotificationType,
    PushPlatformEnum,
    QuietHoursInput,
)

LINK_MAX = 500


def _uuid_or_none(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


async def _preferences_of(info: Info) -> NotificationPreferencesType:
    resident = info.context.resident
    return NotificationPreferencesType.build(
        prefs=await preferences.preferences_of(resident),
        language=resident.language,
        telegram_linked=resident.telegram_chat_id is not None,
        push_devices=len(await push.devices_of(resident)),
        email=await email_addresses.address_of(resident),
    )


def _base_url(info: Info) -> str:
    settings = info.context.settings
    return settings.public_base_url or f"http://{settings.host}:{settings.port}"


@strawberry.type
class NotificationsQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def my_notifications(self, info: Info, limit: int = 50) -> list[NotificationType]:
        limit = max(1, min(limit, 200))
        items = await service.list_for(info.context.resident, limit)
        return [NotificationType.from_model(item, info.context.language) for item in items]

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def notification_preferences(self, info: Info) -> NotificationPreferencesType:
        return await _preferences_of(info)

    @strawberry.field(
        permission_classes=[IsStaff],
        description="How a message went on each channel: by its id, or every message about "
        "one object by the link it carries (e.g. report:<id>).",
    )
    async def notification_deliveries(
        self, info: Info, notification_id: strawberry.ID | None = None, link: str | None = None
    ) -> list[NotificationOutcomeType]:
        if notification_id is None and not link:
            raise invalid("error.validation", field="notificationId", detail="id or link")
        if link is not None and len(link) > LINK_MAX:
            raise invalid("error.validation", field="link", detail=f"<= {LINK_MAX}")
        public_id = public_id_or_not_found(notification_id) if notification_id else None
        found = await service.outcomes(public_id=public_id, link=link)
        return [
            NotificationOutcomeType(
                notification_id=strawberry.ID(str(item.public_id)),
                kind=item.kind,
                link=item.link,
                created_at=item.created_at,
                read=item.read_at is not None,
                deliveries=[DeliveryOutcomeType.from_model(row) for row in item.ledger],
            )
            for item in found
        ]


@strawberry.type
class NotificationsMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def mark_notifications_read(self, info: Info, ids: list[strawberry.ID]) -> int:
        public_ids = [uid for uid in (_uuid_or_none(value) for value in ids[:200]) if uid]
        return await service.mark_read(info.context.resident, public_ids)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Channels for messages besides the in-app list (which always keeps one); "
        "quiet hours (Japan time) delay status updates, never alerts.",
    )
    async def set_notification_preferences(
        self,
        info: Info,
        channels: list[NotificationChannelEnum],  # type: ignore[valid-type]
        quiet_hours: QuietHoursInput | None = None,
        language: str | None = None,
    ) -> NotificationPreferencesType:
        await preferences.set_preferences(
            info.context.resident,
            channels=[Channel(c) for c in channels],
            quiet=(quiet_hours.start, quiet_hours.end) if quiet_hours else None,
            language=language,
        )
        return await _preferences_of(info)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def register_push_device(
        self,
        info: Info,
        token: str,
        platform: PushPlatformEnum,  # type: ignore[valid-type]
    ) -> NotificationPreferencesType:
        await push.register(info.context.resident, token, platform)
        return await _preferences_of(info)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def unregister_push_device(self, info: Info, token: str) -> bool:
        return await push.unregister(info.context.resident, token)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Mails a confirmation link; the address is used once the link is opened.",
    )
    async def set_notification_email(self, info: Info, email: str) -> NotificationPreferencesType:
        await email_addresses.set_address(
            info.context.resident,
            email,
            settings=info.context.settings.delivery,
            base_url=_base_url(info),
        )
        return await _preferences_of(info)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def remove_notification_email(self, info: Info) -> NotificationPreferencesType:
        await email_addresses.remove(info.context.resident)
        return await _preferences_of(info)


@strawberry.type
class NotificationsSubscription:
    @strawberry.subscription(permission_classes=[IsAuthenticated])
    async def notification_added(self, info: Info) -> AsyncGenerator[NotificationType, None]:
        resident = info.context.resident
        async with broker.subscribe(service.topic_for(resident.id)) as queue:
            while True:
                event = await queue.get()
                notification = await Notification.get_or_none(
                    id=event["id"], resident=resident
                ).select_related("broadcast")
                if notification is not None:
                    yield NotificationType.from_model(notification, info.context.language)
