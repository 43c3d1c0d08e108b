"""The nationwide GSI data through the real import service, timed; then what one app process
holds for it (the snapshot the queries are answered from), timed and weighed.

    python bench/nearest_data.py [--workdir /tmp/madoguchi-bench]
                                 [--database-url postgres://... | --postgres-cluster]

Prints: seconds to import each nationwide file into an empty database and to import it again
(nothing changes), rows stored, seconds to build the snapshots from the database and the
resident memory they add to the process. Other benches call `prepare(url)` to get a database
with the data (imported once, reused afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tortoise import Tortoise

from core import database
from geo.importing import import_file
from geo.models import Shelter, ShelterSource
from geo.snapshot import ShelterSnapshot

FILES = ("gsi_shitei_kinkyu_hinanbasho_nationwide.csv", "gsi_shitei_hinanjo_nationwide.csv")
# The shared open data beside the checkout; MADOGUCHI_OPEN_DATA names it elsewhere (as in tests).
DATA_DIR = Path(os.environ.get("MADOGUCHI_OPEN_DATA", REPO.parent / "shared" / "data"))
SOURCE_ROWS = 115_402 + 82_557


def sqlite_url(workdir: Path) -> str:
    return f"sqlite://{workdir / 'nationwide.sqlite3'}"


async def connect(url: str) -> None:
    config = database.tortoise_config(url)
    await database.migrate(config)
    await Tortoise.close_connections()
    await database.init(config)


async def prepare(url: str, data_dir: Path = DATA_DIR, *, report=print) -> None:
    """Import the nationwide files unless the database already holds them (connection left open)."""
    await connect(url)
    if await ShelterSource.all().count() == SOURCE_ROWS:
        return
    for name in FILES:
        started = time.perf_counter()
        summary = await import_file(data_dir / name)
        report(
            f"import {name}: {summary.inserted:,} inserted, {summary.updated:,} updated "
            f"in {time.perf_counter() - started:.1f} s"
        )


async def measure(url: str, data_dir: Path) -> None:
    await connect(url)
    await Shelter.all().delete()  # rows cascade
    await prepare(url, data_dir)
    for name in FILES:
        started = time.perf_counter()
        summary = await import_file(data_dir / name)
        print(
            f"import {name} again: {summary.unchanged:,} unchanged, {summary.inserted} inserted "
            f"in {time.perf_counter() - started:.1f} s"
        )
    print(
        f"stored: {await ShelterSource.all().count():,} published rows as "
        f"{await Shelter.all().count():,} places"
    )
    await Tortoise.close_connections()


async def weigh_snapshot(url: str) -> None:
    """In a process that has done nothing else, so the memory it adds shows in its RSS."""
    await connect(url)
    gc.collect()
    before = psutil.Process().memory_info().rss
    started = time.perf_counter()
    snapshot = await ShelterSnapshot.load()
    elapsed = time.perf_counter() - started
    gc.collect()
    added = psutil.Process().memory_info().rss - before
    print(
        f"snapshot: {len(snapshot):,} places loaded in {elapsed:.1f} s; arrays, texts and trees "
        f"{snapshot.nbytes / 1e6:.1f} MB; process RSS +{added / 1e6:.1f} MB"
    )
    await Tortoise.close_connections()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/madoguchi-bench"))
    parser.add_argument("--database-url", help="default: a SQLite file in the workdir")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument(
        "--postgres-cluster", action="store_true", help="use a throwaway local PostgreSQL"
    )
    parser.add_argument("--snapshot-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.snapshot_only:
        asyncio.run(weigh_snapshot(args.database_url or sqlite_url(args.workdir)))
        return
    cluster = None
    if args.postgres_cluster:
        from tests.support.postgres import start_cluster

        cluster = start_cluster()
        args.database_url = cluster.dsn()
    try:
        url = args.database_url or sqlite_url(args.workdir)
        print(f"database: {url.split('@')[-1]}")
        asyncio.run(measure(url, args.data_dir))
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--snapshot-only",
                "--workdir",
                str(args.workdir),
                *(["--database-url", args.database_url] if args.database_url else []),
            ],
            check=True,
        )
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
