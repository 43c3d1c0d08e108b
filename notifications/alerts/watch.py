"""Where a resident wants alerts for: watch areas, the bot's last shared location, the city."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Resident
from accounts.service import on_merge
from core import clock
from core.errors import invalid
from notifications.alerts.geometry import circle_bounds
from notifications.alerts.models import AlertSubscription, SharedLocation, WatchArea
from notifications.alerts.recipients import SHARED_LOCATION_LIFETIME
from notifications.alerts.validation import check_position, check_radius, check_text
from notifications.channels.push.service import follow_again

MAX_WATCH_AREAS = 10
MAX_LABEL = 50
MIN_WATCH_RADIUS_M = 50.0
MAX_WATCH_RADIUS_M = 50_000.0


@dataclass(frozen=True)
class WatchAreaDraft:
    label: str
    lat: float
    lng: float
    radius_m: float


def _check(drafts: list[WatchAreaDraft]) -> None:
    if len(drafts) > MAX_WATCH_AREAS:
        raise invalid("alerts.too_many_watch_areas", field="areas", max=MAX_WATCH_AREAS)
    for index, draft in enumerate(drafts):
        field = f"areas[{index}]"
        check_text(draft.label, f"{field}.label", MAX_LABEL)
        check_position(draft.lat, draft.lng, field)
        check_radius(draft.radius_m, f"{field}.radiusMeters", MIN_WATCH_RADIUS_M)
        if draft.radius_m > MAX_WATCH_RADIUS_M:
            raise invalid(
                "alerts.bad_radius",
                field=f"{field}.radiusMeters",
                low=int(MIN_WATCH_RADIUS_M),
                high=int(MAX_WATCH_RADIUS_M),
            )


async def set_watch_areas(resident: Resident, drafts: list[WatchAreaDraft]) -> list[WatchArea]:
    """Replace the resident's watch areas (call inside a transaction)."""
    _check(drafts)
    await WatchArea.filter(resident=resident).delete()
    areas = []
    for position, draft in enumerate(drafts):
        min_lat, min_lng, max_lat, max_lng = circle_bounds(draft.lat, draft.lng, draft.radius_m)
        areas.append(
            WatchArea(
                resident=resident,
                label=draft.label.strip(),
                lat=draft.lat,
                lng=draft.lng,
                radius_m=draft.radius_m,
                min_lat=min_lat,
                min_lng=min_lng,
                max_lat=max_lat,
                max_lng=max_lng,
                position=position,
            )
        )
    if areas:
        await WatchArea.bulk_create(areas)
    await follow_again([resident.id])
    return await watch_areas_of(resident)


async def watch_areas_of(resident: Resident) -> list[WatchArea]:
    return await WatchArea.filter(resident=resident).order_by("position", "id")


async def share_location(resident: Resident, lat: float, lng: float) -> SharedLocation:
    """Remember the location the resident just shared; alerts there reach them for a day."""
    check_position(lat, lng, "location")
    location, _ = await SharedLocation.update_or_create(
        resident=resident, defaults={"lat": lat, "lng": lng, "shared_at": clock.now()}
    )
    return location


async def shared_location_of(resident: Resident) -> SharedLocation | None:
    return await SharedLocation.get_or_none(
        resident=resident, shared_at__gt=clock.now() - SHARED_LOCATION_LIFETIME
    )


async def subscription_of(resident: Resident) -> AlertSubscription:
    found = await AlertSubscription.get_or_none(resident=resident)
    return found or AlertSubscription(resident=resident)


async def set_subscription(
    resident: Resident, *, city_wide: bool, exercises: bool | None = None
) -> AlertSubscription:
    subscription = await subscription_of(resident)
    subscription.city_wide = city_wide
    if exercises is not None:
        subscription.exercises = exercises
    await subscription.save()
    await follow_again([resident.id])
    return subscription


@on_merge
async def move_to(source: Resident, target: Resident) -> None:
    await WatchArea.filter(resident=source).update(resident=target)
    # These rows are keyed by the resident, and a primary key cannot be updated: the target keeps
    # its own row, else it gets a copy of the source's.
    for model in (SharedLocation, AlertSubscription):
        row = await model.get_or_none(resident=source)
        if row is None:
            continue
        if not await model.exists(resident=target):
            values = {
                name: getattr(row, name)
                for name in model._meta.fields_db_projection
                if name != "resident_id"
            }
            await model.create(resident=target, **values)
        await row.delete()
