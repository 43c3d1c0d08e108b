"""Free slots checked against a brute-force oracle on random rules, busy times and clocks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.errors import BookingError
from booking.rules import (
    AdvanceWindow,
    FixedGrid,
    FixedPeriod,
    IntervalGrid,
    Label,
    OpeningHours,
    Period,
    Slot,
    SpaceRules,
)
from booking.rules.window import window_is_open
from booking.slots import candidate_slots, free_slots, validate_hold

FIRST_DAY = date(2025, 1, 1)
# Opening hours stay clear of the small-hours daylight-saving switches of Europe/Berlin.
EARLIEST, LATEST = 5 * 60, 23 * 60


def clock(minute: int) -> time:
    return time(minute // 60, minute % 60)


@st.composite
def minute_spans(draw, earliest: int = EARLIEST, latest: int = LATEST, granularity: int = 15):
    first, last = -(-earliest // granularity), latest // granularity
    start = draw(st.integers(first, last - 1))
    end = draw(st.integers(start + 1, last))
    return start * granularity, end * granularity


def as_period(span: tuple[int, int]) -> Period:
    return Period(clock(span[0]), clock(span[1]))


@st.composite
def opening_hours(draw, usual: tuple[Period, ...]) -> OpeningHours:
    """Mostly the same hours each day (as real facilities have), some days closed or different."""
    other_day = st.lists(minute_spans().map(as_period), max_size=2).map(tuple)
    weekly = tuple(
        draw(st.one_of(st.just(usual), st.just(usual), st.just(()), other_day)) for _ in range(7)
    )
    return OpeningHours(weekly=weekly)


@st.composite
def fixed_grids(draw, usual: tuple[Period, ...]) -> FixedGrid:
    """Periods inside the usual hours, and sometimes one anywhere."""
    inside = st.sampled_from(usual).flatmap(lambda p: minute_spans(*p.minutes, granularity=30))
    spans = draw(
        st.lists(
            st.one_of(inside, inside, minute_spans(granularity=30)),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    return FixedGrid(
        tuple(
            FixedPeriod(Label(f"枠{i}", f"Slot {i}"), clock(s), clock(e))
            for i, (s, e) in enumerate(spans)
        )
    )


@st.composite
def interval_grids(draw) -> IntervalGrid:
    step = draw(st.sampled_from([15, 30, 60]))
    minimum = step * draw(st.integers(1, 4))
    return IntervalGrid(step, minimum, minimum * draw(st.integers(1, 3)))


windows = st.builds(
    AdvanceWindow,
    opens_months=st.integers(0, 2),
    opens_days=st.integers(0, 10),
    closes_days=st.integers(0, 3),
    opens_at_month_start=st.booleans(),
    opens_at=st.sampled_from([time(0), time(9)]),
)


@st.composite
def space_rules(draw) -> SpaceRules:
    usual_spans = draw(st.lists(minute_spans(granularity=30), min_size=1, max_size=2))
    usual = tuple(as_period(span) for span in usual_spans)
    return SpaceRules(
        hours=draw(opening_hours(usual)),
        grid=draw(st.one_of(fixed_grids(usual), interval_grids())),
        window=draw(windows),
        timezone=draw(st.sampled_from(["Asia/Tokyo", "Europe/Berlin"])),
    )


@st.composite
def scenarios(draw):
    rules = draw(space_rules())
    span = draw(st.integers(0, 20))
    from_date = FIRST_DAY + timedelta(days=draw(st.integers(0, 300)))
    to_date = from_date + timedelta(days=span)
    origin = datetime.combine(from_date, time(0), tzinfo=rules.zone)
    now = origin + timedelta(minutes=draw(st.integers(-60 * 24 * 20, 60 * 24 * 10)))
    busy = []
    for day, minute, length in draw(
        st.lists(
            st.tuples(
                st.integers(-1, span + 1), st.integers(EARLIEST, LATEST), st.integers(5, 300)
            ),
            max_size=30,
        )
    ):
        start = origin + timedelta(days=day, minutes=minute - minute % 5)
        busy.append((start, start + timedelta(minutes=length)))
    return rules, from_date, to_date, busy, now


def overlaps(slot: Slot, interval: tuple[datetime, datetime]) -> bool:
    return slot.start_utc < interval[1] and interval[0] < slot.end_utc


def local_day(slot: Slot, rules: SpaceRules) -> date:
    return slot.start_utc.astimezone(ZoneInfo(rules.timezone)).date()


def oracle(rules, from_date, to_date, busy, now) -> list[Slot]:
    """Available slots by brute force: every candidate checked against everything."""
    available = []
    day = from_date
    while day <= to_date:
        if window_is_open(rules.window, day, rules.zone, now):
            available += [
                slot
                for slot in candidate_slots(rules, day)
                if slot.start_utc >= now and not any(overlaps(slot, b) for b in busy)
            ]
        day += timedelta(days=1)
    if isinstance(rules.grid, FixedGrid):
        return available
    starts = {slot.start_utc for slot in available}
    step, cells_needed = (
        timedelta(minutes=rules.grid.step_minutes),
        rules.grid.min_minutes // rules.grid.step_minutes,
    )
    return [
        slot
        for slot in available
        if any(
            all(slot.start_utc + (k - back) * step in starts for k in range(cells_needed))
            for back in range(cells_needed)
        )
    ]


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_free_slots__equal_the_brute_force_answer(scenario):
    assert free_slots(*scenario) == oracle(*scenario)


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_free_slots__never_overlap_busy_and_respect_hours_window_and_clock(scenario):
    rules, from_date, to_date, busy, now = scenario

    free = free_slots(rules, from_date, to_date, busy, now)

    for slot in free:
        assert not any(overlaps(slot, interval) for interval in busy)
        day = local_day(slot, rules)
        assert from_date <= day <= to_date
        assert window_is_open(rules.window, day, rules.zone, now)
        assert slot.start_utc >= now
        local_start, local_end = (
            moment.astimezone(rules.zone) for moment in (slot.start_utc, slot.end_utc)
        )
        start_minute = local_start.hour * 60 + local_start.minute
        end_minute = local_end.hour * 60 + local_end.minute
        assert any(
            opens <= start_minute and end_minute <= closes
            for opens, closes in rules.hours.minutes_on(day)
        )
    assert free == sorted(free)


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_free_slots__can_be_held(scenario):
    rules, from_date, to_date, busy, now = scenario

    free = free_slots(rules, from_date, to_date, busy, now)

    if isinstance(rules.grid, FixedGrid):
        for slot in free:
            assert validate_hold(rules, slot.start_utc, slot.end_utc, now).label == slot.label
        return
    minimum, step = (
        timedelta(minutes=rules.grid.min_minutes),
        timedelta(minutes=rules.grid.step_minutes),
    )
    starts = {slot.start_utc for slot in free}
    for slot in free:
        cells = [
            slot.start_utc + k * step
            for k in range(rules.grid.min_minutes // rules.grid.step_minutes)
        ]
        if all(cell in starts for cell in cells):
            validate_hold(rules, slot.start_utc, slot.start_utc + minimum, now)


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.integers(-600, 600), st.integers(1, 600))
def test_validate_hold__accepts_only_what_the_grid_offers(scenario, offset, length):
    """A hold the rules accept is made of free-or-busy grid cells of an open day."""
    rules, from_date, _, _, now = scenario
    start = datetime.combine(from_date, time(12), tzinfo=rules.zone) + timedelta(minutes=offset)
    end = start + timedelta(minutes=length)
    try:
        slot = validate_hold(rules, start, end, now)
    except BookingError:
        return
    candidates = candidate_slots(rules, start.astimezone(rules.zone).date())
    assert slot.start_utc >= now
    if isinstance(rules.grid, FixedGrid):
        assert slot in candidates
    else:
        cell_starts = {cell.start_utc for cell in candidates}
        step = timedelta(minutes=rules.grid.step_minutes)
        moment = slot.start_utc
        while moment < slot.end_utc:
            assert moment in cell_starts
            moment += step
