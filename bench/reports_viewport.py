"""The staff/public map's viewport query over a city of 1,000,000 reports, in process.

Each query is a 2 km × 2 km box centred where reports are (a town centre's spread), open
reports only, newest first, at most 500 returned. The service call and the GraphQL field run
box by box, one after the other, so machine noise weighs on both alike. Prints median and
p99 for
  viewport        reports.map.viewport.map_reports_in_area, the service call the map's field makes
                  (grid cells + covering index, one statement, no table row read)
  graphql         the reportsInArea field as the map asks for it (schema.execute in process)
  all columns     reports.map.viewport.reports_in_area: the same ids, then every column of those
                  rows (what the field reads when a selection asks for more than the map's fields)
  orm baseline    one Tortoise query on lat/lng/status without the grid (same run, fewer boxes)
  empty box       the service call and the field on a box in the sea (no report): what the
                  GraphQL layer costs a request whatever its answer

Each run measures the same boxes again on the same city (loading a million reports takes
far longer than measuring them).

Run: python bench/reports_viewport.py [--reports 1000000] [--queries 300] [--engine sqlite|postgres|both]
                                      [--runs 2]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tortoise import connections

from bench.reports_city import CENTRES, city
from core.context import Context
from core.settings import load_settings
from reports.map.bbox import BBox
from reports.map.viewport import AreaFilter, map_reports_in_area, reports_in_area
from reports.models import Report
from reports.workflow import OPEN_STATUSES

MAP_QUERY = """
query Map($box: BBoxInput!) {
  reportsInArea(bbox: $box) { id receiptNumber lat lng status createdAt overdue category { code icon } }
}
"""


def box_around(lat: float, lng: float, km: float = 2.0) -> BBox:
    half_lat = km / 2 / 111.32
    half_lng = km / 2 / (111.32 * math.cos(math.radians(lat)))
    return BBox(lng - half_lng, lat - half_lat, lng + half_lng, lat + half_lat)


def boxes(count: int, seed: int = 11) -> list[BBox]:
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        lat, lng, _, spread = rng.choice(CENTRES)
        found.append(box_around(rng.gauss(lat, spread), rng.gauss(lng, spread * 1.25)))
    return found


async def timed(
    run: Callable[[BBox], Awaitable[int]], views: list[BBox]
) -> tuple[list[float], float]:
    times, returned = [], []
    for box in views:
        started = time.perf_counter()
        returned.append(await run(box))
        times.append((time.perf_counter() - started) * 1000)
    return times, statistics.mean(returned)


async def interleaved(
    first: Callable[[BBox], Awaitable[int]],
    second: Callable[[BBox], Awaitable[int]],
    views: list[BBox],
) -> tuple[tuple[list[float], float], tuple[list[float], float]]:
    times: tuple[list[float], list[float]] = ([], [])
    returned: tuple[list[int], list[int]] = ([], [])
    for box in views:
        for index, run in enumerate((first, second)):
            started = time.perf_counter()
            returned[index].append(await run(box))
            times[index].append((time.perf_counter() - started) * 1000)
    return (times[0], statistics.mean(returned[0])), (times[1], statistics.mean(returned[1]))


def summary(label: str, times: list[float], rows: float) -> tuple[float, float]:
    ordered = sorted(times)
    median = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, math.ceil(len(ordered) * 0.99) - 1)]
    print(
        f"  {label:14s} median {median:8.2f} ms   p99 {p99:8.2f} ms   rows {rows:5.0f}", flush=True
    )
    return median, p99


async def viewport(box: BBox) -> int:
    return len(await map_reports_in_area(AreaFilter(box)))


async def all_columns(box: BBox) -> int:
    return len(await reports_in_area(AreaFilter(box)))


async def orm_baseline(box: BBox) -> int:
    query = Report.filter(
        lat__gte=box.min_lat,
        lat__lte=box.max_lat,
        lng__gte=box.min_lng,
        lng__lte=box.max_lng,
        status__in=[str(status) for status in OPEN_STATUSES],
        hidden=False,
    )
    return len(await query.order_by("-created_at", "-id").limit(500))


def graphql_runner(settings):
    from api.schema import schema

    async def run(box: BBox) -> int:
        variables = {
            "box": {
                "minLng": box.min_lng,
                "minLat": box.min_lat,
                "maxLng": box.max_lng,
                "maxLat": box.max_lat,
            }
        }
        result = await schema.execute(
            MAP_QUERY, variable_values=variables, context_value=Context(settings=settings)
        )
        assert not result.errors, result.errors
        return len(result.data["reportsInArea"])

    return run


async def bench(engine: str, reports: int, queries: int, runs: int) -> None:
    print(f"{engine}:", flush=True)
    async with city(engine, reports) as url:
        settings = load_settings(
            {"DATABASE_URL": url, "SECRET_KEY": "b" * 40, "VAR_DIR": "/tmp/madoguchi-bench-var"}
        )
        print(f"  {await _index_sizes(engine)}", flush=True)
        views = boxes(queries)
        graphql = graphql_runner(settings)
        await timed(viewport, views[:20])  # warm caches
        await timed(graphql, views[:20])
        for run in range(1, runs + 1):
            print(
                f"  run {run} of {runs} ({time.strftime('%H:%M UTC', time.gmtime())}, load {_load()}):",
                flush=True,
            )
            await measured(graphql, views, queries)


async def measured(graphql, views: list[BBox], queries: int) -> None:
    # Box by box, the service call and then the same box through GraphQL, so that the
    # machine's other work weighs on both alike.
    (service_times, rows), (graphql_times, _) = await interleaved(viewport, graphql, views)
    fast = summary("viewport", service_times, rows)
    layered = summary("graphql", graphql_times, rows)
    full = summary("all columns", *await timed(all_columns, views))
    slow = summary("orm baseline", *await timed(orm_baseline, views[: max(20, queries // 10)]))
    sea = [box_around(37.0, 141.5)] * max(20, queries // 3)  # off the coast: no report
    (empty_service, _), (empty_graphql, _) = await interleaved(viewport, graphql, sea)
    empty = summary("empty: service", empty_service, 0), summary("empty: graphql", empty_graphql, 0)
    print(
        f"  graphql ÷ viewport: median {layered[0] / fast[0]:.2f}×, p99 "
        f"{layered[1] / fast[1]:.2f}×; all columns ÷ viewport: median {full[0] / fast[0]:.2f}×; "
        f"baseline ÷ viewport: median {slow[0] / fast[0]:.1f}×; the layer on an empty box: "
        f"{empty[1][0] - empty[0][0]:.2f} ms (median)",
        flush=True,
    )


async def _index_sizes(engine: str) -> str:
    """The covering index's size beside the table's."""
    connection = connections.get("default")
    if engine == "sqlite":
        sql = (
            "SELECT name, SUM(pgsize) FROM dbstat WHERE name = 'report' OR name = "
            "(SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%\"cell\"%') "
            "GROUP BY name"
        )
    else:
        sql = (
            "SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relname = 'report' OR "
            "relname = (SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%(cell,%')"
        )
    _, rows = await connection.execute_query(sql)
    sizes = {("table" if row[0] == "report" else "covering index"): row[1] / 1e6 for row in rows}
    return ", ".join(f"{name} {size:,.0f} MB" for name, size in sorted(sizes.items()))


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--runs", type=int, default=2, help="measured runs on one loaded city")
    options = parser.parse_args()
    engines = ("sqlite", "postgres") if options.engine == "both" else (options.engine,)
    for engine in engines:
        asyncio.run(bench(engine, options.reports, options.queries, options.runs))


if __name__ == "__main__":
    main()
