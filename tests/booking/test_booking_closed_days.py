"""Days a space is closed say why: a closed weekday, a public holiday (jpholiday), a closure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from booking.rules import (
    ClosedReason,
    Closure,
    Label,
    OpeningHours,
    Period,
)
from booking.rules.as_json import rules_from_json, rules_to_json
from tests.booking.factories import GYM_RULES, local_day, make_gym
from tests.support.graphql import error_codes

CHILDRENS_DAY = date(2026, 5, 5)  # こどもの日, a Tuesday
NINE_TO_FIVE = Period(time(9), time(17))


def test_public_holiday__closed_only_where_the_space_closes_on_holidays():
    closes = OpeningHours.same_every_day(NINE_TO_FIVE, closed_on_holidays=True)
    opens = OpeningHours.same_every_day(NINE_TO_FIVE)

    closed = closes.closed_reason(CHILDRENS_DAY)

    assert closed.reason is ClosedReason.HOLIDAY and closed.label.ja == "こどもの日"
    assert closes.minutes_on(CHILDRENS_DAY) == ()
    assert opens.closed_reason(CHILDRENS_DAY) is None and opens.minutes_on(CHILDRENS_DAY)
    assert closes.closed_reason(date(2026, 5, 7)) is None  # an ordinary Thursday


def test_closed_weekday_and_closure__each_named():
    new_year = Label("年末年始休館", "New Year holidays")
    hours = OpeningHours.same_every_day(
        NINE_TO_FIVE,
        closed_weekdays=(0,),
        closures=(Closure(date(2026, 12, 29), date(2027, 1, 3), new_year),),
    )

    assert hours.closed_reason(date(2026, 11, 30)).reason is ClosedReason.CLOSED_DAY  # Monday
    closure = hours.closed_reason(date(2026, 12, 31))
    assert closure.reason is ClosedReason.CLOSURE and closure.label == new_year


def test_holiday_rule__kept_in_the_stored_rules():
    rules = replace(
        GYM_RULES, hours=OpeningHours.same_every_day(NINE_TO_FIVE, closed_on_holidays=True)
    )

    assert rules_from_json(rules_to_json(rules)).hours.closed_on_holidays is True


async def closed_on(space, day: date) -> None:
    hours = OpeningHours.same_every_day(NINE_TO_FIVE, closed_weekdays=(day.weekday(),))
    space.rules = rules_to_json(replace(GYM_RULES, hours=hours))
    await space.save(update_fields=["rules"])


async def test_availability__on_a_closed_day__says_why(gql, settings):
    gym = await make_gym()
    day = local_day(5)
    await closed_on(gym.whole, day)

    body = await gql.op(
        "Availability",
        spaceId=str(gym.whole.id),
        **{"from": day.isoformat(), "to": day.isoformat()},
    )

    assert error_codes(body) == ["FACILITY_CLOSED"]
    assert body["errors"][0]["extensions"]["field"] == "from"
    assert "休館日" in body["errors"][0]["message"]


async def test_facilities_on_a_date__a_closed_facility_listed_with_the_reason(gql, settings):
    gym = await make_gym()
    day = local_day(5)
    for space in (gym.whole, gym.half_a, gym.half_b, gym.room, gym.free_room):
        await closed_on(space, day)

    body = await gql.op("Facilities", date=day.isoformat())

    listed = {facility["id"]: facility for facility in body["data"]["facilities"]}
    assert listed[str(gym.facility.id)]["closedOn"] == {
        "date": day.isoformat(),
        "reason": "CLOSED_DAY",
        "label": None,
    }
