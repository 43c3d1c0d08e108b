from __future__ import annotations

import sys

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


async def test_interpreter__start_up_frozen_and_a_short_switch_interval_while_serving(
    settings, database_url
):
    if not database_url.startswith("sqlite"):
        pytest.skip("the same on both databases: once is enough")
    import gc

    from app import SWITCH_INTERVAL, create_app

    before = sys.getswitchinterval()
    application = create_app(settings, start_workers=False)
    async with application.router.lifespan_context(application):
        services = application.state.services
        assert gc.get_freeze_count() > 0
        assert not any(o is services.executor for o in gc.get_objects()), "walked by full passes"
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL)
        assert SWITCH_INTERVAL < before
    assert gc.get_freeze_count() == 0
    assert any(o is services.executor for o in gc.get_objects())
    assert sys.getswitchinterval() == pytest.approx(before)
