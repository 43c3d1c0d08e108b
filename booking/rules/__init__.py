"""The rules of a bookable space: opening hours, slot grid, advance window.

Everything here is a frozen, hashable value. Opening hours and grid times are
local wall-clock times in the space's time zone (Asia/Tokyo by default); slots
are handed out in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum
from functools import cached_property
from zoneinfo import ZoneInfo

import jpholiday

TOKYO = "Asia/Tokyo"
MINUTES_PER_DAY = 24 * 60


def minute_of_day(moment: time) -> int:
    if moment.tzinfo is not None:
        raise ValueError(f"local times carry no time zone, got {moment!r}")
    if moment.second or moment.microsecond:
        raise ValueError(f"times are whole minutes, got {moment!r}")
    return moment.hour * 60 + moment.minute


@dataclass(frozen=True, slots=True)
class Label:
    ja: str
    en: str

    def text(self, language: str = "ja") -> str:
        return self.ja if language == "ja" else self.en


@dataclass(frozen=True, slots=True)
class Period:
    """A local opening period on one day; `closes` is exclusive and after `opens`."""

    opens: time
    closes: time

    def __post_init__(self) -> None:
        if minute_of_day(self.closes) <= minute_of_day(self.opens):
            raise ValueError(f"a period must close after it opens: {self.opens}-{self.closes}")

    @property
    def minutes(self) -> tuple[int, int]:
        return minute_of_day(self.opens), minute_of_day(self.closes)


def merged_minutes(periods: tuple[Period, ...]) -> tuple[tuple[int, int], ...]:
    """Periods as sorted, disjoint (open, close) minute pairs; touching ones are joined."""
    merged: list[list[int]] = []
    for opens, closes in sorted(period.minutes for period in periods):
        if merged and opens <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], closes)
        else:
            merged.append([opens, closes])
    return tuple((opens, closes) for opens, closes in merged)


@dataclass(frozen=True, slots=True)
class Closure:
    """The space is closed from `first_day` to `last_day`, both included."""

    first_day: date
    last_day: date
    reason: Label | None = None

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(f"closure ends before it starts: {self.first_day}..{self.last_day}")

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True, slots=True)
class SpecialHours:
    """Hours for one date that replace the weekly hours and any closure; none means closed."""

    day: date
    periods: tuple[Period, ...] = ()


class ClosedReason(str, Enum):
    CLOSED_DAY = "CLOSED_DAY"  # a weekday the space is never open
    HOLIDAY = "HOLIDAY"  # a Japanese public holiday, for spaces closed on them
    CLOSURE = "CLOSURE"  # a closure staff set (works, New Year, winter)


@dataclass(frozen=True, slots=True)
class ClosedDay:
    day: date
    reason: ClosedReason
    label: Label | None = None


def holiday_name(day: date) -> str | None:
    """The Japanese public holiday on `day` (振替休日 and 国民の休日 included), if any."""
    return jpholiday.is_holiday_name(day)


@dataclass(frozen=True)
class OpeningHours:
    """Weekly hours (index 0 is Monday, as `date.weekday()`), closures and per-date exceptions.

    With `closed_on_holidays`, Japanese public holidays (jpholiday) are closed days too.
    """

    weekly: tuple[tuple[Period, ...], ...]
    closures: tuple[Closure, ...] = ()
    special_hours: tuple[SpecialHours, ...] = ()
    closed_on_holidays: bool = False

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError(f"weekly hours need 7 days, got {len(self.weekly)}")
        days = [special.day for special in self.special_hours]
        if len(days) != len(set(days)):
            raise ValueError("special hours list a date twice")

    @classmethod
    def same_every_day(
        cls,
        *periods: Period,
        closed_weekdays: tuple[int, ...] = (),
        closures: tuple[Closure, ...] = (),
        special_hours: tuple[SpecialHours, ...] = (),
        closed_on_holidays: bool = False,
    ) -> OpeningHours:
        weekly = tuple(() if weekday in closed_weekdays else periods for weekday in range(7))
        return cls(
            weekly=weekly,
            closures=closures,
            special_hours=special_hours,
            closed_on_holidays=closed_on_holidays,
        )

    @cached_property
    def _weekly_minutes(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        return tuple(merged_minutes(day) for day in self.weekly)

    @cached_property
    def _special_minutes(self) -> dict[date, tuple[tuple[int, int], ...]]:
        return {special.day: merged_minutes(special.periods) for special in self.special_hours}

    def minutes_on(self, day: date) -> tuple[tuple[int, int], ...]:
        """The day's opening periods as sorted, disjoint local (open, close) minutes."""
        special = self._special_minutes.get(day)
        if special is not None:
            return special
        if self.closed_reason(day) is not None:
            return ()
        return self._weekly_minutes[day.weekday()]

    def closed_reason(self, day: date) -> ClosedDay | None:
        """Why the space is closed all `day`, or None when it has opening hours then."""
        special = self._special_minutes.get(day)
        if special is not None:
            return None if special else ClosedDay(day, ClosedReason.CLOSURE)
        for closure in self.closures:
            if closure.covers(day):
                return ClosedDay(day, ClosedReason.CLOSURE, closure.reason)
        if self.closed_on_holidays:
            name = holiday_name(day)
            if name is not None:
                return ClosedDay(day, ClosedReason.HOLIDAY, Label(name, name))
        if not self._weekly_minutes[day.weekday()]:
            return ClosedDay(day, ClosedReason.CLOSED_DAY)
        return None


