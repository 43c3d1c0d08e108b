"""Candidate and free slots of a space, and the checks a hold must pass.

Availability is computed once per day and space from the grid, then the busy
intervals (this space's and its related spaces') are subtracted with one sorted
sweep, so a month for a facility costs a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from booking.errors import BookingError, BookingErrorCode
from booking.rules import FixedGrid, IntervalGrid, Label, Slot, SlotGrid, SpaceRules
from booking.rules.window import local_to_utc, window_is_open

Interval = tuple[datetime, datetime]
Span = tuple[int, int, Label | None]

ONE_DAY = timedelta(days=1)
_MINUTE_STEPS = tuple(timedelta(minutes=minute) for minute in range(24 * 60 + 1))


def candidate_slots(rules: SpaceRules, day: date) -> list[Slot]:
    """Every slot the grid offers on local `day`, sorted by start, ignoring bookings."""
    opening = rules.hours.minutes_on(day)
    if not opening:
        return []
    to_utc = _minute_to_utc(day, rules.zone)
    return [
        Slot(to_utc(start), to_utc(end), label)
        for start, end, label in grid_spans(rules.grid, opening)
    ]


def free_slots(
    rules: SpaceRules,
    from_date: date,
    to_date: date,
    busy: Iterable[Interval],
    now: datetime,
) -> list[Slot]:
    """Slots on local days `from_date`..`to_date` (inclusive) that can be held at `now`.

    `busy` holds the intervals taken on this space and on every related space
    (ancestors and descendants). Slots that have started and days outside the
    advance window are left out. On an interval grid a free cell is kept only if
    it belongs to a free run at least as long as the minimum booking.
    """
    _require_aware(now)
    zone = rules.zone
    offered: list[Slot] = []
    day = from_date
    while day <= to_date:
        if window_is_open(rules.window, day, zone, now):
            offered.extend(slot for slot in candidate_slots(rules, day) if slot.start_utc >= now)
        day += ONE_DAY
    free = without_busy(offered, merge_intervals(busy))
    if isinstance(rules.grid, IntervalGrid):
        free = in_long_enough_runs(free, timedelta(minutes=rules.grid.min_minutes))
    return free


def validate_hold(rules: SpaceRules, start: datetime, end: datetime, now: datetime) -> Slot:
    """The slot [start, end) if the rules allow holding it at `now`; else a coded BookingError.

    Whether the slot is still free is left to the database constraint.
    """
    _require_aware(start, end, now)
    if end <= start:
        raise BookingError(BookingErrorCode.INVALID_RANGE)
    if start < now:
        raise BookingError(BookingErrorCode.IN_PAST)
    zone = rules.zone
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day = local_start.date()
    if not window_is_open(rules.window, day, zone, now):
        raise BookingError(BookingErrorCode.OUTSIDE_ADVANCE_WINDOW)
    start_second, end_second = _seconds_into(day, local_start), _seconds_into(day, local_end)
    period = _opening_period_around(rules.hours.minutes_on(day), start_second, end_second)
    if period is None:
        raise BookingError(BookingErrorCode.OUTSIDE_OPENING_HOURS)
    if start_second % 60 or end_second % 60 or local_start.microsecond or local_end.microsecond:
        raise BookingError(BookingErrorCode.NOT_ON_GRID)
    label = _grid_label(rules.grid, period[0], start_second // 60, end_second // 60)
    return Slot(start.astimezone(UTC), end.astimezone(UTC), label)


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint UTC intervals covering the same time; touching ones are joined."""
    normalized = []
    for start, end in intervals:
        _require_aware(start, end)
        if end <= start:
            raise ValueError(f"busy interval ends before it starts: {start} .. {end}")
        normalized.append((start.astimezone(UTC), end.astimezone(UTC)))
    normalized.sort()
    merged: list[Interval] = []
    for start, end in normalized:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def without_busy(slots: list[Slot], merged_busy: list[Interval]) -> list[Slot]:
    """`slots` (sorted by start) that overlap none of `merged_busy` (sorted, disjoint)."""
    free = []
    index, count = 0, len(merged_busy)
    for slot in slots:
        while index < count and merged_busy[index][1] <= slot.start_utc:
            index += 1
        if index == count or merged_busy[index][0] >= slot.end_utc:
            free.append(slot)
    return free


def in_long_enough_runs(cells: list[Slot], minimum: timedelta) -> list[Slot]:
    """Cells that belong to a run of back-to-back cells lasting at least `minimum`."""
    kept: list[Slot] = []
    run: list[Slot] = []
    for cell in cells:
        if run and run[-1].end_utc != cell.start_utc:
            _keep_run(run, minimum, kept)
            run = []
        run.append(cell)
    if run:
        _keep_run(run, minimum, kept)
    return kept


def _keep_run(run: list[Slot], minimum: timedelta, kept: list[Slot]) -> None:
    if run[-1].end_utc - run[0].start_utc >= minimum:
        kept.extend(run)


@lru_cache(maxsize=4096)
def grid_spans(grid: SlotGrid, opening: tuple[tuple[int, int], ...]) -> tuple[Span, ...]:
    """The grid laid over one day's opening periods, as local minutes."""
    if isinstance(grid, FixedGrid):
        spans = [
            (*period.minutes, period.label)
            for period in grid.periods
            if _opening_period_around(opening, period.minutes[0] * 60, period.minutes[1] * 60)
        ]
        return tuple(sorted(spans, key=lambda span: (span[0], span[1])))
    step = grid.step_minutes
    return tuple(
        (minute, minute + step, None)
        for opens, closes in opening
        if closes - opens >= grid.min_minutes
        for minute in range(opens, closes - step + 1, step)
    )


def _grid_label(grid: SlotGrid, period_opens: int, start: int, end: int) -> Label | None:
    if isinstance(grid, FixedGrid):
        for period in grid.periods:
            if period.minutes == (start, end):
                return period.label
        raise BookingError(BookingErrorCode.NOT_ON_GRID)
    length = end - start
    if length < grid.min_minutes:
        raise BookingError(BookingErrorCode.TOO_SHORT)
    if length > grid.max_minutes:
        raise BookingError(BookingErrorCode.TOO_LONG)
    if (start - period_opens) % grid.step_minutes or length % grid.step_minutes:
        raise BookingError(BookingErrorCode.NOT_ON_GRID)
    return None


def _opening_period_around(
    opening: tuple[tuple[int, int], ...], start_second: int, end_second: int
) -> tuple[int, int] | None:
    for opens, closes in opening:
        if opens * 60 <= start_second and end_second <= closes * 60:
            return opens, closes
    return None


def _seconds_into(day: date, local: datetime) -> int:
    """Wall-clock seconds from the start of local `day` (past 86400 on later days)."""
    days = (local.date() - day).days
    return days * 86400 + local.hour * 3600 + local.minute * 60 + local.second


def _minute_to_utc(day: date, zone: ZoneInfo) -> Callable[[int], datetime]:
    midnight = datetime.combine(day, time(0, 0), tzinfo=zone)
    next_midnight = datetime.combine(day + ONE_DAY, time(0, 0), tzinfo=zone)
    if midnight.utcoffset() == next_midnight.utcoffset():
        base = midnight.astimezone(UTC)
        return lambda minute: base + _MINUTE_STEPS[minute]
    return lambda minute: local_to_utc(day, time(minute // 60, minute % 60), zone)


def _require_aware(*moments: datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise BookingError(BookingErrorCode.INVALID_TIME)
