from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.errors import BookingError, BookingErrorCode
from booking.rules import AdvanceWindow, Closure, OpeningHours, Period, SpaceRules, SpecialHours
from booking.slots import candidate_slots, free_slots, merge_intervals

JST = ZoneInfo("Asia/Tokyo")
TUESDAY = date(2025, 5, 6)
MONDAY = date(2025, 5, 5)


def jst(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=JST)


def local_spans(slots) -> list[tuple[str, str]]:
    return [
        (s.start_utc.astimezone(JST).strftime("%H:%M"), s.end_utc.astimezone(JST).strftime("%H:%M"))
        for s in slots
    ]


def test_candidates__fixed_grid__three_periods_in_utc_with_labels(gym_rules):
    slots = candidate_slots(gym_rules, TUESDAY)

    assert [(s.start_utc, s.end_utc) for s in slots] == [
        (datetime(2025, 5, 6, 0, tzinfo=UTC), datetime(2025, 5, 6, 3, tzinfo=UTC)),
        (datetime(2025, 5, 6, 4, tzinfo=UTC), datetime(2025, 5, 6, 8, tzinfo=UTC)),
        (datetime(2025, 5, 6, 9, tzinfo=UTC), datetime(2025, 5, 6, 12, tzinfo=UTC)),
    ]
    assert [s.label.text("ja") for s in slots] == ["午前", "午後", "夜間"]
    assert [s.label.text("en") for s in slots] == ["Morning", "Afternoon", "Evening"]
    assert all(s.start_utc.tzinfo is UTC for s in slots)


def test_candidates__closed_weekday__none(gym_rules):
    assert candidate_slots(gym_rules, MONDAY) == []


def test_candidates__closure__none_on_covered_days_only(gym_rules):
    closure = Closure(date(2025, 12, 29), date(2026, 1, 3))
    rules = replace(gym_rules, hours=replace(gym_rules.hours, closures=(closure,)))

    assert candidate_slots(rules, date(2025, 12, 29)) == []
    assert candidate_slots(rules, date(2026, 1, 3)) == []
    assert len(candidate_slots(rules, date(2026, 1, 4))) == 3


def test_candidates__special_hours__override_closure_and_drop_periods_outside(gym_rules):
    hours = replace(
        gym_rules.hours,
        closures=(Closure(date(2025, 12, 29), date(2026, 1, 3)),),
        special_hours=(SpecialHours(date(2026, 1, 2), (Period(time(9), time(17)),)),),
    )
    rules = replace(gym_rules, hours=hours)

    assert local_spans(candidate_slots(rules, date(2026, 1, 2))) == [
        ("09:00", "12:00"),
        ("13:00", "17:00"),
    ]


def test_candidates__special_hours_without_periods__closed(gym_rules):
    hours = replace(gym_rules.hours, special_hours=(SpecialHours(TUESDAY, ()),))

    assert candidate_slots(replace(gym_rules, hours=hours), TUESDAY) == []


def test_candidates__interval_grid__cells_of_each_opening_period(room_rules):
    spans = local_spans(candidate_slots(room_rules, TUESDAY))

    assert len(spans) == 6 + 16
    assert spans[:2] == [("09:00", "09:30"), ("09:30", "10:00")]
    assert ("11:30", "12:00") in spans and ("12:00", "12:30") not in spans
    assert spans[-1] == ("20:30", "21:00")


def test_candidates__interval_grid__period_shorter_than_minimum_offers_nothing(room_rules):
    hours = OpeningHours.same_every_day(Period(time(9), time(9, 30)), Period(time(10), time(11)))

    spans = local_spans(candidate_slots(replace(room_rules, hours=hours), TUESDAY))

    assert spans == [("10:00", "10:30"), ("10:30", "11:00")]


def test_candidates__touching_opening_periods_are_one(room_rules):
    hours = OpeningHours.same_every_day(Period(time(9), time(10)), Period(time(10), time(11)))

    assert len(candidate_slots(replace(room_rules, hours=hours), TUESDAY)) == 4


def test_free__busy_interval_removes_overlapping_slot_only(gym_rules):
    now = jst(date(2025, 5, 1), 9)
    busy = [(jst(TUESDAY, 13), jst(TUESDAY, 15))]

    free = free_slots(gym_rules, TUESDAY, TUESDAY, busy, now)

    assert [s.label.en for s in free] == ["Morning", "Evening"]


