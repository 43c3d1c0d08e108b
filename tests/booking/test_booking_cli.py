"""`madoguchi booking-jobs` and `madoguchi verify-lottery` on the demo city."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from typer.testing import CliRunner

from cli import cli
from core import clock


@pytest.fixture
def env(cli_env):
    return cli_env


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def demo_lottery_id(path) -> str:
    import sqlite3

    with sqlite3.connect(path / "cli.sqlite3") as connection:
        (public_id,) = connection.execute("SELECT public_id FROM booking_lottery_slot").fetchone()
    return str(public_id)


def test_booking_jobs_and_verify_lottery(env):
    assert run("seed-demo").exit_code == 0
    lottery_id = demo_lottery_id(env)

    before = run("verify-lottery", lottery_id)
    with time_machine.travel(clock.now() + timedelta(days=15), tick=True):
        jobs = run("booking-jobs")
    after = run("verify-lottery", lottery_id)
    unknown = run("verify-lottery", "00000000-0000-0000-0000-000000000000")

    assert before.exit_code == 0 and "not drawn yet" in before.output
    assert jobs.exit_code == 0 and "lotteries drawn: 1" in jobs.output, jobs.output
    assert after.exit_code == 0, after.output
    assert (
        "seed matches its hash: yes" in after.output
        and "order re-drawn:        same" in after.output
    )
    assert re.search(r"seed \(revealed\):\s+[0-9a-f]{64}", after.output)
    assert unknown.exit_code == 1
