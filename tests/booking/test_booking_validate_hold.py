from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.errors import MESSAGES, BookingError, BookingErrorCode
from booking.slots import validate_hold

JST = ZoneInfo("Asia/Tokyo")
TUESDAY = date(2025, 5, 6)
NOW = datetime(2025, 5, 1, 9, tzinfo=JST)


def jst(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=JST)


def refused(rules, start, end, now=NOW) -> BookingErrorCode:
    with pytest.raises(BookingError) as caught:
        validate_hold(rules, start, end, now)
    return caught.value.code


def test_hold__fixed_period__returns_slot_in_utc_with_label(gym_rules):
    slot = validate_hold(gym_rules, jst(TUESDAY, 13), jst(TUESDAY, 17), NOW)

    assert slot.start_utc == datetime(2025, 5, 6, 4, tzinfo=UTC)
    assert slot.end_utc == datetime(2025, 5, 6, 8, tzinfo=UTC)
    assert slot.label.ja == "午後"


def test_hold__fixed_grid__part_of_a_period__not_on_grid(gym_rules):
    assert refused(gym_rules, jst(TUESDAY, 9), jst(TUESDAY, 11)) is BookingErrorCode.NOT_ON_GRID


def test_hold__fixed_grid__two_periods_at_once__not_on_grid(gym_rules):
    assert refused(gym_rules, jst(TUESDAY, 9), jst(TUESDAY, 17)) is BookingErrorCode.NOT_ON_GRID


def test_hold__closed_day__outside_opening_hours(gym_rules):
    assert refused(gym_rules, jst(date(2025, 5, 5), 9), jst(date(2025, 5, 5), 12)) is (
        BookingErrorCode.OUTSIDE_OPENING_HOURS
    )


def test_hold__past_closing_time__outside_opening_hours(room_rules):
    assert (
        refused(room_rules, jst(TUESDAY, 20), jst(TUESDAY, 22))
        is BookingErrorCode.OUTSIDE_OPENING_HOURS
    )


def test_hold__across_the_lunch_break__outside_opening_hours(room_rules):
    assert (
        refused(room_rules, jst(TUESDAY, 11), jst(TUESDAY, 14))
        is BookingErrorCode.OUTSIDE_OPENING_HOURS
    )


def test_hold__across_midnight__outside_opening_hours(room_rules):
    end = jst(TUESDAY + timedelta(days=1), 9, 30)
    assert refused(room_rules, jst(TUESDAY, 20), end) is BookingErrorCode.OUTSIDE_OPENING_HOURS


def test_hold__interval_grid__one_to_three_hours_on_the_half_hour(room_rules):
    slot = validate_hold(room_rules, jst(TUESDAY, 13, 30), jst(TUESDAY, 16, 30), NOW)

    assert slot.end_utc - slot.start_utc == timedelta(hours=3)
    assert slot.label is None


def test_hold__interval_grid__too_short(room_rules):
    assert refused(room_rules, jst(TUESDAY, 13), jst(TUESDAY, 13, 30)) is BookingErrorCode.TOO_SHORT


def test_hold__interval_grid__too_long(room_rules):
    assert refused(room_rules, jst(TUESDAY, 13), jst(TUESDAY, 16, 30)) is BookingErrorCode.TOO_LONG


def test_hold__interval_grid__off_the_step__not_on_grid(room_rules):
    assert (
        refused(room_rules, jst(TUESDAY, 13, 15), jst(TUESDAY, 14, 15))
        is BookingErrorCode.NOT_ON_GRID
    )
    assert (
        refused(room_rules, jst(TUESDAY, 13), jst(TUESDAY, 14, 10)) is BookingErrorCode.NOT_ON_GRID
    )


def test_hold__seconds_off_the_minute__not_on_grid(room_rules):
    assert (
        refused(room_rules, jst(TUESDAY, 13, 0, 1), jst(TUESDAY, 14))
        is BookingErrorCode.NOT_ON_GRID
    )
    assert refused(room_rules, jst(TUESDAY, 13), jst(TUESDAY, 14).replace(microsecond=5)) is (
        BookingErrorCode.NOT_ON_GRID
    )


def test_hold__start_before_now__in_past(room_rules):
    now = jst(TUESDAY, 13, 1)
    assert refused(room_rules, jst(TUESDAY, 13), jst(TUESDAY, 14), now) is BookingErrorCode.IN_PAST


def test_hold__starting_right_now__allowed_when_window_closes_at_start(room_rules):
    now = jst(TUESDAY, 13)
    assert validate_hold(room_rules, jst(TUESDAY, 13), jst(TUESDAY, 14), now).start_utc == now


def test_hold__on_the_use_day_when_window_closes_the_day_before__outside_window(gym_rules):
    now = jst(TUESDAY, 8)
    assert (
        refused(gym_rules, jst(TUESDAY, 9), jst(TUESDAY, 12), now)
        is BookingErrorCode.OUTSIDE_ADVANCE_WINDOW
    )


def test_hold__last_minute_of_the_day_before__allowed(gym_rules):
    now = jst(TUESDAY - timedelta(days=1), 23, 59)
    assert validate_hold(gym_rules, jst(TUESDAY, 9), jst(TUESDAY, 12), now).label.en == "Morning"


def test_hold__beyond_two_months__outside_window(gym_rules):
    day = date(2025, 7, 2)
    assert refused(gym_rules, jst(day, 9), jst(day, 12)) is BookingErrorCode.OUTSIDE_ADVANCE_WINDOW


def test_hold__end_not_after_start__invalid_range(gym_rules):
    assert refused(gym_rules, jst(TUESDAY, 12), jst(TUESDAY, 9)) is BookingErrorCode.INVALID_RANGE
    assert refused(gym_rules, jst(TUESDAY, 9), jst(TUESDAY, 9)) is BookingErrorCode.INVALID_RANGE


def test_hold__naive_datetime__invalid_time(gym_rules):
    naive = datetime(2025, 5, 6, 9)
    assert refused(gym_rules, naive, naive + timedelta(hours=3)) is BookingErrorCode.INVALID_TIME


def test_hold__utc_input_is_read_in_local_time(gym_rules):
    slot = validate_hold(
        gym_rules, datetime(2025, 5, 6, 9, tzinfo=UTC), datetime(2025, 5, 6, 12, tzinfo=UTC), NOW
    )
    assert slot.label.en == "Evening"


def test_error__every_code_has_ja_and_en_message():
    for code in BookingErrorCode:
        assert MESSAGES[code]["ja"] and MESSAGES[code]["en"]
        error = BookingError(code)
        assert error.message("ja") == MESSAGES[code]["ja"]
        assert error.message("en") == MESSAGES[code]["en"]
        assert error.message("fr") == MESSAGES[code]["en"]
