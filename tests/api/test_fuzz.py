"""Fuzzing with Schemathesis: the GraphQL schema as anonymous, resident and staff, and the
plain HTTP routes as /openapi.json describes them. Bounded (a few examples per operation and
a time budget per run); fails on any 5xx or any error that is not coded and expected
(tests/support/fuzz_checks.py)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import httpx
import pytest

from accounts.models import Role
from tests.conftest import forget_other_dialect
from tests.reports.world import World
from tests.support.graphql import GraphQL
from tests.support.server import serving

ROOT = Path(__file__).resolve().parent.parent.parent
SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
BUDGET = ["--max-examples", "6", "--max-time", "6", "--workers", "1", "--seed", "20261130"]

pytestmark = pytest.mark.slow


@pytest.fixture
async def served(settings):
    from app import create_app

    forget_other_dialect()
    app = create_app(settings, start_workers=False)
    async with serving(app) as base_url, httpx.AsyncClient(base_url=base_url) as http:
        city = World(http, GraphQL(http), settings)
        await city.seed()
        resident = await city.resident()
        staff = await city.staff(role=Role.ADMIN)
        await city.submitted(resident)
        yield base_url, {"resident": resident.token, "staff": staff.token}


async def fuzz(target: str, *options: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        SCHEMATHESIS,
        "run",
        target,
        *BUDGET,
        *options,
        cwd=ROOT,
        env={**os.environ, "SCHEMATHESIS_HOOKS": "tests.support.fuzz_checks", "NO_COLOR": "1"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode(errors="replace")


# Each caller on one database (staff, who reach the most fields, on both): a fuzz run costs
# a schemathesis process and a seeded city, and the error paths do not depend on the engine.
@pytest.mark.parametrize(
    ("caller", "database_url"),
    [
        ("anonymous", "sqlite"),
        ("resident", "postgres"),
        ("staff", "sqlite"),
        ("staff", "postgres"),
    ],
    indirect=["database_url"],
)
async def test_fuzz_graphql__every_error_coded(served, caller):
    base_url, tokens = served
    auth = ["--header", f"Authorization: Bearer {tokens[caller]}"] if caller in tokens else []

    code, output = await fuzz(f"{base_url}/graphql", "--checks", "coded_answer", *auth)

    assert code == 0 and "Tested:" in output, output[-6000:]


async def test_fuzz_plain_http__openapi_routes(served):
    base_url, _ = served

    code, output = await fuzz(
        f"{base_url}/openapi.json", "--checks", "coded_answer,not_a_server_error"
    )

    assert code == 0 and "Tested:" in output, output[-6000:]
