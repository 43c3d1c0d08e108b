"""GraphQL of alerts: crisis staff issue them, residents say where they want them, anyone
reads the active ones for a point."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import strawberry
from strawberry.types import Info
from tortoise.transactions import in_transaction

from accounts.permissions import IsAuthenticated, IsStaff
from core import clock
from core.errors import invalid
from core.pubsub import broker
from notifications.alerts import sending, service, watch
from notifications.alerts.models import Alert, AlertMessage, AlertStatus, MsgType
from notifications.alerts.types import (
    AlertDelivery,
    AlertInput,
    AlertSubscriptionType,
    AlertType,
    SharedLocationType,
    WatchAreaInput,
    WatchAreaType,
)
from notifications.alerts.validation import check_position

MAX_LIST = 200


class IsCrisisManager(IsStaff):
    """Admins and staff of the crisis-management department (危機管理課)."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return super().has_permission(source, info, **kwargs) and service.can_manage(
            info.context.staff
        )


def _out(alert: Alert, info: Info) -> AlertType:
    active = service.is_active(alert, clock.now())
    return AlertType.from_model(alert, info.context.language, active=active)


async def _after_commit(alert: Alert, message: AlertMessage, info: Info) -> None:
    service.publish(alert)
    await sending.announce(alert, message, info.context.settings)


@strawberry.type
class AlertsQuery:
    @strawberry.field(
        permission_classes=[IsCrisisManager],
        description="Alerts, newest first; active: only those in force now (false: the others).",
    )
    async def alerts(self, info: Info, active: bool | None = None) -> list[AlertType]:
        return [_out(a, info) for a in await service.list_alerts(active=active, limit=MAX_LIST)]

    @strawberry.field(
        permission_classes=[IsCrisisManager],
        description="How far the alert's messages have got, in all and by channel.",
    )
    async def alert_delivery(self, id: strawberry.ID) -> AlertDelivery:
        alert = await service.alert_by_public_id(id)
        return AlertDelivery.from_counts(await sending.delivery_counts(alert))

    @strawberry.field(description="The real alerts in force now whose area covers the point.")
    async def active_alerts(self, info: Info, lat: float, lng: float) -> list[AlertType]:
        check_position(lat, lng, "point")
        return [_out(a, info) for a in await service.active_alerts_at(lat, lng)]

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def watch_areas(self, info: Info) -> list[WatchAreaType]:
        areas = await watch.watch_areas_of(info.context.resident)
        return [WatchAreaType.from_model(area) for area in areas]

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def alert_subscription(self, info: Info) -> AlertSubscriptionType:
        subscription = await watch.subscription_of(info.context.resident)
        return AlertSubscriptionType.from_model(subscription)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The location last shared in the bot, while it still counts (24 hours).",
    )
    async def shared_location(self, info: Info) -> SharedLocationType | None:
        location = await watch.shared_location_of(info.context.resident)
        return SharedLocationType.from_model(location) if location else None


@strawberry.type
class AlertsMutation:
    @strawberry.mutation(
        permission_classes=[IsCrisisManager],
        description="Issue an alert (CAP msgType ALERT); it goes out to everyone it concerns.",
    )
    async def create_alert(self, info: Info, input: AlertInput) -> AlertType:
        if input.msg_type != MsgType.ALERT:
            raise invalid("alerts.msg_type_create", field="msgType")
        async with in_transaction():
            alert, message = await service.create_alert(
                staff=info.context.staff,
                status=input.status,
                content=input.as_content(clock.now()),
                settings=info.context.settings,
            )
        await _after_commit(alert, message, info)
        return _out(alert, info)

    @strawberry.mutation(
        permission_classes=[IsCrisisManager],
        description="Replace an alert's content (CAP msgType UPDATE, referencing the earlier ones).",
    )
    async def update_alert(self, info: Info, id: strawberry.ID, input: AlertInput) -> AlertType:
        if input.msg_type not in (MsgType.ALERT, MsgType.UPDATE):
            raise invalid("alerts.msg_type_update", field="msgType")
        async with in_transaction():
            alert = await service.alert_by_public_id(id, for_update=True)
            message = await service.update_alert(
                alert=alert,
                status=input.status,
                content=input.as_content(clock.now()),
                settings=info.context.settings,
            )
        await _after_commit(alert, message, info)
        return _out(alert, info)

    @strawberry.mutation(
        permission_classes=[IsCrisisManager],
        description="Withdraw an alert (CAP msgType CANCEL, referencing the earlier ones).",
    )
    async def cancel_alert(self, info: Info, id: strawberry.ID, note: str = "") -> AlertType:
        async with in_transaction():
            alert = await service.alert_by_public_id(id, for_update=True)
            message = await service.cancel_alert(
                alert=alert, note=note.strip(), settings=info.context.settings
            )
        await _after_commit(alert, message, info)
        return _out(alert, info)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Replace your watch areas (at most 10 circles): alerts there reach you.",
    )
    async def set_watch_areas(self, info: Info, areas: list[WatchAreaInput]) -> list[WatchAreaType]:
        async with in_transaction():
            saved = await watch.set_watch_areas(
                info.context.resident, [area.as_draft() for area in areas]
            )
        return [WatchAreaType.from_model(area) for area in saved]

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Alerts for the whole city; exercises: test and exercise alerts too.",
    )
    async def set_alert_subscription(
        self, info: Info, city_wide: bool, exercises: bool | None = None
    ) -> AlertSubscriptionType:
        subscription = await watch.set_subscription(
            info.context.resident, city_wide=city_wide, exercises=exercises
        )
        return AlertSubscriptionType.from_model(subscription)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Alerts at this location reach you for the next 24 hours (the bot sends it).",
    )
    async def share_location(self, info: Info, lat: float, lng: float) -> SharedLocationType:
        location = await watch.share_location(info.context.resident, lat, lng)
        return SharedLocationType.from_model(location)


@strawberry.type
class AlertsSubscription:
    @strawberry.subscription(description="Real alerts issued, updated or cancelled at the point.")
    async def alert_issued(
        self, info: Info, lat: float, lng: float
    ) -> AsyncGenerator[AlertType, None]:
        check_position(lat, lng, "point")
        async with broker.subscribe(service.ALERTS_TOPIC) as queue:
            while True:
                event = await queue.get()
                alert = await Alert.get_or_none(id=event["id"])
                if alert is None:
                    continue
                if alert.status == AlertStatus.ACTUAL and service.covers(alert, lat, lng):
                    yield _out(alert, info)
