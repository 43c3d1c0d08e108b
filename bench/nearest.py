"""Nearest evacuation sites over the nationwide GSI data: the in-process index against brute force
(and against PostGIS `geography <->` KNN when given a DSN), on the same query points.

    python bench/nearest.py [--points 2000] [--k 5] [--seed 1]
                            [--postgis-dsn postgresql://... | --postgis-cluster]

Prints, for k nearest with and without the tsunami filter: median and p99 latency of the index
(exact WGS84 distances included), of a brute-force scan and of PostGIS; the memory the index
adds to the process; and how often each ranking equals the brute-force geodesic ranking.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from geo.geodesy import geodesic_distance_m
from geo.hazards import Hazard
from geo.index import NearestIndex
from geo.readers import read_geo_file

FILES = ("gsi_shitei_kinkyu_hinanbasho_nationwide.csv", "gsi_shitei_hinanjo_nationwide.csv")
FILTERS = {"all sites": 0, "tsunami": Hazard.TSUNAMI.bit}
# Extreme radii of curvature of WGS84: geodesic / great-circle angle lies between them.
_E2 = 0.0066943799901413165
_LOW_RADIUS, _HIGH_RADIUS = 6378137.0 * (1 - _E2), 6378137.0 / (1 - _E2) ** 0.5


def main() -> None:
    args = parse_args()
    ids, lats, lngs, masks = load_sites(args.data_dir)
    index, rss_added = build_measured(ids, lats, lngs, masks)
    print(
        f"index: {len(index):,} sites, arrays+trees {index.nbytes / 1e6:.1f} MB, "
        f"process RSS +{rss_added / 1e6:.1f} MB"
    )
    points = query_points(lats, lngs, args.points, args.seed)
    answers: dict[str, dict[str, list]] = {}
    timings: dict[str, dict[str, list[float]]] = {}
    for label, mask in FILTERS.items():
        allowed = (masks & mask) == mask
        timings[label], answers[label] = {}, {}
        timings[label]["index"], answers[label]["index"] = time_index(index, points, args.k, mask)
        timings[label]["brute force"], answers[label]["brute force"] = time_brute_force(
            points, ids[allowed], lats[allowed], lngs[allowed], args.k
        )
    with postgis(args) as dsn:
        if dsn:
            pg = asyncio.run(run_postgis(dsn, ids, lats, lngs, masks, points, args.k))
            for label in FILTERS:
                timings[label]["PostGIS"], answers[label]["PostGIS"] = pg[label]
    report(timings, answers, args)


@contextlib.contextmanager
def postgis(args):
    """The DSN given, or a throwaway local cluster (PostgreSQL with the PostGIS package)."""
    if not args.postgis_cluster:
        yield args.postgis_dsn
        return
    from tests.support.postgres import start_cluster

    cluster = start_cluster()
    try:
        yield cluster.dsn()
    finally:
        cluster.stop()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--postgis-dsn", help="run the same queries on PostGIS (asyncpg DSN)")
    parser.add_argument(
        "--postgis-cluster", action="store_true", help="start a throwaway local PostGIS for that"
    )
    return parser.parse_args()


def load_sites(data_dir: Path):
    started = time.perf_counter()
    records = []
    for name in FILES:
        records += read_geo_file(data_dir / name).read_all()
    print(f"read {len(records):,} sites in {time.perf_counter() - started:.1f} s")
    ids = np.arange(1, len(records) + 1, dtype=np.int64)
    lats = np.array([r.lat for r in records])
    lngs = np.array([r.lng for r in records])
    masks = np.array([r.hazards for r in records], dtype=np.uint8)
    return ids, lats, lngs, masks


def build_measured(ids, lats, lngs, masks) -> tuple[NearestIndex, int]:
    """The index and the resident memory its building added (its own copies of the columns
    included: it is given fresh ones)."""
    gc.collect()
    before = psutil.Process().memory_info().rss
    started = time.perf_counter()
    index = NearestIndex.build(ids.copy(), lats.copy(), lngs.copy(), masks.copy())
    elapsed = time.perf_counter() - started
    gc.collect()
    added = psutil.Process().memory_info().rss - before
    print(f"built the index in {elapsed:.2f} s")
    return index, added


def query_points(lats, lngs, count: int, seed: int) -> list[tuple[float, float]]:
    """Points within about a kilometre of randomly chosen real sites."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(lats), count)
    offsets = rng.normal(0.0, 0.005, (count, 2))
    return [
        (float(a), float(b))
        for a, b in zip(lats[picks] + offsets[:, 0], lngs[picks] + offsets[:, 1], strict=True)
    ]


def time_index(index: NearestIndex, points, k: int, mask: int):
    for lat, lng in points[:50]:  # warm up
        index.nearest(lat, lng, k, hazard_mask=mask)
    latencies, answers = [], []
    gc.disable()
    try:
        for lat, lng in points:
            started = time.perf_counter_ns()
            found = index.nearest(lat, lng, k, hazard_mask=mask)
            latencies.append((time.perf_counter_ns() - started) / 1e3)
            answers.append([(n.id, n.distance_m) for n in found])
    finally:
        gc.enable()
    return latencies, answers


