from __future__ import annotations

import asyncpg
import pytest


async def test_healthz__200_with_the_database(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_healthz__503_when_the_database_is_gone(client, database_url, pg_cluster):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite is a file in the process: only a server can go away underneath")
    name = database_url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(pg_cluster.dsn())
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
        down = await client.get("/healthz")
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        back = await client.get("/healthz")
    finally:
        await admin.close()
    assert down.status_code == 503
    assert back.status_code == 200
