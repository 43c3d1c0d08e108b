"""A database with nothing in it, not even the template's migrations: for the tests that
migrate it step by step themselves (upgrades of a database that already holds rows)."""

from __future__ import annotations

import pytest

from tests.support.postgres import throwaway_database


@pytest.fixture(params=["sqlite", "postgres"])
async def empty_database(request, tmp_path, pg_cluster):
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'old.sqlite3'}"
        return
    if pg_cluster is None:
        pytest.skip("PostgreSQL server binaries are not installed: ran on SQLite only")
    async with throwaway_database(pg_cluster, "e") as url:
        yield url
