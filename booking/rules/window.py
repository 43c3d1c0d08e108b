"""Local-day arithmetic: midnights in a zone, month steps, the advance window."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.rules import AdvanceWindow


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (3/31 - 1 month = 2/28)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def local_to_utc(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return local_to_utc(day, time(0, 0), zone)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def window_opens_at(window: AdvanceWindow, day: date, zone: ZoneInfo) -> datetime:
    """The first instant (UTC) at which slots on local `day` can be booked."""
    opening_day = add_months(day, -window.opens_months)
    if window.opens_at_month_start:
        opening_day = opening_day.replace(day=1)
    opening_day -= timedelta(days=window.opens_days)
    return local_to_utc(opening_day, window.opens_at, zone)


def window_closes_at(window: AdvanceWindow, day: date, zone: ZoneInfo) -> datetime:
    """The instant (UTC, exclusive) after which slots on local `day` can no longer be booked.

    With `closes_days == 0` this is the end of the day itself; the slot's own start
    is the real limit then and is checked separately.
    """
    return local_midnight(day - timedelta(days=window.closes_days - 1), zone)


def window_is_open(window: AdvanceWindow, day: date, zone: ZoneInfo, now: datetime) -> bool:
    return window_opens_at(window, day, zone) <= now < window_closes_at(window, day, zone)
