"""Nearest sites and AEDs, and the open/closed state staff set: the rules, no GraphQL.

Queries are answered by the process's snapshots (geo.runtime), exactly: distances on the WGS84
ellipsoid, nearer first, ties by id.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

from tortoise.expressions import F

import geo.texts  # noqa: F401 - registers the texts
from accounts.models import StaffMember
from core.errors import invalid, not_found, public_id_or_not_found
from core.i18n import t
from geo import runtime
from geo.availability import AedAvailability
from geo.geodesy import geodesic_distance_m
from geo.hazards import Hazard
from geo.models import GeoState, Shelter
from geo.operation import log
from geo.place_status import PlaceStatus, place_status
from geo.snapshot import AedView, ShelterView

MAX_LIMIT = 50


@dataclass(frozen=True, slots=True)
class ShelterHit:
    distance_m: float
    shelter: ShelterView
    map_url: str
    status: PlaceStatus


@dataclass(frozen=True, slots=True)
class AedHit:
    distance_m: float
    aed: AedView
    map_url: str


def nearest_shelters(
    *,
    lat: float,
    lng: float,
    hazard: Hazard | None = None,
    limit: int = 5,
    max_distance_m: float | None = None,
    by_status: bool = False,
) -> list[ShelterHit]:
    """The `limit` nearest places designated for `hazard` (any place when None); by_status
    (disaster mode): open places first, then those not opened, full ones, closed ones."""
    check_position(lat, lng)
    check_limit(limit)
    if max_distance_m is not None and not (math.isfinite(max_distance_m) and max_distance_m >= 0):
        raise invalid("geo.bad_distance", field="maxDistanceMeters")
    mask = hazard.bit if hazard is not None else 0
    shelters = runtime.current().shelters
    find = shelters.nearest_by_status if by_status else shelters.nearest
    return [
        ShelterHit(distance, view, map_url(view.lat, view.lng), view_status(view))
        for view, distance in find(lat, lng, limit, mask, max_distance_m)
    ]


async def nearest_open_place(
    lat: float, lng: float, hazard: Hazard | None
) -> tuple[Shelter, float] | None:
    """The nearest place opened for evacuees with room, for the hazard, read from the database
    (opened places are few; this works in a process without the index, a command's)."""
    opened = await Shelter.filter(opened=True, is_open=True, full=False)
    if hazard is not None:
        opened = [place for place in opened if place.hazards & hazard.bit]
    ranked = [(geodesic_distance_m(lat, lng, p.lat, p.lng), p.id, p) for p in opened]
    if not ranked:
        return None
    distance, _, place = min(ranked, key=lambda row: (row[0], row[1]))
    return place, distance


def view_status(view: ShelterView) -> PlaceStatus:
    return place_status(view.is_open, view.opened, view.full)


def nearest_aeds(
    *, lat: float, lng: float, limit: int = 5, available_at: dt.datetime | None = None
) -> list[AedHit]:
    """The `limit` nearest AEDs; with `available_at`, only those usable then (an AED whose
    hours are not known counts as usable)."""
    check_position(lat, lng)
    check_limit(limit)
    if available_at is not None and available_at.tzinfo is None:
        available_at = available_at.replace(tzinfo=dt.UTC)
    found = runtime.current().aeds.nearest(lat, lng, limit, available_at)
    return [AedHit(distance, view, map_url(view.lat, view.lng)) for view, distance in found]


def check_position(lat: float, lng: float) -> None:
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise invalid("geo.bad_latitude", field="lat")
    if not (math.isfinite(lng) and -180 <= lng <= 180):
        raise invalid("geo.bad_longitude", field="lng")


def check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid("geo.bad_limit", field="limit", max=MAX_LIMIT)


def map_url(lat: float, lng: float) -> str:
    """An OpenStreetMap page with a marker on the place."""
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lng:.6f}#map=17/{lat:.6f}/{lng:.6f}"
    )


def attribution(language: str) -> str:
    return t("geo.attribution", language)


def availability_text(aed: AedView, language: str) -> str:
    """When the AED can be used, as published, and a warning when that is not known."""
    written = " ".join(
        part for part in (aed.available_days, aed.available_hours, aed.availability_notes) if part
    )
    if hours_known(aed.availability):
        return t("geo.aed.hours", language, text=written)
    if written:
        return t("geo.aed.hours_unread", language, text=written)
    return t("geo.aed.hours_unknown", language)


def hazard_labels(language: str) -> list[tuple[Hazard, str, str]]:
    """Each hazard with its short label (for buttons) and the standard's wording."""
    return [
        (hazard, t(f"geo.hazard.{hazard.name}", language), hazard.label(language))
        for hazard in Hazard
    ]


def hours_known(availability: AedAvailability) -> bool:
    return availability.known and all(rule.hours_known for rule in availability.rules)


async def shelter_by_public_id(public_id: str, *, for_update: bool = False) -> Shelter:
    query = Shelter.filter(public_id=public_id_or_not_found(public_id))
    shelter = await (query.select_for_update() if for_update else query).first()
    if shelter is None:
        raise not_found()
    return shelter


class ShelterStatus(StrEnum):
    """OPEN: staff have opened it for evacuees. NOT_OPENED: a designated place, not opened
    now (the usual state outside a disaster). CLOSED: staff closed it; do not go there."""

    OPEN = "OPEN"
    NOT_OPENED = "NOT_OPENED"
    CLOSED = "CLOSED"


_FLAGS = {
    ShelterStatus.OPEN: (True, True),
    ShelterStatus.NOT_OPENED: (True, False),
    ShelterStatus.CLOSED: (False, False),
}


def status_of(is_open: bool, opened: bool) -> ShelterStatus:
    if not is_open:
        return ShelterStatus.CLOSED
    return ShelterStatus.OPEN if opened else ShelterStatus.NOT_OPENED


async def set_shelter_open(
    *, public_id: str, is_open: bool, staff: StaffMember | None = None
) -> Shelter:
    """Open a site for evacuees, or close it (the caller holds the transaction)."""
    status = ShelterStatus.OPEN if is_open else ShelterStatus.CLOSED
    return await set_shelter_status(public_id=public_id, status=status, staff=staff)


async def set_shelter_status(
    *, public_id: str, status: ShelterStatus, staff: StaffMember | None = None
) -> Shelter:
    """Set a site's status (the caller holds the transaction), logged with who did it. Every
    app process shows the change: this one at once, the others when they next poll."""
    shelter = await shelter_by_public_id(public_id, for_update=True)
    is_open, opened = _FLAGS[status]
    if (shelter.is_open, shelter.opened) != (is_open, opened):
        shelter.is_open, shelter.opened = is_open, opened
        await shelter.save(update_fields=["is_open", "opened", "updated_at"])
        await bump_open_version()
        await log.record(shelter, status=status, staff=staff)
    return shelter


async def bump_open_version() -> None:
    """Every app process re-reads the places' flags (open, opened, full) at its next poll."""
    await GeoState.filter(id=1).update(open_version=F("open_version") + 1)


def show_open_state(shelter: Shelter) -> None:
    """After the transaction that changed it has committed."""
    runtime.current().mark_open(shelter.id, shelter.is_open, shelter.opened, shelter.full)
