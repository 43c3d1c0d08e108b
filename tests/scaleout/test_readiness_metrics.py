"""/readyz (database, migrations, Redis, storage), /metrics in Prometheus format, JSON log lines
with the request id."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from tortoise import connections

from core.observability import logging_config, request_id_var
from tests.conftest import forget_other_dialect, make_settings
from tests.support.metrics import samples, value
from tests.support.redis import start_redis


async def ready(client) -> tuple[int, dict]:
    response = await client.get("/readyz")
    return response.status_code, response.json()


# --- /healthz and /readyz ------------------------------------------------------------------------


async def test_readyz__every_check_passes(client):
    status, body = await ready(client)
    assert status == 200
    assert body == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "storage": "ok"},
    }


async def test_readyz__a_migration_missing__not_ready(client):
    connection = connections.get("default")
    await connection.execute_query(
        "DELETE FROM tortoise_migrations WHERE app = 'reports' AND name = '0001_initial'"
    )
    status, body = await ready(client)
    assert status == 503 and body["checks"]["migrations"] == "failed"
    assert body["checks"]["database"] == "ok"
    assert (await client.get("/healthz")).status_code == 200  # alive, only not ready


async def test_readyz__with_redis_and_bucket__each_checked(tmp_path, database_url, s3_env):
    from app import create_app
    from tests.support.server import serving

    server = start_redis()
    try:
        settings = make_settings(tmp_path, database_url, REDIS_URL=server.url(), **s3_env)
        forget_other_dialect()
        import httpx

        async with (
            serving(create_app(settings, start_workers=False)) as base_url,
            httpx.AsyncClient(base_url=base_url) as http,
        ):
            up_status, up = await ready(http)
            server.stop()
            down_status, down = await ready(http)
    finally:
        server.stop()
    assert up_status == 200 and up["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "storage": "ok",
        "redis": "ok",
    }
    assert down_status == 503 and down["checks"]["redis"] == "failed"
    assert down["checks"]["storage"] == "ok"


async def test_readyz__bucket_missing__storage_not_ready(tmp_path, database_url, s3_server):
    from app import create_app

    settings = make_settings(tmp_path, database_url, **s3_server.env("no-such-bucket"))
    forget_other_dialect()
    application = create_app(settings, start_workers=False)
    import httpx

    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            status, body = await ready(http)
    assert status == 503 and body["checks"]["storage"] == "failed"


# --- /metrics ------------------------------------------------------------------------------------


async def test_metrics__requests_by_route_and_operation_errors_by_code_queues(client):
    before = (await client.get("/metrics")).text
    query = {"query": "query Hazards { hazards { hazard label } }", "operationName": "Hazards"}
    unnamed = {"query": "query NearestAeds { __typename }"}
    for _ in range(3):
        assert (await client.post("/graphql", json=query)).status_code == 200
    await client.post("/graphql", json=unnamed)
    await client.post("/graphql", json={"query": "{ noSuchField }"})
    await client.get("/media/reports/" + "a" * 32 + ".jpg")

    response = await client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    after = response.text
    requests_before = samples(before, "madoguchi_http_requests_total")
    requests_after = samples(after, "madoguchi_http_requests_total")

    def delta(**labels: str) -> float:
        return value(requests_after, **labels) - value(requests_before, **labels)

    assert delta(route="/graphql", operation="Hazards", status="200", method="POST") == 3
    assert delta(route="/graphql", operation="NearestAeds") == 1
    assert delta(route="/media/reports/{key:str}", status="404") == 1
    latency = samples(after, "madoguchi_http_request_duration_seconds_count")
    assert value(latency, route="/graphql", operation="Hazards") >= 3
    errors = samples(after, "madoguchi_errors_total")
    assert (
        value(errors, code="BAD_QUERY")
        - value(samples(before, "madoguchi_errors_total"), code="BAD_QUERY")
        == 1
    )
    assert value(samples(after, "madoguchi_queue_depth"), queue="outbox") == 0
    assert ("queue", "outbox") in dict.fromkeys(
        key[0] for key in samples(after, "madoguchi_queue_oldest_age_seconds")
    )


async def test_metrics__outbox_and_broadcast_depth_and_age_follow_the_ledger(client, database_url):
    from datetime import timedelta

    from accounts.models import Resident
    from core import clock
    from notifications.models import Channel, Delivery, Lane, Notification

    resident = await Resident.create(display_name="住民", language="ja", telegram_chat_id=42)
    waiting = [(Lane.STATUS, 10), (Lane.STATUS, 1), (Lane.ALERT, 3)]
    for lane, minutes in waiting:
        notification = await Notification.create(resident=resident, kind="k", message_key="m")
        await Delivery.create(
            notification=notification,
            resident_id=resident.id,
            channel=Channel.TELEGRAM,
            address="42",
            lane=lane,
            next_attempt_at=clock.now() - timedelta(minutes=minutes),
        )
    await Notification.create(resident=resident, kind="k", message_key="m", fanout_pending=True)

    text = (await client.get("/metrics")).text

    depth = samples(text, "madoguchi_queue_depth")
    age = samples(text, "madoguchi_queue_oldest_age_seconds")
    assert value(depth, queue="outbox") == 2 and 600 <= value(age, queue="outbox") < 900
    assert value(depth, queue="broadcast") == 2  # one row, one message still to fan out
    assert 180 <= value(age, queue="broadcast") < 480


async def test_metrics__operation_names_bounded(client):
    from api.observability import operation_label

    assert operation_label("x" * 65) == "other"
    assert operation_label("Drop Table") == "other"
    assert operation_label(None, "# comment\nmutation SignUp { x }") == "SignUp"
    assert operation_label(None, "{ me { id } }") == "-"


async def test_metrics__db_pool_on_postgresql(client, database_url):
    text = (await client.get("/metrics")).text
    pool = samples(text, "madoguchi_db_pool_connections")
    if database_url.startswith("sqlite"):
        assert pool == {} or value(pool, state="open") >= 0
    else:
        assert value(pool, state="open") >= 1


# --- logs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_log_lines__carry_the_request_id(log_format):
    config = logging_config(log_format)
    stream = io.StringIO()
    config["handlers"]["default"]["stream"] = stream
    config["loggers"] = {"madoguchi.test": {"handlers": ["default"], "propagate": False}}
    config["root"] = {"handlers": [], "level": "WARNING"}
    logging.config.dictConfig(config)
    logger = logging.getLogger("madoguchi.test")
    logger.setLevel(logging.INFO)
    try:
        token = request_id_var.set("abc123def456")
        logger.info("inside %s", "a request")
        request_id_var.reset(token)
        logger.warning("outside — 窓口")
    finally:
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
    lines = stream.getvalue().splitlines()
    if log_format == "json":
        inside, outside = (json.loads(line) for line in lines)
        assert inside["request_id"] == "abc123def456" and inside["message"] == "inside a request"
        assert inside["level"] == "INFO" and inside["logger"] == "madoguchi.test"
        assert outside["request_id"] == "-" and outside["message"] == "outside — 窓口"
    else:
        assert "[abc123def456]: inside a request" in lines[0]
        assert "[-]: outside — 窓口" in lines[1]


def test_settings__log_format_and_redis_url_checked(tmp_path):
    from core.settings import SettingsError, load_settings

    for env, named in [
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"REDIS_URL": "http://cache:6379"}, "REDIS_URL"),
        ({"SHUTDOWN_GRACE_SECONDS": "0"}, "SHUTDOWN_GRACE_SECONDS"),
        ({"SHUTDOWN_GRACE_SECONDS": "³⁰"}, "SHUTDOWN_GRACE_SECONDS"),
        ({"METRICS": "perhaps"}, "METRICS"),
        ({"RUN_WORKERS": "sometimes"}, "RUN_WORKERS"),
        ({"BACKGROUND_GIVE_WAY": "-1"}, "BACKGROUND_GIVE_WAY"),
        ({"BACKGROUND_GIVE_WAY": "10.5"}, "BACKGROUND_GIVE_WAY"),
        ({"BACKGROUND_GIVE_WAY": "nan"}, "BACKGROUND_GIVE_WAY"),
        ({"BACKGROUND_GIVE_WAY": "half\nof it"}, "BACKGROUND_GIVE_WAY"),
        ({"WORKER_NICE": "20"}, "WORKER_NICE"),
        ({"WORKER_NICE": "-5"}, "WORKER_NICE"),
        ({"WORKER_NICE": "²"}, "WORKER_NICE"),
        ({"WORKER_NICE": "low"}, "WORKER_NICE"),
    ]:
        with pytest.raises(SettingsError) as raised:
            load_settings({"VAR_DIR": str(tmp_path), **env})
        assert str(raised.value).startswith(named) and "\n" not in str(raised.value)