def time_brute_force(points, ids, lats, lngs, k: int):
    """Great-circle screening of every site (numpy), then the exact geodesic for every site
    whose lower bound could still place it among the k nearest."""
    latencies, answers = [], []
    rad_lats, rad_lngs = np.radians(lats), np.radians(lngs)
    cos_lats = np.cos(rad_lats)
    for lat, lng in points:
        started = time.perf_counter_ns()
        phi, lam = np.radians(lat), np.radians(lng)
        h = (
            np.sin((rad_lats - phi) / 2) ** 2
            + np.cos(phi) * cos_lats * np.sin((rad_lngs - lam) / 2) ** 2
        )
        angles = 2 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
        cutoff = np.partition(angles, k - 1)[k - 1] * _HIGH_RADIUS * 1.000001 + 1e-3
        close = np.flatnonzero(angles * _LOW_RADIUS * 0.999999 - 1e-3 <= cutoff)
        ranked = sorted(
            (geodesic_distance_m(lat, lng, float(lats[i]), float(lngs[i])), int(ids[i]))
            for i in close
        )[:k]
        latencies.append((time.perf_counter_ns() - started) / 1e3)
        answers.append([(id_, distance) for distance, id_ in ranked])
    return latencies, answers


async def run_postgis(dsn: str, ids, lats, lngs, masks, points, k: int):
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        await load_postgis(connection, ids, lats, lngs, masks)
        results = {}
        for label, mask in FILTERS.items():
            where = f"WHERE hazards & {mask} = {mask}" if mask else ""
            statement = await connection.prepare(
                "SELECT id, ST_Distance(geog, q.p) AS d FROM bench_sites,"
                " (SELECT ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography AS p) q"
                f" {where} ORDER BY geog <-> q.p LIMIT {k}"
            )
            for lat, lng in points[:50]:
                await statement.fetch(lat, lng)
            latencies, answers = [], []
            for lat, lng in points:
                started = time.perf_counter_ns()
                rows = await statement.fetch(lat, lng)
                latencies.append((time.perf_counter_ns() - started) / 1e3)
                answers.append([(row["id"], row["d"]) for row in rows])
            results[label] = (latencies, answers)
        return results
    finally:
        await connection.close()


async def load_postgis(connection, ids, lats, lngs, masks) -> None:
    started = time.perf_counter()
    await connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    await connection.execute("DROP TABLE IF EXISTS bench_sites")
    await connection.execute(
        "CREATE TABLE bench_sites (id integer PRIMARY KEY, hazards smallint NOT NULL,"
        " lat double precision, lng double precision, geog geography(Point, 4326))"
    )
    rows = zip(ids.tolist(), masks.tolist(), lats.tolist(), lngs.tolist(), strict=True)
    await connection.copy_records_to_table(
        "bench_sites", records=list(rows), columns=["id", "hazards", "lat", "lng"]
    )
    await connection.execute(
        "UPDATE bench_sites SET geog = ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography"
    )
    await connection.execute("CREATE INDEX bench_sites_geog ON bench_sites USING gist (geog)")
    await connection.execute("VACUUM ANALYZE bench_sites")
    print(f"PostGIS: loaded and indexed in {time.perf_counter() - started:.1f} s")


def report(timings, answers, args) -> None:
    print(f"\n{args.points:,} query points near real sites, k={args.k}")
    print(
        f"{'filter':10} {'method':12} {'median µs':>10} {'p99 µs':>10} {'× index':>9} "
        f"{'agrees with brute force':>24}"
    )
    for label in FILTERS:
        index_median = statistics.median(timings[label]["index"])
        reference = answers[label]["brute force"]
        for method, latencies in timings[label].items():
            median, p99 = statistics.median(latencies), percentile(latencies, 99)
            agreement = agreement_rate(answers[label][method], reference)
            print(
                f"{label:10} {method:12} {median:10.1f} {p99:10.1f} "
                f"{median / index_median:9.2f} {agreement:23.2%}"
            )


def agreement_rate(answers, reference) -> float:
    """Share of points whose ranking is the reference's: the same ids in the same order, or
    the same distances to the millimetre where sites tie."""
    same = 0
    for got, expected in zip(answers, reference, strict=True):
        ids_equal = [i for i, _ in got] == [i for i, _ in expected]
        ties = len(got) == len(expected) and all(
            abs(a - b) < 1e-3 for (_, a), (_, b) in zip(got, expected, strict=True)
        )
        same += ids_equal or ties
    return same / len(reference)


def percentile(values, q: float) -> float:
    return float(np.percentile(values, q))


if __name__ == "__main__":
    main()
