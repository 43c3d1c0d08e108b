"""`madoguchi serve` as an operator runs it: --workers (PostgreSQL only), graceful shutdown,
migrations when instances start together."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys

import asyncpg
import httpx
import pytest
import websockets
from prometheus_client.parser import text_string_to_metric_families
from typer.testing import CliRunner

from core import database
from tests.conftest import TEST_SECRET
from tests.support.instances import ROOT, Instance, instance_env, postgres_only

SUBSCRIBE = "subscription { reportChanged { id } }"


def test_serve__workers_on_sqlite__refused_with_one_line(tmp_path, monkeypatch):
    from cli import cli

    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert result.output.strip().startswith("--workers needs PostgreSQL")
    assert result.output.strip().count("\n") == 0


def test_serve__workers_out_of_range__refused(tmp_path, monkeypatch):
    from cli import cli

    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    assert CliRunner().invoke(cli, ["serve", "--workers", "0"]).exit_code == 2


async def test_serve__sigterm__finishes_the_request_in_flight_closes_sockets_with_1012(tmp_path):
    instance = Instance(
        instance_env(tmp_path, f"sqlite://{tmp_path / 'db.sqlite3'}"), tmp_path / "serve.log"
    )
    await instance.start()
    try:
        ws = await websockets.connect(instance.ws_url, subprotocols=["graphql-transport-ws"])
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        body = json.dumps({"query": "{ hazards { hazard } }"}).encode()
        halfway = asyncio.Event()

        async def slowly():
            yield body[:10]
            halfway.set()
            await asyncio.sleep(1.5)  # SIGTERM arrives meanwhile
            yield body[10:]

        async with httpx.AsyncClient(timeout=30) as http:
            request = asyncio.create_task(
                http.post(
                    f"{instance.url}/graphql",
                    content=slowly(),
                    headers={"content-type": "application/json", "content-length": str(len(body))},
                )
            )
            await halfway.wait()
            await asyncio.sleep(0.2)
            instance.signal(signal.SIGTERM)
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 10)
            response = await request
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
        assert response.status_code == 200
        assert len(response.json()["data"]["hazards"]) == 8
        # uvicorn finishes its shutdown, then ends by the signal it caught, as a process should
        assert await instance.exit_code() in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in instance.log()
        with pytest.raises(httpx.ConnectError):
            await httpx.AsyncClient().get(f"{instance.url}/healthz")
    finally:
        instance.stop()


async def test_serve__two_workers_on_postgresql__both_serve_one_metrics_sum(tmp_path, database_url):
    postgres_only(database_url)
    instance = Instance(
        instance_env(tmp_path, database_url), tmp_path / "serve.log", "--workers", "2"
    )
    await instance.start()
    try:
        # Ready once one worker answers; the other may still be starting on a busy machine.
        await instance.wait_for_log("Started server process", times=2)
        query = {"query": "query Hazards { hazards { hazard } }", "operationName": "Hazards"}
        async with httpx.AsyncClient() as first, httpx.AsyncClient() as second:
            answers = await asyncio.gather(
                *(
                    client.post(f"{instance.url}/graphql", json=query)
                    for _ in range(15)
                    for client in (first, second)
                )
            )
        assert all(answer.status_code == 200 for answer in answers)
        for _ in range(4):  # every scrape, whichever process answers it, adds up all of them
            async with httpx.AsyncClient() as scraper:
                text = (await scraper.get(f"{instance.url}/metrics")).text
            counted = sum(
                sample.value
                for family in text_string_to_metric_families(text)
                for sample in family.samples
                if sample.name == "madoguchi_http_requests_total"
                and sample.labels.get("operation") == "Hazards"
            )
            assert counted == 30
        workers = [line for line in instance.log().splitlines() if "Started server process" in line]
        assert len(workers) == 2
    finally:
        instance.stop()


async def test_migrate__two_at_once__one_applies_the_other_waits(
    tmp_path, database_url, pg_cluster
):
    postgres_only(database_url)
    name = f"fresh_{tmp_path.name[-8:].lower().replace('-', '_')}"
    admin = await asyncpg.connect(pg_cluster.dsn())
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = pg_cluster.dsn(name)
    holder = await asyncpg.connect(url)
    try:
        await holder.execute("SELECT pg_advisory_lock($1)", database._lock_key("migrate"))
        env = {"DATABASE_URL": url, "VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": TEST_SECRET}
        commands = [
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "cli", "migrate",
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            for _ in range(2)
        ]  # fmt: skip
        await asyncio.sleep(4)
        waiting = [command.returncode is None for command in commands]
        tables_while_waiting = await holder.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        )
        await holder.execute("SELECT pg_advisory_unlock($1)", database._lock_key("migrate"))
        outputs = [
            (await asyncio.wait_for(command.communicate(), timeout=120))[0].decode()[-2000:]
            for command in commands
        ]
        applied = await holder.fetch("SELECT app, name FROM tortoise_migrations")
    finally:
        await holder.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    assert waiting == [True, True] and tables_while_waiting == 0, outputs
    assert [command.returncode for command in commands] == [0, 0], outputs
    keys = [(row["app"], row["name"]) for row in applied]
    assert len(keys) == len(set(keys)) == len(database._expected_migrations())
