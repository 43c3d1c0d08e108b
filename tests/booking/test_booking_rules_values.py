from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from booking.rules import (
    AdvanceWindow,
    Closure,
    FixedGrid,
    FixedPeriod,
    IntervalGrid,
    Label,
    OpeningHours,
    Period,
    SpaceRules,
    SpecialHours,
)
from booking.rules.window import add_months, window_closes_at, window_opens_at

JST = ZoneInfo("Asia/Tokyo")
MORNING = Label("午前", "Morning")


@pytest.mark.parametrize(
    "opens, closes",
    [
        (time(12), time(9)),
        (time(9), time(9)),
        (time(9, 0, 30), time(12)),
        (time(9, tzinfo=UTC), time(12)),
    ],
)
def test_period__bad_times__refused(opens, closes):
    with pytest.raises(ValueError):
        Period(opens, closes)


def test_opening_hours__need_seven_days():
    with pytest.raises(ValueError):
        OpeningHours(weekly=((),) * 6)


def test_opening_hours__same_date_twice_in_special_hours__refused():
    day = date(2025, 5, 6)
    with pytest.raises(ValueError):
        OpeningHours.same_every_day(special_hours=(SpecialHours(day), SpecialHours(day)))


def test_opening_hours__overlapping_periods_merge():
    hours = OpeningHours.same_every_day(Period(time(13), time(17)), Period(time(9), time(14)))

    assert hours.minutes_on(date(2025, 5, 6)) == ((9 * 60, 17 * 60),)


def test_closure__ending_before_it_starts__refused():
    with pytest.raises(ValueError):
        Closure(date(2025, 5, 6), date(2025, 5, 5))


def test_fixed_grid__empty_or_duplicate_periods__refused():
    with pytest.raises(ValueError):
        FixedGrid(())
    with pytest.raises(ValueError):
        FixedGrid(
            (
                FixedPeriod(MORNING, time(9), time(12)),
                FixedPeriod(Label("朝", "Early"), time(9), time(12)),
            )
        )


def test_fixed_period__ending_before_it_starts__refused():
    with pytest.raises(ValueError):
        FixedPeriod(MORNING, time(12), time(9))


@pytest.mark.parametrize(
    "step, minimum, maximum", [(0, 60, 60), (30, 45, 60), (30, 60, 30), (60, 30, 60)]
)
def test_interval_grid__inconsistent_lengths__refused(step, minimum, maximum):
    with pytest.raises(ValueError):
        IntervalGrid(step, minimum, maximum)


def test_advance_window__negative__refused():
    with pytest.raises(ValueError):
        AdvanceWindow(closes_days=-1)


def test_space_rules__unknown_time_zone_or_bad_limit__refused():
    hours = OpeningHours.same_every_day(Period(time(9), time(17)))
    grid = IntervalGrid(60, 60, 120)
    with pytest.raises(ZoneInfoNotFoundError):
        SpaceRules(hours, grid, timezone="Asia/Nowhere")
    with pytest.raises(ValueError):
        SpaceRules(hours, grid, max_active_bookings=0)


def test_rules__hashable_so_grids_can_be_cached():
    rules = SpaceRules(
        OpeningHours.same_every_day(Period(time(9), time(17))), IntervalGrid(60, 60, 120)
    )

    assert hash(rules) == hash(
        SpaceRules(
            OpeningHours.same_every_day(Period(time(9), time(17))), IntervalGrid(60, 60, 120)
        )
    )


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2025, 1, 15), -2, date(2024, 11, 15)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 5, 6), 0, date(2025, 5, 6)),
    ],
)
def test_add_months__clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_window__opens_two_months_before_at_local_midnight():
    window = AdvanceWindow(opens_months=2, closes_days=1)

    assert window_opens_at(window, date(2025, 7, 10), JST) == datetime(2025, 5, 10, tzinfo=JST)
    assert window_opens_at(window, date(2025, 7, 10), JST).tzinfo is UTC
    assert window_closes_at(window, date(2025, 7, 10), JST) == datetime(2025, 7, 10, tzinfo=JST)


def test_window__month_start_and_extra_days():
    window = AdvanceWindow(
        opens_months=1, opens_days=5, opens_at_month_start=True, opens_at=time(8, 30)
    )

    assert window_opens_at(window, date(2025, 7, 20), JST) == datetime(
        2025, 5, 27, 8, 30, tzinfo=JST
    )


def test_window__closing_three_days_before():
    window = AdvanceWindow(closes_days=3)

    assert window_closes_at(window, date(2025, 7, 10), JST) == datetime(2025, 7, 8, tzinfo=JST)
    assert window_closes_at(AdvanceWindow(closes_days=0), date(2025, 7, 10), JST) == (
        datetime(2025, 7, 10, tzinfo=JST) + timedelta(days=1)
    )
