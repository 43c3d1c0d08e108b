"""Every test that touches the database runs on SQLite and on PostgreSQL.

PostgreSQL is a throwaway cluster started for the session when its server binaries are
installed; without them the PostgreSQL half is skipped (and under CI=true, it fails).
Each test gets a fresh database copied from a template migrated once per session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from argon2 import PasswordHasher, profiles
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from core import database, security
from core.settings import Settings, load_settings
from tests.support.databases import empty_database  # noqa: F401 - a fixture for every test
from tests.support.graphql import GraphQL
from tests.support.postgres import Cluster, start_cluster, throwaway_database
from tests.support.redis import RedisServer, start_redis
from tests.support.s3 import S3Server, start_s3

IN_CI = os.environ.get("CI", "").lower() == "true"

# The machine is shared and its load varies: a property test's speed is not what it tests.
hypothesis_settings.register_profile(
    "madoguchi", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("madoguchi")
TEST_SECRET = "test-secret-key-" + "x" * 40

# argon2's cheapest profile: the service's own (RFC 9106, a third of a CPU-second per hash)
# would make every resident a test signs up the suite's largest cost. The service's
# parameters are checked in tests/accounts/test_sign_up_log_in.py.
security.use_password_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))


def pytest_report_header(config) -> str:
    return "databases: SQLite and PostgreSQL (throwaway cluster when its binaries are installed)"


@pytest.fixture(scope="session")
def pg_cluster() -> Cluster | None:
    if os.environ.get("MADOGUCHI_TEST_SKIP_POSTGRES") and not IN_CI:
        yield None
        return
    try:
        cluster = start_cluster(in_memory=True)
    except (FileNotFoundError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        if IN_CI:
            pytest.fail(f"CI=true but PostgreSQL could not start: {detail}", pytrace=False)
        yield None
        return
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def redis_server() -> RedisServer:
    """Started on first use; skipped without `redis-server` (under CI=true, a failure)."""
    try:
        server = start_redis()
    except (FileNotFoundError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        if IN_CI:
            pytest.fail(f"CI=true but Redis could not start: {detail}", pytrace=False)
        pytest.skip(f"Redis is not available: {detail}")
    yield server
    server.stop()


@pytest.fixture
async def redis_url(redis_server) -> str:
    """A Redis database emptied for the test."""
    import redis.asyncio

    url = redis_server.url()
    client = redis.asyncio.from_url(url)
    try:
        await client.flushdb()
    finally:
        await client.aclose()
    return url


@pytest.fixture(scope="session")
def s3_server() -> S3Server:
    """moto's S3 server, started on first use (a missing moto is a failure: it is in [dev])."""
    server = start_s3()
    yield server
    server.stop()


@pytest.fixture
def s3_env(s3_server) -> dict[str, str]:
    """Settings for a fresh bucket of the test's own."""
    return s3_server.env(s3_server.create_bucket())


def forget_other_dialect() -> None:
    """Tortoise caches INSERT statements per connection name, not per dialect."""
    EXECUTOR_CACHE.clear()


async def _migrate_template(url: str) -> None:
    forget_other_dialect()
    await database.migrate(database.tortoise_config(url))
    await Tortoise.close_connections()


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    await _migrate_template(f"sqlite://{path}")
    return path


@pytest.fixture
def cli_env(tmp_path, monkeypatch, sqlite_template) -> Path:
    """The environment of a command run in process, on a copy of the migrated template
    (migrating an empty database costs seconds of CPU every time)."""
    EXECUTOR_CACHE.clear()
    shutil.copyfile(sqlite_template, tmp_path / "cli.sqlite3")
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{tmp_path}/cli.sqlite3")
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    return tmp_path


@pytest.fixture(scope="session")
async def pg_template(pg_cluster) -> str | None:
    if pg_cluster is None:
        return None
    admin = await asyncpg.connect(pg_cluster.dsn())
    await admin.execute("CREATE DATABASE madoguchi_template")
    await admin.close()
    await _migrate_template(pg_cluster.dsn("madoguchi_template"))
    return "madoguchi_template"


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(
    request, tmp_path, sqlite_template, pg_template, pg_cluster
) -> AsyncIterator[str]:
    if request.param == "sqlite":
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(sqlite_template, target)
        yield f"sqlite://{target}"
        return
    if pg_template is None:
        pytest.skip("PostgreSQL server binaries are not installed: ran on SQLite only")
    async with throwaway_database(pg_cluster, "t", pg_template) as url:
        yield url


@pytest.fixture(autouse=True)
def fresh_log_in_throttle() -> None:
    """Log-in failures are counted in process memory: each test starts with none."""
    from accounts import service

    service._failures.reset_memory()


def make_settings(tmp_path: Path, database_url: str, **env: str) -> Settings:
    base = {
        "DATABASE_URL": database_url,
        "VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": TEST_SECRET,
        "NO_DEMO_SEED": "1",
        "NO_MIGRATE_ON_START": "1",  # copied from a migrated template
        "RATE_LIMIT_PER_MINUTE": "100000",
    }
    base.update(env)
    return load_settings(base)


@pytest.fixture
def settings(tmp_path, database_url) -> Settings:
    return make_settings(tmp_path, database_url)


@pytest.fixture
async def app(settings):
    from app import create_app

    forget_other_dialect()
    application = create_app(settings, start_workers=False)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def gql(client) -> GraphQL:
    return GraphQL(client)
