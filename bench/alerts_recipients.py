"""Recipient selection for an alert: 100,000 residents with watch areas, a 5 km circle.

Residents live where the city's people do (bench/reports_city.py's clusters over 二本松市),
each with a watch area of 200-2,000 m, 30 % with a second one; 5 % subscribe to the whole
city. The alert is a 5 km circle around the city hall.

Prints median and p99 of
  select          notifications.alerts.recipients.select_recipients (bounding box in SQL,
                  then the exact test in metres on the candidates, vectorised)
  baseline        every watch area read, then the same exact test (same run)

Run: python bench/alerts_recipients.py [--residents 100000] [--runs 30] [--engine sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from accounts.models import Resident
from bench.reports_city import positions
from core import clock, database
from notifications.alerts import recipients
from notifications.alerts.content import AlertContent
from notifications.alerts.geometry import circle_bounds, matcher_for
from notifications.alerts.models import (
    Alert,
    AlertSource,
    AlertStatus,
    AlertSubscription,
    Category,
    Certainty,
    MsgType,
    Severity,
    Urgency,
    WatchArea,
)
from notifications.alerts.service import apply_content

SERVICE_AREA = (140.25, 37.45, 140.62, 37.72)
CITY_HALL = (37.5849, 140.4312)
BATCH = 5_000


async def populate(count: int) -> None:
    rng = np.random.default_rng(5)
    lat, lng = positions(count, rng)
    for start in range(0, count, BATCH):
        await Resident.bulk_create(
            [
                Resident(public_id=uuid.uuid4(), display_name=f"住民{i}", language="ja")
                for i in range(start, min(count, start + BATCH))
            ]
        )
    ids = list(await Resident.all().order_by("id").values_list("id", flat=True))
    radius = rng.uniform(200, 2000, size=count)
    second = rng.random(count) < 0.3
    shift = rng.normal(0, 0.02, size=(count, 2))
    areas = []
    for i, resident_id in enumerate(ids):
        places = [(lat[i], lng[i])]
        if second[i]:
            places.append((lat[i] + shift[i, 0], lng[i] + shift[i, 1]))
        for position, (a, b) in enumerate(places):
            box = circle_bounds(float(a), float(b), float(radius[i]))
            areas.append(
                WatchArea(
                    resident_id=resident_id,
                    label="自宅" if position == 0 else "実家",
                    lat=float(a),
                    lng=float(b),
                    radius_m=float(radius[i]),
                    min_lat=box[0],
                    min_lng=box[1],
                    max_lat=box[2],
                    max_lng=box[3],
                    position=position,
                )
            )
        if len(areas) >= BATCH:
            await WatchArea.bulk_create(areas)
            areas = []
    if areas:
        await WatchArea.bulk_create(areas)
    city_wide = [AlertSubscription(resident_id=i, city_wide=True) for i in ids if i % 20 == 0]
    await AlertSubscription.bulk_create(city_wide, batch_size=BATCH)


async def the_alert() -> Alert:
    alert = Alert(
        source=AlertSource.STAFF,
        identifier=f"urn:uuid:{uuid.uuid4()}",
        sender="bench",
        sent=clock.now(),
        status=AlertStatus.ACTUAL,
        msg_type=MsgType.ALERT,
    )
    apply_content(
        alert,
        AlertContent(
            category=Category.MET,
            event="大雨",
            urgency=Urgency.IMMEDIATE,
            severity=Severity.SEVERE,
            certainty=Certainty.LIKELY,
            effective=clock.now(),
            areas=[
                {
                    "description": "市役所から 5 km",
                    "circles": [{"lat": CITY_HALL[0], "lng": CITY_HALL[1], "radiusMeters": 5000}],
                    "polygons": [],
                    "geocodes": [],
                }
            ],
        ),
    )
    await alert.save()
    return alert


async def baseline(alert: Alert) -> list[int]:
    matcher = matcher_for(alert.areas)
    rows = await WatchArea.all().values_list("resident_id", "lat", "lng", "radius_m")
    chosen = recipients._hits(rows, matcher)
    chosen |= set(
        await AlertSubscription.filter(city_wide=True).values_list("resident_id", flat=True)
    )
    return sorted(chosen)


async def timed(work, runs: int) -> tuple[list[float], list[int]]:
    times, result = [], []
    for _ in range(runs):
        started = time.perf_counter()
        result = await work()
        times.append(time.perf_counter() - started)
    return times, result


def summary(label: str, times: list[float]) -> tuple[float, float]:
    median = statistics.median(times)
    p99 = float(np.percentile(times, 99))
    print(f"  {label:<10} median {median * 1000:7.1f} ms   p99 {p99 * 1000:7.1f} ms", flush=True)
    return median, p99


@contextlib.asynccontextmanager
async def database_for(engine: str) -> AsyncIterator[None]:
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as folder:
        cluster = None
        if engine == "sqlite":
            url = f"sqlite://{Path(folder) / 'alerts.sqlite3'}"
        else:
            from tests.support.postgres import start_cluster

            cluster = start_cluster()
            url = cluster.dsn("postgres")
        try:
            EXECUTOR_CACHE.clear()
            config = database.tortoise_config(url)
            await database.migrate(config)
            await Tortoise.close_connections()
            await database.init(config)
            yield
            await Tortoise.close_connections()
        finally:
            if cluster is not None:
                cluster.stop()


async def bench(engine: str, residents: int, runs: int) -> None:
    print(f"{engine}:", flush=True)
    async with database_for(engine):
        started = time.perf_counter()
        await populate(residents)
        await Tortoise.get_connection("default").execute_script("ANALYZE")
        print(f"  {residents:,} residents loaded in {time.perf_counter() - started:.0f} s")
        alert = await the_alert()

        async def select() -> list[int]:
            return await recipients.select_recipients(alert, service_area=SERVICE_AREA)

        await select()
        fast_times, chosen = await timed(select, runs)
        slow_times, expected = await timed(lambda: baseline(alert), max(5, runs // 3))
        assert chosen == expected, "the bounding box lost recipients"
        print(f"  recipients: {len(chosen):,} of {residents:,}")
        fast = summary("select", fast_times)
        slow = summary("baseline", slow_times)
        print(f"  baseline ÷ select: median {slow[0] / fast[0]:.1f}×, p99 {slow[1] / fast[1]:.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    options = parser.parse_args()
    engines = ("sqlite", "postgres") if options.engine == "both" else (options.engine,)
    for engine in engines:
        asyncio.run(bench(engine, options.residents, options.runs))


if __name__ == "__main__":
    main()