def test_free__adjacent_busy_interval_blocks_nothing(gym_rules):
    now = jst(date(2025, 5, 1), 9)
    busy = [(jst(TUESDAY, 12), jst(TUESDAY, 13)), (jst(TUESDAY, 17), jst(TUESDAY, 18))]

    assert len(free_slots(gym_rules, TUESDAY, TUESDAY, busy, now)) == 3


def test_free__busy_in_any_offset_is_compared_as_instants(gym_rules):
    now = jst(date(2025, 5, 1), 9)
    busy_utc = [(datetime(2025, 5, 6, 2, tzinfo=UTC), datetime(2025, 5, 6, 2, 30, tzinfo=UTC))]

    free = free_slots(gym_rules, TUESDAY, TUESDAY, busy_utc, now)

    assert [s.label.en for s in free] == ["Afternoon", "Evening"]


def test_free__advance_window__from_tomorrow_until_two_months_ahead(gym_rules):
    now = jst(date(2025, 5, 1), 0)

    free = free_slots(gym_rules, date(2025, 4, 20), date(2025, 7, 20), [], now)
    days = {s.start_utc.astimezone(JST).date() for s in free}

    assert min(days) == date(2025, 5, 2)
    assert max(days) == date(2025, 7, 1)
    assert MONDAY not in days


def test_free__window_opening_on_the_first_of_the_month(gym_rules):
    window = AdvanceWindow(
        opens_months=2, closes_days=1, opens_at_month_start=True, opens_at=time(9)
    )
    rules = replace(gym_rules, window=window)

    before_nine = free_slots(
        rules, date(2025, 7, 1), date(2025, 8, 5), [], jst(date(2025, 5, 1), 8, 59)
    )
    at_nine = free_slots(rules, date(2025, 7, 1), date(2025, 8, 5), [], jst(date(2025, 5, 1), 9))

    assert before_nine == []
    assert {s.start_utc.astimezone(JST).month for s in at_nine} == {7}
    assert max(s.start_utc.astimezone(JST).date() for s in at_nine) == date(2025, 7, 31)


def test_free__same_day_booking__started_slots_are_past(room_rules):
    now = jst(TUESDAY, 10, 15)

    spans = local_spans(free_slots(room_rules, TUESDAY, TUESDAY, [], now))

    assert spans[0] == ("10:30", "11:00")
    assert ("10:00", "10:30") not in spans


def test_free__interval_grid__drops_cells_in_runs_shorter_than_minimum(room_rules):
    now = jst(date(2025, 5, 1), 9)
    busy = [(jst(TUESDAY, 10), jst(TUESDAY, 11, 30)), (jst(TUESDAY, 14), jst(TUESDAY, 14, 30))]

    spans = local_spans(free_slots(room_rules, TUESDAY, TUESDAY, busy, now))

    assert spans[:2] == [("09:00", "09:30"), ("09:30", "10:00")]
    assert ("11:30", "12:00") not in spans
    assert ("13:00", "13:30") in spans and ("13:30", "14:00") in spans
    assert ("14:30", "15:00") in spans


def test_free__empty_range_gives_nothing(gym_rules):
    now = jst(date(2025, 5, 1), 9)

    assert free_slots(gym_rules, TUESDAY, TUESDAY - timedelta(days=1), [], now) == []


def test_free__naive_now__invalid_time(gym_rules):
    with pytest.raises(BookingError) as caught:
        free_slots(gym_rules, TUESDAY, TUESDAY, [], datetime(2025, 5, 1, 9))

    assert caught.value.code is BookingErrorCode.INVALID_TIME


def test_merge__overlapping_and_touching_intervals_join():
    a, b, c, d = (datetime(2025, 5, 1, hour, tzinfo=UTC) for hour in (1, 2, 3, 5))

    assert merge_intervals([(c, d), (a, b), (b, c)]) == [(a, d)]
    assert merge_intervals([(a, d), (b, c)]) == [(a, d)]


def test_merge__interval_ending_before_it_starts__refused():
    a, b = datetime(2025, 5, 1, 1, tzinfo=UTC), datetime(2025, 5, 1, 2, tzinfo=UTC)

    with pytest.raises(ValueError):
        merge_intervals([(b, a)])


def test_rules__other_time_zone_is_honoured(gym_rules):
    rules = SpaceRules(hours=gym_rules.hours, grid=gym_rules.grid, timezone="Europe/Berlin")

    first = candidate_slots(rules, TUESDAY)[0]

    assert first.start_utc == datetime(2025, 5, 6, 7, tzinfo=UTC)
