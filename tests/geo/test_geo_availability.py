from __future__ import annotations

import datetime as dt

import pytest

from geo.availability import AedAvailability, Usability, clock_minutes

TOKYO = dt.timezone(dt.timedelta(hours=9))
TUESDAY = dt.date(2025, 11, 25)
SATURDAY = dt.date(2025, 11, 29)
SUNDAY = dt.date(2025, 11, 30)
HOLIDAY_MONDAY = dt.date(2025, 11, 24)  # 振替休日 for 勤労感謝の日
YEAR_END = dt.date(2025, 12, 30)  # a Tuesday

OPEN, CLOSED, GUESS = Usability(True, True), Usability(False, True), Usability(True, False)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TOKYO)


@pytest.mark.parametrize(
    ("text", "when", "expected"),
    [
        ("", at(TUESDAY, 3), GUESS),
        ("施設の開館時間内", at(TUESDAY, 3), GUESS),
        ("24時間", at(SUNDAY, 3), OPEN),
        ("24時間365日", at(YEAR_END, 3), OPEN),
        ("月～金 8:30～17:15", at(TUESDAY, 8, 30), OPEN),
        ("月～金 8:30～17:15", at(TUESDAY, 17, 15), CLOSED),
        ("月～金 8:30～17:15", at(SATURDAY, 10), CLOSED),
        ("月曜日から金曜日まで 8時30分から17時15分まで", at(TUESDAY, 12), OPEN),
        ("8:30～17:15（月～金）", at(SUNDAY, 12), CLOSED),
        ("平日 9時～17時", at(HOLIDAY_MONDAY, 12), CLOSED),
        ("平日 9時～17時", at(TUESDAY, 12), OPEN),
        ("8:30-17:15（土日祝除く）", at(HOLIDAY_MONDAY, 12), CLOSED),
        ("8:30-17:15（土日祝除く）", at(TUESDAY, 12), OPEN),
        ("8:30-17:15（土日祝除く）", at(SATURDAY, 12), CLOSED),
        ("毎日 9:00~21:00（年末年始を除く）", at(YEAR_END, 12), CLOSED),
        ("毎日 9:00~21:00（年末年始を除く）", at(SUNDAY, 20, 59), OPEN),
        ("平日 9:00～17:00、土日祝 10:00～16:00", at(SUNDAY, 9, 30), CLOSED),
        ("平日 9:00～17:00、土日祝 10:00～16:00", at(HOLIDAY_MONDAY, 15), OPEN),
        ("月・水・金 9:00-12:00", at(TUESDAY, 10), CLOSED),
        ("22:00～翌6:00", at(TUESDAY, 23), OPEN),
        ("22:00～翌6:00", at(TUESDAY, 5, 59), OPEN),
        ("22:00～翌6:00", at(TUESDAY, 6), CLOSED),
        ("午前9時～午後5時", at(TUESDAY, 16, 59), OPEN),
        ("平日", at(TUESDAY, 3), GUESS),  # the day is known, the hours are not
        ("平日", at(SUNDAY, 12), CLOSED),
        ("土日祝除く", at(SUNDAY, 12), CLOSED),
        ("土日祝除く", at(TUESDAY, 12), GUESS),
        ("9:00～17:00(土曜日は12:00まで)", at(SATURDAY, 15), GUESS),  # more than it can read
    ],
)
def test_usability__from_the_texts_municipalities_write(text, when, expected):
    assert AedAvailability.parse(notes=text).usability_at(when) == expected


def test_usability__columns_of_the_standard_layout_together():
    availability = AedAvailability.parse("月,火,水,木,金", "08:30-17:15", "祝日を除く")
    assert availability.usability_at(at(TUESDAY, 9)) == OPEN
    assert availability.usability_at(at(HOLIDAY_MONDAY, 9)) == CLOSED


def test_usability__overnight_opening_belongs_to_the_day_it_began():
    availability = AedAvailability.parse(notes="金 22:00～翌5:00")
    assert availability.usability_at(at(SATURDAY, 2)) == OPEN  # Friday night
    assert availability.usability_at(at(SUNDAY, 2)) == CLOSED


def test_usability__uses_tokyo_time_whatever_the_zone_given():
    availability = AedAvailability.parse(notes="平日 9:00～17:00")
    utc_evening = dt.datetime(2025, 11, 25, 1, 0, tzinfo=dt.UTC)  # 10:00 in Tokyo
    assert availability.usability_at(utc_evening) == OPEN


def test_usability__naive_time_is_refused():
    with pytest.raises(ValueError):
        AedAvailability.parse(notes="24時間").usability_at(dt.datetime(2025, 1, 1, 12))


def test_closures_without_dates__are_kept_as_caveats():
    availability = AedAvailability.parse(notes="月～金 9:00～17:00（休館日を除く）")
    assert availability.caveats == ("休館日",)
    assert availability.usability_at(at(TUESDAY, 10)) == OPEN


def test_known__only_when_something_was_understood():
    assert not AedAvailability.parse().known
    assert AedAvailability.parse(notes="24時間").known


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("8:30", 510),
        ("08:30:00", 510),
        ("8時30分", 510),
        ("8時半", 510),
        ("午後5時", 1020),
        ("24:00", 1440),
        ("１７：１５", 1035),
        ("25:00", None),
        ("8:75", None),
        ("朝", None),
        ("", None),
    ],
)
def test_clock_minutes(text, minutes):
    assert clock_minutes(text) == minutes
