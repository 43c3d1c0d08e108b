"""Database configuration: Tortoise apps, their migrations, SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from typing import Any

from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate as tortoise_migrate

log = logging.getLogger(__name__)

# One Tortoise app per domain (or sub-package), with its migrations package beside its models.
# Order matters only for readability; Tortoise resolves cross-app references.
APPS: dict[str, str] = {
    "accounts": "accounts.models",
    "notifications": "notifications.models",
    "payments": "payments.models",
    "booking": "booking.models",
    "geo": "geo.models",
    "reports": "reports.models",
    "applications": "applications.models",
    "alerts": "notifications.alerts.models",
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
    """Apply every pending migration (safe to run at each start)."""
    db = config["connections"]["default"]
    if isinstance(db, dict):
        _prepare_sqlite_directory("sqlite://" + db["credentials"]["file_path"])
    await tortoise_migrate(config=config)


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
