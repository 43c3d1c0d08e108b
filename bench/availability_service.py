"""A month of availability for a facility with 10 spaces, in process, from the database.

The facility of bench/availability_rules.py (a gym floor with two halves, a ground and six
meeting rooms) is written to a database with about a third of next month's slots booked
(reservations and their block rows, as holdSlot writes them). Then
`booking.catalog.facility_availability` answers the month again and again.

Prints median and p99 per month of the facility for
  service      booking.catalog.facility_availability: the block rows read, lapsed holds
               looked up, the sweep per space
  sweep        the pure sweep alone on the same busy intervals (baseline, same run)

Run: python bench/availability_service.py [--runs 200] [--databases sqlite,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import calendar
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from accounts.models import Resident
from bench.availability_rules import GROUND, HALF_A, HALF_B, HALL, ROOM, ROOMS, WHOLE, own_bookings
from booking import catalog
from booking.models import Facility, Reservation, ReservationStatus, Space, SpaceBlock, SpaceKind
from booking.rules.as_json import rules_to_json
from booking.slots import free_slots
from booking.spaces import block_space_ids
from core import clock, database
from core.clock import TOKYO

KINDS = {
    WHOLE: SpaceKind.GYM,
    HALF_A: SpaceKind.GYM,
    HALF_B: SpaceKind.GYM,
    GROUND: SpaceKind.GROUND,
}


def next_month() -> tuple[date, date]:
    today = clock.now().astimezone(TOKYO).date()
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def shifted_bookings(first: date) -> dict[int, list]:
    """bench/availability_rules.py's bookings (July 2025), moved to start on `first`."""
    source = own_bookings()
    offset = first - date(2025, 7, 1)
    return {space: [(s + offset, e + offset) for s, e in items] for space, items in source.items()}


async def write_facility(first: date) -> tuple[int, dict[int, int]]:
    facility = await Facility.create(
        name_ja="ベンチ会館", name_en="Bench Hall", address_ja="二本松市"
    )
    ids: dict[int, int] = {}
    for key in (WHOLE, HALF_A, HALF_B, GROUND, *ROOMS):
        rules = HALL if key in KINDS else ROOM
        parent = ids[WHOLE] if key in (HALF_A, HALF_B) else None
        space = await Space.create(
            facility=facility,
            parent_id=parent,
            kind=KINDS.get(key, SpaceKind.ROOM),
            name_ja=f"場所{key}",
            name_en=f"Space {key}",
            rules=rules_to_json(rules),
        )
        ids[key] = space.id
    resident = await Resident.create(display_name="ベンチ")
    tree = {space_id: None for space_id in ids.values()} | {
        ids[HALF_A]: ids[WHOLE],
        ids[HALF_B]: ids[WHOLE],
    }
    reservations, blocks = [], []
    taken: dict[int, list] = {}
    for key, items in shifted_bookings(first).items():
        for start, end in items:
            spaces = block_space_ids(ids[key], tree)
            if any(
                s < end and start < e for space_id in spaces for s, e in taken.get(space_id, ())
            ):
                continue  # the database would refuse it: the floor and a half at once
            for space_id in spaces:
                taken.setdefault(space_id, []).append((start, end))
            reservations.append(
                Reservation(
                    receipt_number="B" + uuid.uuid4().hex[:9].upper(),
                    space_id=ids[key],
                    resident_id=resident.id,
                    starts_at=start,
                    ends_at=end,
                    status=ReservationStatus.CONFIRMED,
                    amount_yen=0,
                )
            )
    await Reservation.bulk_create(reservations, batch_size=500)
    for reservation in await Reservation.all():
        blocks += [
            SpaceBlock(
                space_id=space_id,
                reservation_id=reservation.id,
                starts_at=reservation.starts_at,
                ends_at=reservation.ends_at,
            )
            for space_id in block_space_ids(reservation.space_id, tree)
        ]
    await SpaceBlock.bulk_create(blocks, batch_size=500)
    return facility.id, ids


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


async def measure(name: str, url: str, runs: int) -> float:
    EXECUTOR_CACHE.clear()
    config = database.tortoise_config(url)
    await database.migrate(config)
    await Tortoise.close_connections()
    await database.init(config)
    try:
        first, last = next_month()
        facility_id, _ = await write_facility(first)
        spaces = await Space.filter(facility_id=facility_id)
        tree = {space.id: space.parent_id for space in spaces}
        rows = await SpaceBlock.filter(space_id__in=list(tree)).values_list(
            "space_id", "starts_at", "ends_at"
        )
        own: dict[int, list] = {}
        for space_id, start, end in rows:
            own.setdefault(space_id, []).append((start, end))
        now = clock.now()

        def sweep() -> int:
            return sum(
                len(
                    free_slots(
                        space.space_rules(),
                        first,
                        last,
                        [i for s in block_space_ids(space.id, tree) for i in own.get(s, ())],
                        now,
                    )
                )
                for space in spaces
            )

        async def service() -> int:
            by_space = await catalog.facility_availability(
                facility_id=facility_id, from_date=first, to_date=last
            )
            return sum(len(slots) for slots in by_space.values())

        assert await service() == sweep(), "the service and the sweep disagree"
        results: dict[str, list[float]] = {"service": [], "sweep": []}
        for _ in range(runs):
            started = time.perf_counter()
            free = await service()
            results["service"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            sweep()
            results["sweep"].append((time.perf_counter() - started) * 1000)
        print(f"\n{name}: 10 spaces, {first:%Y-%m}, {len(rows)} block rows, {free} free slots")
        baseline = statistics.median(results["sweep"])
        print(f"{'':10}{'median ms':>10}{'p99 ms':>10}{'÷ sweep':>9}")
        for label, samples in results.items():
            median = statistics.median(samples)
            print(f"{label:10}{median:10.2f}{p99(samples):10.2f}{median / baseline:9.2f}")
        median = statistics.median(results["service"])
        print(f"target: median <= 20 ms: {'met' if median <= 20 else 'MISSED'}")
        return median
    finally:
        await Tortoise.close_connections()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    print(f"{date.today()}: a month of availability for a facility with 10 spaces, in process")
    for name in args.databases.split(","):
        if name == "sqlite":
            with tempfile.TemporaryDirectory(prefix="bench-availability-") as tmp:
                await measure("SQLite", f"sqlite://{tmp}/bench.sqlite3", args.runs)
        elif name == "postgres":
            from tests.support.postgres import start_cluster

            cluster = start_cluster()
            try:
                admin = await asyncpg.connect(cluster.dsn())
                await admin.execute("CREATE DATABASE bench_availability")
                await admin.close()
                await measure("PostgreSQL", cluster.dsn("bench_availability"), args.runs)
            finally:
                cluster.stop()


if __name__ == "__main__":
    asyncio.run(main())
