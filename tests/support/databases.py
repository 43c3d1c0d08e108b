"""A database with nothing in it, not even the template's migrations: for the tests that
migrate it step by step themselves (upgrades of a database that already holds rows)."""

from __future__ import annotations

import uuid

import asyncpg
import pytest


@pytest.fixture(params=["sqlite", "postgres"])
async def empty_database(request, tmp_path, pg_cluster):
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'old.sqlite3'}"
        return
    if pg_cluster is None:
        pytest.skip("PostgreSQL server binaries are not installed: ran on SQLite only")
    name = f"e_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_cluster.dsn())
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_cluster.dsn(name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
