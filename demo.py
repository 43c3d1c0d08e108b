"""Seeds the demo city, 二本松市 (Nihonmatsu, Fukushima): each domain adds its part."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from accounts import demo as accounts_demo
from accounts.models import Department
from applications import demo as applications_demo
from booking import demo as booking_demo
from disaster.districts import demo as districts_demo
from geo import demo as geo_demo
from reports import demo as reports_demo

Seeder = Callable[[Callable[[str], None]], Awaitable[None]]
SEEDERS: list[Seeder] = [
    accounts_demo.seed,
    booking_demo.seed,
    geo_demo.seed,
    reports_demo.seed,
    applications_demo.seed,
    districts_demo.seed,
]

CITY_HALL = (37.5849, 140.4312)


async def is_empty() -> bool:
    return not await Department.exists()


async def seed(report: Callable[[str], None] = print) -> None:
    for seeder in SEEDERS:
        await seeder(report)
