"""SQLite queries (aiosqlite's thread) while the event loop is busy, at Python's default switch
interval (5 ms) and at the app's (app.SWITCH_INTERVAL).

aiosqlite runs each query on a thread of its own, which takes the interpreter lock back
after every step of the query (a row read, a row bound). While the event loop is busy with
Python work (requests) that thread waits for the lock up to the switch interval each time.
Four tasks keep the loop busy, each `--slice-ms` of pure-Python work between awaits, as
requests do; each query kind runs `--runs` times idle, then with the loop busy, on the loop
the server uses (uvloop when installed).

    python bench/sqlite_busy_loop.py [--runs 20] [--slice-ms 0.3] [--busy-tasks 4]

Prints median, p99 and the worst time per query kind, and the busy median ÷ the idle median
of the same interval and process.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiosqlite

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import SWITCH_INTERVAL

ROWS = 500
Query = Callable[[aiosqlite.Connection], Awaitable[object]]
QUERIES: dict[str, Query] = {
    "one row": lambda db: db.execute_fetchall("SELECT 1"),
    f"{ROWS} rows read": lambda db: db.execute_fetchall("SELECT * FROM t LIMIT 500"),
    f"{ROWS} rows written, executemany": lambda db: db.executemany(
        "INSERT INTO t (a, b) VALUES (?, ?)", [("y", n) for n in range(ROWS)]
    ),
    f"{ROWS} rows written, one statement": lambda db: db.execute(
        "INSERT INTO t (a, b) SELECT a, b FROM t LIMIT 500"
    ),
}


def busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


async def keep_busy(stop: asyncio.Event, slice_seconds: float) -> None:
    while not stop.is_set():
        busy(slice_seconds)
        await asyncio.sleep(0)


async def timings(db: aiosqlite.Connection, query: Query, runs: int) -> list[float]:
    taken = []
    for _ in range(runs):
        started = time.perf_counter()
        await query(db)
        taken.append(time.perf_counter() - started)
    await db.execute("DELETE FROM t WHERE id > ?", (ROWS,))
    await db.commit()
    return sorted(taken)


async def measure(path: Path, args: argparse.Namespace) -> dict[tuple[str, bool], list[float]]:
    results = {}
    async with aiosqlite.connect(path) as db:
        for name, query in QUERIES.items():
            results[name, False] = await timings(db, query, args.runs)
            stop = asyncio.Event()
            slice_seconds = args.slice_ms / 1000
            tasks = [
                asyncio.create_task(keep_busy(stop, slice_seconds)) for _ in range(args.busy_tasks)
            ]
            await asyncio.sleep(0.1)
            results[name, True] = await timings(db, query, args.runs)
            stop.set()
            await asyncio.gather(*tasks)
    return results


async def prepare(path: Path) -> None:
    async with aiosqlite.connect(path) as db:
        await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)")
        await db.executemany(
            "INSERT INTO t (a, b) VALUES (?, ?)", [("x" * 20, n) for n in range(ROWS)]
        )
        await db.commit()


def run(coroutine) -> object:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def report(interval: float, results: dict[tuple[str, bool], list[float]]) -> None:
    print(f"\nswitch interval {interval * 1000:g} ms")
    print("| query | loop | median ms | p99 ms | worst ms | busy median ÷ idle median |")
    print("|---|---|---:|---:|---:|---:|")
    for name in QUERIES:
        idle_median = statistics.median(results[name, False])
        for busy_loop in (False, True):
            taken = results[name, busy_loop]
            median = statistics.median(taken)
            p99 = taken[min(len(taken) - 1, int(len(taken) * 0.99))]
            ratio = f"{median / idle_median:.1f}" if busy_loop else "1.0"
            print(
                f"| {name} | {'busy' if busy_loop else 'idle'} | {median * 1000:.2f} | "
                f"{p99 * 1000:.2f} | {taken[-1] * 1000:.2f} | {ratio} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--slice-ms", type=float, default=0.3)
    parser.add_argument("--busy-tasks", type=int, default=4)
    args = parser.parse_args()
    default = sys.getswitchinterval()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "busy.sqlite3"
        run(prepare(path))
        print(
            f"{args.busy_tasks} tasks keep the loop busy in slices of {args.slice_ms} ms; "
            f"{args.runs} runs of each query"
        )
        for interval in (default, SWITCH_INTERVAL):
            sys.setswitchinterval(interval)
            report(interval, run(measure(path, args)))
        sys.setswitchinterval(default)


if __name__ == "__main__":
    main()
