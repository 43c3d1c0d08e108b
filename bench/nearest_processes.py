"""nearestShelters over HTTP from one process and from two (`madoguchi serve --workers 2`), in one run.

    python bench/nearest_processes.py [--duration 8] [--connections 16] [--rounds 3]

The nationwide GSI data is imported into a throwaway PostgreSQL (several processes never share
a SQLite file) through the import service (bench/nearest_data.py). Both servers run at once,
each `madoguchi serve` (the whole app, workers included, every security extension on); `wrk`
sends POSTs for points near real sites to each in turn, round after round. Prints requests per
second (median over rounds), latency, and the two-process server's ratio to the one-process one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import asyncpg
from nearest_data import DATA_DIR
from nearest_http import (
    FILTERS,
    POINTS,
    SECRET,
    _ms,
    free_port,
    lua_script,
    query_points,
    wait_until_up,
)

from tests.support.postgres import start_cluster

PROCESSES = (1, 2)


async def prepared_database(cluster, data_dir: Path) -> str:
    from nearest_data import prepare
    from tortoise import Tortoise

    admin = await asyncpg.connect(cluster.dsn())
    await admin.execute("CREATE DATABASE nearest")
    await admin.close()
    url = cluster.dsn("nearest")
    await prepare(url, data_dir)
    await Tortoise.close_connections()
    return url


def run_wrk(url: str, script: Path, duration: int, connections: int) -> dict[str, float]:
    """wrk's figures; a request slower than 10 s counts as a timeout (reported, not fatal:
    the machine is shared), an answer other than 2xx is fatal."""
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency"]
        + ["-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"failed requests:\n{output}")
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {q: _ms(re.search(rf"\s{q}%\s+([\d.]+\w+)", output).group(1)) for q in ("50", "99")}
    failed = sum(int(n) for n in errors.groups()) if errors else 0
    return {"rps": rps, "p50": latency["50"], "p99": latency["99"], "failed": failed}


def start(processes: int, url: str, workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "VAR_DIR": str(workdir / f"var-{processes}"),
        "SECRET_KEY": SECRET,
        "NO_DEMO_SEED": "1",
        "RATE_LIMIT_PER_MINUTE": "1000000",
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    log = (workdir / f"serve-{processes}.log").open("ab")
    command = [sys.executable, "-m", "cli", "serve", "--workers", str(processes)]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=log), (
        f"http://127.0.0.1:{port}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="the shared open data")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="bench-nearest-processes-"))
    cluster = start_cluster()
    servers = {}
    try:
        url = asyncio.run(prepared_database(cluster, args.data_dir))
        points = query_points(POINTS, args.seed, args.data_dir)
        scripts = {
            label: lua_script("madoguchi", hazard, points, workdir)
            for label, hazard in FILTERS.items()
        }
        for processes in PROCESSES:
            servers[processes] = start(processes, url, workdir)
        for process, base in servers.values():
            asyncio.run(wait_until_up(base, process, seconds=600))
        results: dict = {(n, label): [] for n in PROCESSES for label in FILTERS}
        for _ in range(args.rounds):
            for label in FILTERS:
                for processes, (_, base) in servers.items():
                    run_wrk(base, scripts[label], 2, args.connections)  # warm up
                    results[processes, label].append(
                        run_wrk(base, scripts[label], args.duration, args.connections)
                    )
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=60)
        cluster.stop()  # type: ignore[attr-defined]
    print(
        f"\n{date.today()}: {args.rounds} rounds x {args.duration} s per server and filter, "
        f"wrk -t1 -c{args.connections}, {POINTS} points near real sites, PostgreSQL, "
        f"{os.cpu_count()} cores"
    )
    print(
        f"{'filter':10} {'processes':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'÷ 1 proc':>9}"
        f" {'errors':>7}"
    )
    for label in FILTERS:
        one = statistics.median(r["rps"] for r in results[1, label])
        for processes in PROCESSES:
            runs = results[processes, label]
            rps = statistics.median(r["rps"] for r in runs)
            p50 = statistics.median(r["p50"] for r in runs)
            p99 = statistics.median(r["p99"] for r in runs)
            failed = sum(r["failed"] for r in runs)
            print(
                f"{label:10} {processes:9} {rps:8.0f} {p50:8.2f} {p99:8.2f} {rps / one:9.2f} {failed:7}"
            )


if __name__ == "__main__":
    main()
