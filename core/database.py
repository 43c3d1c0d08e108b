"""Database configuration: Tortoise apps, their migrations, SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.migrations.api import migrate as tortoise_migrate
from tortoise.migrations.loader import MigrationLoader
from tortoise.migrations.recorder import MigrationRecorder

from core.observability import DB_POOL

log = logging.getLogger(__name__)

# One Tortoise app per domain (or sub-package), with its migrations package beside its models.
# Order matters only for readability; Tortoise resolves cross-app references.
APPS: dict[str, str] = {
    "core": "core.models",
    "accounts": "accounts.models",
    "notifications": "notifications.models",
    "payments": "payments.models",
    "booking": "booking.models",
    "geo": "geo.models",
    "reports": "reports.models",
    "applications": "applications.models",
    "alerts": "notifications.alerts.models",
    "disaster": "disaster.models",
}


def _connection(url: str, pool_min: int, pool_max: int) -> dict[str, Any] | str:
    if url.startswith("sqlite"):
        path = url.split("://", 1)[1]
        return {
            "engine": "tortoise.backends.sqlite",
            "credentials": {
                "file_path": path,
                "journal_mode": "WAL",
                "busy_timeout": 10_000,
                "synchronous": "NORMAL",
            },
        }
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}minsize={pool_min}&maxsize={pool_max}"


def tortoise_config(url: str, pool_min: int = 1, pool_max: int = 10) -> dict[str, Any]:
    return {
        "connections": {"default": _connection(url, pool_min, pool_max)},
        "apps": {
            label: {
                "models": [module],
                "default_connection": "default",
                "migrations": module.rsplit(".", 1)[0] + ".migrations",
            }
            for label, module in APPS.items()
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# For `python -m tortoise -c core.database.MIGRATIONS_CONFIG makemigrations`.
MIGRATIONS_CONFIG = tortoise_config("sqlite://:memory:")


def _prepare_sqlite_directory(url: str) -> None:
    if url.startswith("sqlite"):
        path = url.split("://", 1)[1]
        if path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)


async def migrate(config: dict[str, Any]) -> None:
    """Apply every pending migration (safe to run at each start, by several instances at once:
    on PostgreSQL one applies them while the others wait, then finds nothing to do)."""
    db = config["connections"]["default"]
    if isinstance(db, dict):
        _prepare_sqlite_directory("sqlite://" + db["credentials"]["file_path"])
    async with exclusive(config, "migrate"):
        await tortoise_migrate(config=config)


def _lock_key(name: str) -> int:
    """A stable 63-bit key for pg_advisory_lock, the same in every process and version."""
    digest = hashlib.sha256(f"madoguchi:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


@contextlib.asynccontextmanager
async def exclusive(config: dict[str, Any], name: str) -> AsyncIterator[None]:
    """One instance at a time inside (a PostgreSQL session-level advisory lock, on a connection
    of its own; released when the block ends, or by the server if the process dies).
    On SQLite, where one process serves, nothing to exclude."""
    db = config["connections"]["default"]
    if isinstance(db, dict):
        yield
        return
    connection = await asyncpg.connect(**direct_connect_kwargs(db))
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", _lock_key(name))
        yield
    finally:
        await connection.close()  # ends the session, and with it the lock


def direct_connect_kwargs(url: str) -> dict[str, Any]:
    """asyncpg.connect's arguments for a PostgreSQL URL: a connection outside the pool, for
    what must hold one session (advisory locks, LISTEN)."""
    credentials = expand_db_url(url)["credentials"]
    kwargs = {
        name: credentials.get(name) for name in ("host", "port", "user", "password", "database")
    }
    if credentials.get("ssl"):
        kwargs["ssl"] = credentials["ssl"]
    return kwargs


@functools.cache
def _expected_migrations() -> frozenset[tuple[str, str]]:
    # Only the files on disk are read (load_disk): the recorder, for what is applied, is unused.
    loader = MigrationLoader(tortoise_config("sqlite://:memory:")["apps"], MigrationRecorder(None))
    loader.load_disk()
    return frozenset((key.app_label, key.name) for key in loader.disk_migrations)


async def migrations_current() -> bool:
    """Every migration this code ships has been applied (later ones, by a newer version
    during a rolling upgrade, may be there too)."""
    expected = _expected_migrations()
    _, rows = await connections.get("default").execute_query(
        'SELECT "app", "name" FROM "tortoise_migrations"'
    )
    applied = {(row["app"], row["name"]) for row in rows}
    return expected <= applied


async def sample_pool() -> None:
    """Record this process's connection pool (PostgreSQL) in the metrics."""
    pool = getattr(connections.get("default"), "_pool", None)
    if pool is None:
        return
    DB_POOL.labels("open").set(pool.get_size())
    DB_POOL.labels("in_use").set(pool.get_size() - pool.get_idle_size())


async def init(config: dict[str, Any]) -> None:
    db = config["connections"]["default"]
    if isinstance(db, dict):
        _prepare_sqlite_directory("sqlite://" + db["credentials"]["file_path"])
    await Tortoise.init(config=config)


async def is_reachable() -> bool:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        log.warning("database health check failed", exc_info=True)
        return False
    return True


def dialect() -> str:
    return connections.get("default").capabilities.dialect


async def analyze(table: str) -> None:
    """Fresh planner statistics for a table that has just grown by many rows (PostgreSQL's
    advice after a bulk load; its own autovacuum may come a minute later). Without them a
    table that was empty plans its queries as if it still were: scanning all of it."""
    if dialect() == "postgres":
        await connections.get("default").execute_script(f'ANALYZE "{table}"')
