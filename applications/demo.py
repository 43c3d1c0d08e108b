"""The demo city's catalogue (the definitions shipped in the repository) and the city hall
counters where 転入届 and 出生届 are finished in person."""

from __future__ import annotations

from datetime import time

from accounts.models import Department
from applications.catalogue.service import import_directory
from applications.visits.models import Counter
from booking.models import Facility, Space, SpaceKind
from booking.rules import AdvanceWindow, IntervalGrid, OpeningHours, Period, SpaceRules
from booking.rules.as_json import rules_to_json

SATURDAY, SUNDAY = 5, 6
CITY_HALL = (37.5849, 140.4312)


def counter_rules() -> dict:
    """15-minute visits on weekdays, 8:30–17:00, up to a month ahead."""
    hours = OpeningHours.same_every_day(
        Period(time(8, 30), time(17)), closed_weekdays=(SATURDAY, SUNDAY)
    )
    grid = IntervalGrid(step_minutes=15, min_minutes=15, max_minutes=15)
    window = AdvanceWindow(opens_months=1, closes_days=0)
    return rules_to_json(SpaceRules(hours=hours, grid=grid, window=window))


async def seed_counter(department_code: str, name_ja: str, name_en: str) -> Counter:
    department = await Department.get(code=department_code)
    existing = await Counter.get_or_none(department=department)
    if existing is not None:
        return existing
    facility, _ = await Facility.get_or_create(
        name_ja="二本松市役所",
        defaults={
            "name_en": "Nihonmatsu City Hall",
            "address_ja": "福島県二本松市金色403-1",
            "address_en": "403-1 Konjiki, Nihonmatsu, Fukushima",
            "latitude": CITY_HALL[0],
            "longitude": CITY_HALL[1],
            "department": department,
            "listed": False,
        },
    )
    space = await Space.create(
        facility=facility,
        kind=SpaceKind.ROOM,
        name_ja=name_ja,
        name_en=name_en,
        rules=counter_rules(),
    )
    return await Counter.create(department=department, space=space)


async def seed(report) -> None:
    summary = await import_directory()
    if summary.created:
        report(f"procedures and life events: {len(summary.created)}")
    await seed_counter("citizens", "市民課 窓口", "Citizens Affairs counter")
