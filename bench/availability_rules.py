"""A month of availability for a facility with 10 spaces, in process.

Spaces: a gym floor with two halves and a ground (午前/午後/夜間 periods) and six
meeting rooms (half-hour cells, 1-3 hours, lunch break). About a third of the
slots are taken; the halves also see the whole floor's bookings and vice versa.

Prints median and p99 per month of the facility for
  sweep        booking.slots.free_slots (grid per day, one sorted sweep over busy)
  sweep, cold  the same with the per-day grid cache emptied before each run
  baseline     every candidate checked against every busy interval (same run)

Run: python bench/availability_rules.py [--runs 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from booking.rules import (
    AdvanceWindow,
    FixedGrid,
    FixedPeriod,
    IntervalGrid,
    Label,
    OpeningHours,
    Period,
    SpaceRules,
)
from booking.rules.window import window_is_open
from booking.slots import candidate_slots, free_slots, grid_spans
from booking.spaces import related_space_ids

FIRST_DAY, LAST_DAY = date(2025, 7, 1), date(2025, 7, 31)
NOW = datetime(2025, 5, 20, tzinfo=UTC)
WINDOW = AdvanceWindow(opens_months=3, closes_days=1)

PERIODS = FixedGrid(
    (
        FixedPeriod(Label("午前", "Morning"), clock(9), clock(12)),
        FixedPeriod(Label("午後", "Afternoon"), clock(13), clock(17)),
        FixedPeriod(Label("夜間", "Evening"), clock(18), clock(21)),
    )
)
HALL = SpaceRules(
    OpeningHours.same_every_day(Period(clock(9), clock(21)), closed_weekdays=(0,)), PERIODS, WINDOW
)
ROOM = SpaceRules(
    OpeningHours.same_every_day(Period(clock(9), clock(12)), Period(clock(13), clock(21))),
    IntervalGrid(30, 60, 180),
    WINDOW,
)
WHOLE, HALF_A, HALF_B, GROUND = 1, 2, 3, 4
ROOMS = tuple(range(5, 11))
RULES = {WHOLE: HALL, HALF_A: HALL, HALF_B: HALL, GROUND: HALL, **{room: ROOM for room in ROOMS}}
PARENT_OF = {HALF_A: WHOLE, HALF_B: WHOLE}


def own_bookings(seed: int = 7) -> dict[int, list[tuple[datetime, datetime]]]:
    """Random bookings on about a third of each space's slots; a hall's whole floor less often."""
    chooser = random.Random(seed)
    bookings: dict[int, list[tuple[datetime, datetime]]] = {space: [] for space in RULES}
    day = FIRST_DAY
    while day <= LAST_DAY:
        for space, rules in RULES.items():
            share = 0.1 if space == WHOLE else 0.33
            cells = candidate_slots(rules, day)
            if isinstance(rules.grid, FixedGrid):
                bookings[space] += [
                    (s.start_utc, s.end_utc) for s in cells if chooser.random() < share
                ]
                continue
            index = 0
            while index < len(cells):
                if chooser.random() < share / 3:
                    length = chooser.choice((2, 4, 6))
                    run = cells[index : index + length]
                    bookings[space].append((run[0].start_utc, run[-1].end_utc))
                    index += length
                index += 1
        day += timedelta(days=1)
    return bookings


def busy_by_space(
    own: dict[int, list[tuple[datetime, datetime]]],
) -> dict[int, list[tuple[datetime, datetime]]]:
    busy = {}
    for space in RULES:
        related = related_space_ids(space, PARENT_OF)
        busy[space] = [interval for other in (space, *related) for interval in own[other]]
    return busy


def month_with_sweep(busy: dict) -> int:
    return sum(len(free_slots(RULES[s], FIRST_DAY, LAST_DAY, busy[s], NOW)) for s in RULES)


def month_with_sweep_cold(busy: dict) -> int:
    grid_spans.cache_clear()
    return month_with_sweep(busy)


def month_with_baseline(busy: dict) -> int:
    """Candidates checked one by one against every busy interval (runs rule left out)."""
    total = 0
    for space, rules in RULES.items():
        day = FIRST_DAY
        while day <= LAST_DAY:
            if window_is_open(rules.window, day, rules.zone, NOW):
                total += sum(
                    1
                    for slot in candidate_slots(rules, day)
                    if slot.start_utc >= NOW
                    and not any(
                        slot.start_utc < end and start < slot.end_utc for start, end in busy[space]
                    )
                )
            day += timedelta(days=1)
    return total


def timings(compute, busy: dict, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        compute(busy)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs

    busy = busy_by_space(own_bookings())
    free = month_with_sweep(busy)
    intervals = sum(len(intervals) for intervals in busy.values())
    month = f"{FIRST_DAY:%Y-%m}"
    print(f"10 spaces, {month}: {intervals} busy intervals (related spaces included), {free} free")

    results = {
        "sweep": timings(month_with_sweep, busy, runs),
        "sweep, cold": timings(month_with_sweep_cold, busy, runs),
        "baseline": timings(month_with_baseline, busy, max(runs // 10, 5)),
    }
    baseline = statistics.median(results["baseline"])
    print(f"{'':14}{'median ms':>10}{'p99 ms':>10}{'vs baseline':>13}")
    for name, samples in results.items():
        median = statistics.median(samples)
        print(f"{name:14}{median:10.2f}{p99(samples):10.2f}{baseline / median:12.1f}x")
    target = "met" if statistics.median(results["sweep, cold"]) <= 20 else "MISSED"
    print(f"target: median <= 20 ms for a month of 10 spaces, cold: {target}")


if __name__ == "__main__":
    main()
