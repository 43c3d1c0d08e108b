"""Disaster mode: what holds at a point, the city's switch, and nearest places as the
situation wants them. The rules, no GraphQL."""

from __future__ import annotations

import disaster.texts  # noqa: F401 - registers the texts
from accounts.models import StaffMember
from core import clock, pubsub
from core.errors import invalid
from disaster.mode import runtime
from disaster.mode.models import CityMode, CityModeChange
from disaster.mode.situation import MODE_TOPIC, CityState, Reading
from geo import service as places
from geo.hazards import Hazard
from notifications.alerts.validation import check_text

MAX_NOTE = 500


async def reading_at(lat: float, lng: float) -> Reading:
    places.check_position(lat, lng)
    return (await runtime.current().settled()).at(lat, lng, clock.now())


async def city_state() -> CityState:
    return (await runtime.current().settled()).city


async def nearest_shelters(
    *,
    lat: float,
    lng: float,
    hazard: Hazard | None = None,
    limit: int = 5,
    max_distance_m: float | None = None,
) -> tuple[Reading, list[places.ShelterHit]]:
    """Without a hazard, the one the situation names; in disaster mode, open places first."""
    reading = await reading_at(lat, lng)
    hits = places.nearest_shelters(
        lat=lat,
        lng=lng,
        hazard=hazard or reading.hazard,
        limit=limit,
        max_distance_m=max_distance_m,
        by_status=reading.disaster_mode,
    )
    return reading, hits


async def set_city_mode(
    *, staff: StaffMember, mode: CityMode, hazard: Hazard | None, note: str
) -> CityModeChange:
    """Switch the whole city (the caller holds the transaction; `publish` after the commit)."""
    note = note.strip()
    check_text(note, "note", MAX_NOTE)
    if hazard is not None and mode != CityMode.DISASTER:
        raise invalid("disaster.mode.hazard_without_disaster", field="hazard")
    return await CityModeChange.create(
        mode=mode,
        hazard=hazard.value if hazard else None,
        note=note,
        at=clock.now(),
        staff=staff,
        staff_name=staff.display_name,
    )


def publish(change: CityModeChange) -> None:
    """Every instance's next reading sees the change (announced after the commit)."""
    pubsub.publish(MODE_TOPIC, {"id": change.id})