@dataclass(frozen=True, slots=True)
class FixedPeriod:
    """A named period such as 午前 9:00-12:00, booked as a whole."""

    label: Label
    starts: time
    ends: time

    def __post_init__(self) -> None:
        if minute_of_day(self.ends) <= minute_of_day(self.starts):
            raise ValueError(f"a fixed period must end after it starts: {self.label.en}")

    @property
    def minutes(self) -> tuple[int, int]:
        return minute_of_day(self.starts), minute_of_day(self.ends)


@dataclass(frozen=True)
class FixedGrid:
    """Fixed periods; a period is offered on a day only if it lies within the opening hours."""

    periods: tuple[FixedPeriod, ...]

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("a fixed grid needs at least one period")
        spans = [period.minutes for period in self.periods]
        if len(spans) != len(set(spans)):
            raise ValueError("two fixed periods have the same times")


@dataclass(frozen=True)
class IntervalGrid:
    """Cells of `step_minutes` from each opening time; a hold covers consecutive cells
    totalling between `min_minutes` and `max_minutes`."""

    step_minutes: int
    min_minutes: int
    max_minutes: int

    def __post_init__(self) -> None:
        if self.step_minutes <= 0:
            raise ValueError("the step must be positive")
        if self.min_minutes % self.step_minutes or self.max_minutes % self.step_minutes:
            raise ValueError("minimum and maximum lengths must be multiples of the step")
        if not self.step_minutes <= self.min_minutes <= self.max_minutes:
            raise ValueError("need step <= minimum <= maximum")


SlotGrid = FixedGrid | IntervalGrid


@dataclass(frozen=True, slots=True)
class AdvanceWindow:
    """When bookings for a given local day D are taken.

    Opens at `opens_at` (local) on the day `opens_months` months and `opens_days` days
    before D; with `opens_at_month_start`, on the first of that month instead (e.g.
    "from the 1st, two months ahead"). Closes at the end of the local day `closes_days`
    before D; 0 means until the slot starts.
    """

    opens_months: int = 2
    opens_days: int = 0
    closes_days: int = 1
    opens_at_month_start: bool = False
    opens_at: time = time(0, 0)

    def __post_init__(self) -> None:
        if min(self.opens_months, self.opens_days, self.closes_days) < 0:
            raise ValueError("advance window counts cannot be negative")
        minute_of_day(self.opens_at)


@dataclass(frozen=True)
class SpaceRules:
    hours: OpeningHours
    grid: SlotGrid
    window: AdvanceWindow = field(default_factory=AdvanceWindow)
    max_active_bookings: int | None = None
    timezone: str = TOKYO

    def __post_init__(self) -> None:
        ZoneInfo(self.timezone)
        if self.max_active_bookings is not None and self.max_active_bookings < 1:
            raise ValueError("the active booking limit must be at least 1")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True, order=True)
class Slot:
    """A bookable interval [start_utc, end_utc); `label` names fixed periods."""

    start_utc: datetime
    end_utc: datetime
    label: Label | None = field(default=None, compare=False)
