from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest

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

MORNING = FixedPeriod(Label("午前", "Morning"), time(9), time(12))
AFTERNOON = FixedPeriod(Label("午後", "Afternoon"), time(13), time(17))
EVENING = FixedPeriod(Label("夜間", "Evening"), time(18), time(21))
MONDAY = 0


@pytest.fixture
def gym_rules() -> SpaceRules:
    """午前 / 午後 / 夜間, open 9:00-21:00 except Mondays, 2 months ahead until the day before."""
    return SpaceRules(
        hours=OpeningHours.same_every_day(Period(time(9), time(21)), closed_weekdays=(MONDAY,)),
        grid=FixedGrid((MORNING, AFTERNOON, EVENING)),
        window=AdvanceWindow(opens_months=2, closes_days=1),
    )


@pytest.fixture
def room_rules() -> SpaceRules:
    """A meeting room by the half hour, 1 to 3 hours, open 9:00-12:00 and 13:00-21:00."""
    return SpaceRules(
        hours=OpeningHours.same_every_day(Period(time(9), time(12)), Period(time(13), time(21))),
        grid=IntervalGrid(step_minutes=30, min_minutes=60, max_minutes=180),
        window=AdvanceWindow(opens_months=1, closes_days=0),
    )


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A PostgreSQL server: MADOGUCHI_TEST_POSTGRES_DSN, or a throwaway local cluster."""
    configured = os.environ.get("MADOGUCHI_TEST_POSTGRES_DSN")
    if configured:
        yield configured
        return
    bin_dir = Path(os.environ.get("MADOGUCHI_PG_BIN", "/usr/lib/postgresql/15/bin"))
    if not (bin_dir / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries in {bin_dir}")
    with throwaway_cluster(bin_dir) as dsn:
        yield dsn


FAKE_ACCOUNTS_MODULE = "tests_booking_fake_accounts"


@pytest.fixture(scope="session")
def fake_accounts_module() -> str:
    """Module path of the stand-in accounts models, importable by Tortoise."""
    if FAKE_ACCOUNTS_MODULE not in sys.modules:
        path = Path(__file__).with_name("fake_accounts.py")
        spec = importlib.util.spec_from_file_location(FAKE_ACCOUNTS_MODULE, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[FAKE_ACCOUNTS_MODULE] = module
        spec.loader.exec_module(module)
    return FAKE_ACCOUNTS_MODULE


@contextlib.contextmanager
def throwaway_cluster(bin_dir: Path) -> Iterator[str]:
    """initdb + pg_ctl in a temporary directory, on a free local port; removed afterwards.

    The server refuses to run as root, so as root it runs as the `postgres` user.
    """
    base = Path(tempfile.mkdtemp(prefix="booking-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = base / "data", _free_port()
    server_options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"

    def run(*command: str) -> None:
        subprocess.run([*run_as, *command], check=True, capture_output=True, timeout=60)

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        run(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            server_options,
            "-l",
            str(base / "log"),
            "-w",
            "start",
        )
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"could not start a throwaway PostgreSQL: {error}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
