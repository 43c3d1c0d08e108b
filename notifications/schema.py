from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from accounts.permissions import IsAuthenticated
from core.pubsub import broker
from notifications import service
from notifications.models import Notification


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
class NotificationsQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def my_notifications(self, info: Info, limit: int = 50) -> list[NotificationType]:
        limit = max(1, min(limit, 200))
        items = await service.list_for(info.context.resident, limit)
        return [NotificationType.from_model(item, info.context.language) for item in items]


@strawberry.type
class NotificationsMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def mark_notifications_read(self, info: Info, ids: list[strawberry.ID]) -> int:
        public_ids = []
        for value in ids[:200]:
            try:
                public_ids.append(uuid.UUID(str(value)))
            except ValueError:
                continue
        return await service.mark_read(info.context.resident, public_ids)


@strawberry.type
class NotificationsSubscription:
    @strawberry.subscription(permission_classes=[IsAuthenticated])
    async def notification_added(self, info: Info) -> AsyncGenerator[NotificationType, None]:
        resident = info.context.resident
        async with broker.subscribe(service.topic_for(resident.id)) as queue:
            while True:
                event = await queue.get()
                notification = await Notification.get_or_none(id=event["id"], resident=resident)
                if notification is not None:
                    yield NotificationType.from_model(notification, info.context.language)
