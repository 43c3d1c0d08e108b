"""A city with a million reports, for the report benchmarks: databases, data, loading.

Reports cluster around five town centres of 二本松市 (60 %) over an even spread across the
service area (40 %). 12 % are open (received, acknowledged, in progress), the rest closed,
as in a city that has taken reports for years. Rows go in with COPY (PostgreSQL) or one
executemany per 50,000 rows (SQLite), after the schema is migrated like the app's.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from accounts.demo import DEPARTMENTS
from accounts.models import Department
from core import database
from reports.demo import seed_categories
from reports.map.grid import cell_of
from reports.models import Category

SERVICE_AREA = (140.25, 37.45, 140.62, 37.72)
CENTRES = [  # (lat, lng, share of the clustered reports, spread in degrees)
    (37.5849, 140.4312, 0.40, 0.012),  # 二本松 駅・市役所
    (37.6180, 140.4560, 0.20, 0.010),  # 油井・安達
    (37.6190, 140.3430, 0.15, 0.008),  # 岳温泉
    (37.5980, 140.5650, 0.15, 0.010),  # 東和
    (37.5430, 140.4880, 0.10, 0.010),  # 岩代
]
STATUSES = [  # status, share
    ("received", 0.04),
    ("acknowledged", 0.03),
    ("in_progress", 0.05),
    ("resolved", 0.80),
    ("rejected", 0.05),
    ("duplicate", 0.03),
]
OPEN = ("received", "acknowledged", "in_progress")
NOW = datetime(2026, 6, 1, tzinfo=UTC)
CHUNK = 50_000


def positions(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    min_lng, min_lat, max_lng, max_lat = SERVICE_AREA
    clustered = int(count * 0.6)
    shares = np.array([share for _, _, share, _ in CENTRES])
    picks = rng.choice(len(CENTRES), size=clustered, p=shares / shares.sum())
    centres = np.array([(lat, lng, spread) for lat, lng, _, spread in CENTRES])[picks]
    lat = np.concatenate(
        [rng.normal(centres[:, 0], centres[:, 2]), rng.uniform(min_lat, max_lat, count - clustered)]
    )
    lng = np.concatenate(
        [
            rng.normal(centres[:, 1], centres[:, 2] * 1.25),
            rng.uniform(min_lng, max_lng, count - clustered),
        ]
    )
    np.clip(lat, min_lat, max_lat, out=lat)
    np.clip(lng, min_lng, max_lng, out=lng)
    order = rng.permutation(count)
    return np.round(lat[order], 6), np.round(lng[order], 6)


def rows(count: int, categories: list[tuple[int, int]], seed: int = 7) -> Iterator[list[tuple]]:
    """Chunks of report rows in the column order of `COLUMNS`."""
    rng = np.random.default_rng(seed)
    lat, lng = positions(count, rng)
    names = [name for name, _ in STATUSES]
    statuses = rng.choice(len(names), size=count, p=[share for _, share in STATUSES])
    picks = rng.integers(0, len(categories), size=count)
    age_days = rng.uniform(0, 5 * 365, size=count)
    recent = rng.uniform(0, 120, size=count)
    for start in range(0, count, CHUNK):
        chunk = []
        for i in range(start, min(count, start + CHUNK)):
            status = names[statuses[i]]
            days = recent[i] if status in OPEN else age_days[i]
            created = NOW - timedelta(days=float(days))
            category_id, department_id = categories[picks[i]]
            chunk.append(
                (
                    str(uuid.uuid4()),
                    f"B{i:08d}",
                    "bench report",
                    float(lat[i]),
                    float(lng[i]),
                    cell_of(float(lat[i]), float(lng[i])),
                    False,
                    status,
                    "app",
                    "{}",
                    "{}",
                    False,
                    "",
                    "",
                    created,
                    created,
                    category_id,
                    department_id,
                )
            )
        yield chunk


COLUMNS = (
    "public_id",
    "receipt_number",
    "description",
    "lat",
    "lng",
    "cell",
    "address_pending",
    "status",
    "source",
    "contact",
    "attributes",
    "hidden",
    "hidden_reason",
    "public_note",
    "created_at",
    "updated_at",
    "category_id",
    "department_id",
)


async def prepare(url: str) -> list[tuple[int, int]]:
    """Migrate, seed departments and categories; returns (category id, department id) pairs."""
    EXECUTOR_CACHE.clear()  # Tortoise caches INSERTs per connection name, not per dialect
    config = database.tortoise_config(url)
    await database.migrate(config)
    await Tortoise.close_connections()
    await database.init(config)
    for code, name_ja, name_en in DEPARTMENTS:
        await Department.get_or_create(code=code, defaults={"name_ja": name_ja, "name_en": name_en})
    await seed_categories()
    return [(c.id, c.department_id) for c in await Category.all().order_by("id")]


def load_sqlite(path: Path, count: int, categories: list[tuple[int, int]]) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    marks = ",".join("?" * len(COLUMNS))
    sql = f"INSERT INTO report ({','.join(COLUMNS)}) VALUES ({marks})"
    for done, chunk in enumerate(rows(count, categories), start=1):
        converted = [
            (*row[:14], _sqlite_time(row[14]), _sqlite_time(row[15]), *row[16:]) for row in chunk
        ]
        connection.executemany(sql, converted)
        connection.commit()
        _progress(done * CHUNK, count)
    connection.execute("ANALYZE")
    connection.commit()
    connection.close()


def _progress(done: int, count: int) -> None:
    print(f"\r  loading {min(done, count):,}/{count:,}", end="", flush=True)


def _sqlite_time(moment: datetime) -> str:
    return moment.isoformat(" ")  # as Tortoise writes it


async def load_postgres(dsn: str, count: int, categories: list[tuple[int, int]]) -> None:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        for done, chunk in enumerate(rows(count, categories), start=1):
            records = [(uuid.UUID(row[0]), *row[1:]) for row in chunk]
            await connection.copy_records_to_table("report", records=records, columns=list(COLUMNS))
            _progress(done * CHUNK, count)
        await connection.execute("VACUUM ANALYZE report")
    finally:
        await connection.close()


@contextlib.asynccontextmanager
async def city(engine: str, count: int) -> AsyncIterator[str]:
    """A database URL holding `count` reports, connected through Tortoise while open."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as folder:
        if engine == "sqlite":
            path = Path(folder) / "city.sqlite3"
            url = f"sqlite://{path}"
            categories = await prepare(url)
            await Tortoise.close_connections()
            load_sqlite(path, count, categories)
            await database.init(database.tortoise_config(url))
            print(
                f"  {engine}: {count:,} reports loaded in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            yield url
            await Tortoise.close_connections()
        else:
            from tests.support.postgres import start_cluster

            cluster = start_cluster()
            try:
                url = cluster.dsn("postgres")
                categories = await prepare(url)
                await load_postgres(url, count, categories)
                print(
                    f"  {engine}: {count:,} reports loaded in {time.perf_counter() - started:.0f} s",
                    flush=True,
                )
                yield url
                await Tortoise.close_connections()
            finally:
                cluster.stop()
