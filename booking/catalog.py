"""Finding facilities and their free slots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from geopy.distance import geodesic
from tortoise.expressions import Q

from booking.models import Facility, Reservation, Space, SpaceBlock, SpaceKind
from booking.rules import ClosedDay, Slot
from booking.rules.window import local_midnight
from booking.service import HOLDING, PAYMENT_GRACE, space_tree
from booking.slots import Interval, free_slots
from booking.spaces import block_space_ids
from core import clock
from core.clock import TOKYO
from core.errors import AppError, ErrorCode, invalid, not_found

MAX_DAYS = 62
MAX_FACILITIES = 50

#: Words people search with for a kind of space (体育館 finds every gym, 会議室 every room).
KIND_WORDS: dict[SpaceKind, tuple[str, ...]] = {
    SpaceKind.GYM: ("体育館", "アリーナ", "体育室", "gym", "gymnasium", "arena", "sports hall"),
    SpaceKind.ROOM: (
        "会議室",
        "集会室",
        "研修室",
        "和室",
        "部屋",
        "room",
        "meeting room",
        "hall",
    ),
    SpaceKind.GROUND: ("グラウンド", "グランド", "運動場", "野球場", "ground", "field", "pitch"),
}


@dataclass(frozen=True)
class FacilityHit:
    facility: Facility
    distance_m: float | None
    closed: ClosedDay | None = None  # with a day asked for: why the facility is closed then


async def find_facilities(
    *,
    near: tuple[float, float] | None = None,
    name: str | None = None,
    kind: SpaceKind | None = None,
    day: date | None = None,
    limit: int = 20,
) -> list[FacilityHit]:
    """Facilities by name and kind of space, nearest first when `near` (lat, lng) is given;
    with `day`, those with a free slot on that local day and those closed that day (with
    the reason), leaving out the ones open but fully booked."""
    query = Facility.filter(listed=True)
    if name and name.strip():
        query = query.filter(_matching(name.strip()[:100])).distinct()
    if kind is not None:
        query = query.filter(spaces__kind=kind, spaces__is_active=True).distinct()
    facilities = await query.order_by("id").limit(200)
    hits = [FacilityHit(facility, _distance(near, facility)) for facility in facilities]
    if near is not None:
        hits.sort(key=lambda hit: (hit.distance_m is None, hit.distance_m or 0.0))
    if day is not None:
        hits = [hit for hit in [await _on_day(hit, day, kind) for hit in hits] if hit is not None]
    return hits[: max(1, min(limit, MAX_FACILITIES))]


async def _on_day(hit: FacilityHit, day: date, kind: SpaceKind | None) -> FacilityHit | None:
    if await _has_free_slot(hit.facility.id, day, kind):
        return hit
    closed = await facility_closed_on(hit.facility.id, day, kind)
    return FacilityHit(hit.facility, hit.distance_m, closed) if closed is not None else None


async def facility_closed_on(
    facility_id: int, day: date, kind: SpaceKind | None = None
) -> ClosedDay | None:
    """Why every (active, wanted) space of the facility is closed all `day`, or None."""
    spaces = await Space.filter(facility_id=facility_id, is_active=True).order_by("id")
    reasons = [
        space.space_rules().hours.closed_reason(day)
        for space in spaces
        if kind is None or space.kind == kind
    ]
    if not reasons or any(reason is None for reason in reasons):
        return None
    return reasons[0]


def closed_days(space: Space, from_date: date, to_date: date) -> list[ClosedDay]:
    hours = space.space_rules().hours
    days = (from_date + timedelta(days=n) for n in range((to_date - from_date).days + 1))
    return [closed for day in days if (closed := hours.closed_reason(day)) is not None]


def refuse_if_closed_throughout(space: Space, from_date: date, to_date: date) -> None:
    """A range in which the space never opens is answered with why, not an empty list."""
    check_range(from_date, to_date)
    closed = closed_days(space, from_date, to_date)
    if len(closed) == (to_date - from_date).days + 1:
        first = closed[0]
        raise AppError(
            ErrorCode.FACILITY_CLOSED,
            f"booking.closed.{first.reason.value}",
            field="from",
            ja=first.label.ja if first.label else "臨時休館",
            en=first.label.en if first.label else "temporary closure",
        )


def _matching(words: str) -> Q:
    """A facility by its name or address, a room's name, or a kind of space named in words."""
    found = (
        Q(name_ja__icontains=words)
        | Q(name_en__icontains=words)
        | Q(address_ja__icontains=words)
        | Q(spaces__name_ja__icontains=words, spaces__is_active=True)
        | Q(spaces__name_en__icontains=words, spaces__is_active=True)
    )
    kinds = kinds_named(words)
    if kinds:
        found |= Q(spaces__kind__in=kinds, spaces__is_active=True)
    return found


