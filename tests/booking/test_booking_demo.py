"""The demo city's facilities: seeded once, bookable, near the city hall."""

from __future__ import annotations

import demo
from booking.models import Facility, LotterySlot, Space
from tests.booking.factories import local_day


async def test_demo__seeded_twice_is_seeded_once_and_bookable(gql, settings):
    lines: list[str] = []
    await demo.seed(lines.append)
    await demo.seed(lines.append)

    near_city_hall = await gql.op("Facilities", near={"latitude": 37.5849, "longitude": 140.4312})
    arena = await Space.get(name_ja="アリーナ全面")
    day = next(local_day(n) for n in range(10, 30) if is_open_day(local_day(n)))
    slots = await gql.op(
        "Availability", spaceId=str(arena.id), **{"from": day.isoformat(), "to": day.isoformat()}
    )

    listed = Facility.filter(listed=True)
    assert await listed.count() == 4 and await Space.filter(facility__listed=True).count() == 11
    assert await LotterySlot.all().count() == 1
    assert sum(line.startswith("facility:") for line in lines) == 4
    names = [f["name"] for f in near_city_hall["data"]["facilities"]]
    assert names[0] == "二本松市市民交流センター" and set(names) == {
        "二本松市民体育館",
        "安達体育館",
        "二本松市市民交流センター",
        "城山総合運動場",
    }
    halves = await Space.filter(parent_id=arena.id).values_list("name_ja", flat=True)
    assert sorted(halves) == ["アリーナA面", "アリーナB面"]
    assert [s["label"] for s in slots["data"]["availability"]] == ["午前", "午後", "夜間"]
    assert [s["priceYen"] for s in slots["data"]["availability"]] == [3000, 3000, 3000]


def is_open_day(day) -> bool:
    """Not a Monday, not in the New Year holidays."""
    new_year = (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3)
    return day.weekday() != 0 and not new_year
