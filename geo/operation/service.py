"""Shelter operation: staff set a shelter's capacity, headcount and offers; the status board
reads them. The rules, no GraphQL or HTTP; callers own the transaction.

空き / 混雑 / 満 is derived, never set: full when the headcount has reached the capacity,
crowded from `CROWDED_SHARE` of it. The capacity is the one staff set, else the published one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import geo.operation.texts  # noqa: F401 - registers the texts
from accounts.models import StaffMember
from core import clock
from core.errors import invalid
from geo import service as places
from geo.models import Shelter
from geo.operation import log
from geo.operation.models import Offer, ShelterOperation
from geo.place_status import PlaceStatus, place_status

CROWDED_SHARE = 0.8
MAX_PEOPLE = 100_000
MAX_BOARD = 3_000
# The board lists opened shelters first: where people are, and where there is room.
BOARD_ORDER = (PlaceStatus.OPEN, PlaceStatus.FULL, PlaceStatus.NOT_OPENED, PlaceStatus.CLOSED)


class Crowding(StrEnum):
    AVAILABLE = "AVAILABLE"  # 空き
    CROWDED = "CROWDED"  # 混雑
    FULL = "FULL"  # 満
    UNKNOWN = "UNKNOWN"  # no capacity known


def crowding(capacity: int | None, headcount: int | None) -> Crowding:
    if capacity is None or capacity <= 0 or headcount is None:
        return Crowding.UNKNOWN
    if headcount >= capacity:
        return Crowding.FULL
    return Crowding.CROWDED if headcount >= capacity * CROWDED_SHARE else Crowding.AVAILABLE


def capacity_of(shelter: Shelter, operation: ShelterOperation | None) -> int | None:
    if operation is not None and operation.capacity is not None:
        return operation.capacity
    return shelter.capacity if shelter.capacity and shelter.capacity > 0 else None


@dataclass(frozen=True, slots=True)
class BoardEntry:
    shelter: Shelter
    status: PlaceStatus
    capacity: int | None
    headcount: int | None
    crowding: Crowding
    offers: tuple[Offer, ...]
    updated_at: datetime | None

    @classmethod
    def of(cls, shelter: Shelter, operation: ShelterOperation | None) -> BoardEntry:
        capacity = capacity_of(shelter, operation)
        headcount = operation.headcount if operation else None
        return cls(
            shelter=shelter,
            status=place_status(shelter.is_open, shelter.opened, shelter.full),
            capacity=capacity,
            headcount=headcount,
            crowding=crowding(capacity, headcount),
            offers=tuple(Offer(o) for o in operation.offers) if operation else (),
            updated_at=operation.updated_at if operation else None,
        )


def check_people(value: int | None, field: str, *, low: int) -> None:
    if value is not None and not low <= value <= MAX_PEOPLE:
        raise invalid("geo.operation.bad_people", field=field, low=low, high=MAX_PEOPLE)


async def update_shelter_status(
    *,
    public_id: str,
    staff: StaffMember,
    capacity: int | None = None,
    headcount: int | None = None,
    offers: list[Offer] | None = None,
) -> BoardEntry:
    """Set what is given (None leaves it), time-stamped and attributed, and logged."""
    if capacity is None and headcount is None and offers is None:
        raise invalid("geo.operation.nothing_to_change", field="headcount")
    check_people(capacity, "capacity", low=1)
    check_people(headcount, "headcount", low=0)
    # The shelter's row is locked: reports on one shelter are applied one after the other.
    shelter = await places.shelter_by_public_id(public_id, for_update=True)
    operation = await ShelterOperation.get_or_none(shelter_id=shelter.id)
    if operation is None:
        operation = ShelterOperation(shelter_id=shelter.id, headcount=0, offers=[])
    if capacity is not None:
        operation.capacity = capacity
    if headcount is not None:
        operation.headcount = headcount
    if offers is not None:
        operation.offers = [offer.value for offer in Offer if offer in set(offers)]
    operation.updated_at = clock.now()
    operation.updated_by = staff
    operation.updated_by_name = staff.display_name
    await operation.save()
    await _set_full(shelter, crowding(capacity_of(shelter, operation), operation.headcount))
    status = places.status_of(shelter.is_open, shelter.opened)
    await log.record(shelter, status=status.value, staff=staff, operation=operation)
    return BoardEntry.of(shelter, operation)


async def _set_full(shelter: Shelter, level: Crowding) -> None:
    full = level == Crowding.FULL
    if shelter.full != full:
        shelter.full = full
        await shelter.save(update_fields=["full", "updated_at"])
        await places.bump_open_version()


def invalid_status() -> Exception:
    return invalid("geo.operation.bad_status", field="status")


def parse_area(raw: str | None, default: tuple[float, float, float, float], field: str):
    """`minLng,minLat,maxLng,maxLat` (RFC 7946 order); the default when not given."""
    if raw is None or not raw.strip():
        return default
    parts = raw.split(",")
    try:
        numbers = [float(part) for part in parts] if len(parts) == 4 else []
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise invalid("geo.operation.bad_area", field=field)
    min_lng, min_lat, max_lng, max_lat = numbers
    if not (-180 <= min_lng <= max_lng <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise invalid("geo.operation.bad_area", field=field)
    return (min_lng, min_lat, max_lng, max_lat)


async def board(
    area: tuple[float, float, float, float],
    *,
    statuses: frozenset[PlaceStatus] | None = None,
    field: str = "areaBbox",
) -> list[BoardEntry]:
    """The places in the area: opened ones first (BOARD_ORDER), then by name."""
    min_lng, min_lat, max_lng, max_lat = area
    found = (
        await Shelter.filter(lat__gte=min_lat, lat__lte=max_lat, lng__gte=min_lng, lng__lte=max_lng)
        .order_by("id")
        .limit(MAX_BOARD + 1)
    )
    if len(found) > MAX_BOARD:
        raise invalid("geo.operation.area_too_large", field=field, max=MAX_BOARD)
    operations = {
        operation.shelter_id: operation
        for operation in await ShelterOperation.filter(shelter_id__in=[s.id for s in found])
    }
    entries = [BoardEntry.of(shelter, operations.get(shelter.id)) for shelter in found]
    if statuses:
        entries = [entry for entry in entries if entry.status in statuses]
    rank = {status: number for number, status in enumerate(BOARD_ORDER)}
    entries.sort(key=lambda e: (rank[e.status], e.shelter.kana or e.shelter.name, e.shelter.id))
    return entries


async def entry_of(public_id: str) -> BoardEntry:
    shelter = await places.shelter_by_public_id(public_id)
    return BoardEntry.of(shelter, await ShelterOperation.get_or_none(shelter_id=shelter.id))


def show(entry: BoardEntry) -> None:
    """After the commit: this process's answers show the change at once."""
    places.show_open_state(entry.shelter)
