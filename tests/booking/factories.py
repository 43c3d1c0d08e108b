"""Facilities, people and times for booking tests, written straight to the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from accounts.models import Department, Resident, Role, StaffMember
from booking.models import Facility, Space, SpaceKind
from booking.pricing import PriceUnit
from booking.rules import (
    AdvanceWindow,
    FixedGrid,
    FixedPeriod,
    IntervalGrid,
    Label,
    OpeningHours,
    Period,
    SpaceRules,
)
from booking.rules.as_json import policy_to_json, rules_to_json
from booking.rules.policy import CancellationPolicy
from core import clock, security
from core.settings import Settings

JST = ZoneInfo("Asia/Tokyo")
MORNING = FixedPeriod(Label("午前", "Morning"), time(9), time(12))
AFTERNOON = FixedPeriod(Label("午後", "Afternoon"), time(13), time(17))
EVENING = FixedPeriod(Label("夜間", "Evening"), time(18), time(21))
OPEN_AHEAD = AdvanceWindow(opens_months=3, closes_days=0)

GYM_RULES = SpaceRules(
    hours=OpeningHours.same_every_day(Period(time(9), time(21))),
    grid=FixedGrid((MORNING, AFTERNOON, EVENING)),
    window=OPEN_AHEAD,
)
ROOM_RULES = SpaceRules(
    hours=OpeningHours.same_every_day(Period(time(9), time(21))),
    grid=IntervalGrid(step_minutes=30, min_minutes=60, max_minutes=180),
    window=OPEN_AHEAD,
)


@dataclass
class Gym:
    facility: Facility
    whole: Space
    half_a: Space
    half_b: Space
    room: Space
    free_room: Space


async def department(code: str = "sports") -> Department:
    found, _ = await Department.get_or_create(
        code=code, defaults={"name_ja": code, "name_en": code}
    )
    return found


async def make_gym(
    *,
    policy: CancellationPolicy | None = None,
    lottery_cap: int | None = None,
    max_active: int | None = None,
    department_code: str = "sports",
) -> Gym:
    """二本松市民体育館-like: a whole floor with two halves, a meeting room, a free room."""
    facility = await Facility.create(
        name_ja="テスト体育館",
        name_en="Test Gymnasium",
        address_ja="二本松市金色403-1",
        latitude=37.5849,
        longitude=140.4312,
        department=await department(department_code),
        cancellation_policy=policy_to_json(policy or CancellationPolicy.full()),
        lottery_monthly_cap=lottery_cap,
    )
    gym_rules = rules_to_json(GYM_RULES) | {"max_active_bookings": max_active}
    common = {"facility": facility, "kind": SpaceKind.GYM, "rules": gym_rules}
    whole = await Space.create(
        name_ja="全面",
        name_en="Whole floor",
        resident_price_yen=3000,
        non_resident_price_yen=4500,
        **common,
    )
    half_a = await Space.create(
        name_ja="A面",
        name_en="Half A",
        parent=whole,
        resident_price_yen=1500,
        non_resident_price_yen=2250,
        **common,
    )
    half_b = await Space.create(
        name_ja="B面",
        name_en="Half B",
        parent=whole,
        resident_price_yen=1500,
        non_resident_price_yen=2250,
        **common,
    )
    room = await Space.create(
        facility=facility,
        kind=SpaceKind.ROOM,
        name_ja="会議室",
        name_en="Meeting room",
        rules=rules_to_json(ROOM_RULES),
        price_unit=PriceUnit.PER_HOUR,
        resident_price_yen=400,
        non_resident_price_yen=600,
    )
    free_room = await Space.create(
        facility=facility,
        kind=SpaceKind.ROOM,
        name_ja="談話室",
        name_en="Lounge",
        rules=rules_to_json(ROOM_RULES),
    )
    return Gym(facility, whole, half_a, half_b, room, free_room)


def local_day(days_ahead: int) -> date:
    return clock.now().astimezone(JST).date() + timedelta(days=days_ahead)


def slot(days_ahead: int = 3, period: FixedPeriod = MORNING) -> tuple[datetime, datetime]:
    day = local_day(days_ahead)
    return datetime.combine(day, period.starts, JST), datetime.combine(day, period.ends, JST)


def slot_vars(space: Space, days_ahead: int = 3, period: FixedPeriod = MORNING) -> dict[str, str]:
    start, end = slot(days_ahead, period)
    return {"spaceId": str(space.id), "start": start.isoformat(), "end": end.isoformat()}


def token_for(settings: Settings, person: Resident | StaffMember) -> str:
    kind = "r" if isinstance(person, Resident) else "s"
    return security.issue_access_token(
        settings.secret_key, f"{kind}:{person.public_id}", settings.access_token_minutes
    )


async def resident(settings: Settings, name: str = "二本松 花子", **fields) -> tuple[Resident, str]:
    person = await Resident.create(display_name=name, **fields)
    return person, token_for(settings, person)


async def many_residents(
    settings: Settings, count: int, prefix: str = "住民"
) -> list[tuple[Resident, str]]:
    people = [Resident(display_name=f"{prefix}{number}") for number in range(count)]
    await Resident.bulk_create(people)
    stored = await Resident.filter(display_name__startswith=prefix).order_by("id")
    return [(person, token_for(settings, person)) for person in stored]


async def staff(
    settings: Settings, department_code: str = "sports", role: Role = Role.CLERK
) -> tuple[StaffMember, str]:
    member = await StaffMember.create(
        email=f"{department_code}-{role.value}-{uuid.uuid4().hex[:8]}@city.example.jp",
        password_hash="unused",
        display_name="施設 係",
        department=await department(department_code),
        role=role,
    )
    return member, token_for(settings, member)