def kinds_named(words: str) -> list[SpaceKind]:
    """The kinds of space the words name ("会議室", "a gym")."""
    folded = words.casefold()
    return [
        kind
        for kind, names in KIND_WORDS.items()
        if any(name.casefold() in folded or folded in name.casefold() for name in names)
        and len(folded) >= 2
    ]


def _distance(near: tuple[float, float] | None, facility: Facility) -> float | None:
    if near is None or facility.latitude is None or facility.longitude is None:
        return None
    return geodesic(near, (facility.latitude, facility.longitude)).meters


async def _has_free_slot(facility_id: int, day: date, kind: SpaceKind | None) -> bool:
    by_space = await facility_availability(facility_id=facility_id, from_date=day, to_date=day)
    spaces = await Space.filter(facility_id=facility_id, is_active=True).values_list("id", "kind")
    wanted = {space_id for space_id, space_kind in spaces if kind is None or space_kind == kind}
    return any(slots for space_id, slots in by_space.items() if space_id in wanted)


async def get_facility(facility_id: int) -> Facility:
    facility = await Facility.get_or_none(id=facility_id, listed=True)
    if facility is None:
        raise not_found()
    return facility


def check_range(from_date: date, to_date: date) -> None:
    if to_date < from_date:
        raise invalid("booking.error.INVALID_RANGE", field="to")
    if (to_date - from_date).days + 1 > MAX_DAYS:
        raise invalid("booking.range_too_long", field="to", days=MAX_DAYS)


async def space_availability(*, space: Space, from_date: date, to_date: date) -> list[Slot]:
    refuse_if_closed_throughout(space, from_date, to_date)
    by_space = await facility_availability(
        facility_id=space.facility_id, from_date=from_date, to_date=to_date, only=space
    )
    return by_space.get(space.id, [])


async def facility_availability(
    *, facility_id: int, from_date: date, to_date: date, only: Space | None = None
) -> dict[int, list[Slot]]:
    """Free slots per active space of the facility on local days from_date..to_date."""
    check_range(from_date, to_date)
    now = clock.now()
    tree = await space_tree(facility_id)
    spaces = [only] if only else await Space.filter(facility_id=facility_id, is_active=True)
    start = max(local_midnight(from_date, TOKYO), now)
    end = local_midnight(to_date + timedelta(days=1), TOKYO)
    if end <= start:
        return {space.id: [] for space in spaces}
    busy = await _busy_by_space(list(tree), start, end, now)
    result = {}
    for space in spaces:
        intervals = [
            i for space_id in block_space_ids(space.id, tree) for i in busy.get(space_id, ())
        ]
        result[space.id] = free_slots(space.space_rules(), from_date, to_date, intervals, now)
    return result


async def _busy_by_space(
    space_ids: list[int], start: datetime, end: datetime, now: datetime
) -> dict[int, list[Interval]]:
    rows = await SpaceBlock.filter(
        space_id__in=space_ids, active=True, starts_at__lt=end, ends_at__gt=start
    ).values_list("space_id", "starts_at", "ends_at", "reservation_id")
    lapsed = await _lapsed_reservation_ids(space_ids, start, end, now)
    busy: dict[int, list[Interval]] = {}
    for space_id, starts_at, ends_at, reservation_id in rows:
        if reservation_id not in lapsed:
            busy.setdefault(space_id, []).append((starts_at, ends_at))
    return busy


async def _lapsed_reservation_ids(
    space_ids: list[int], start: datetime, end: datetime, now: datetime
) -> set[int]:
    """Holds whose time is up: shown free, because the next hold releases them."""
    rows = await Reservation.filter(
        space_id__in=space_ids,
        status__in=list(HOLDING),
        hold_expires_at__lte=now,
        from_lottery=False,
        starts_at__lt=end,
        ends_at__gt=start,
    ).values_list("id", "hold_expires_at", "payment_reference")
    return {
        reservation_id
        for reservation_id, expires_at, payment in rows
        if expires_at + (PAYMENT_GRACE if payment else timedelta(0)) <= now
    }
