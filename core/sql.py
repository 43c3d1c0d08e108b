"""One plain-SQL statement for the hot paths that skip Tortoise's query builder.

Values always go in as parameters, in the connection's placeholder style ($1 on PostgreSQL,
? on SQLite), each as the engine keeps it: datetimes in UTC (on SQLite as the text Tortoise
writes), UUIDs as text on SQLite. Only names and constants are written into the text."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise import connections


class Statement:
    """Parameters collected while the SQL text is written, then run on the default
    connection (the transaction's, inside one)."""

    def __init__(self) -> None:
        self.connection = connections.get("default")
        self.postgres = self.connection.capabilities.dialect == "postgres"
        self.params: list[Any] = []

    def param(self, value: Any) -> str:
        """Add a value; returns its placeholder."""
        if isinstance(value, datetime):
            value = value.astimezone(UTC)
            if not self.postgres:
                value = value.isoformat(" ")  # as Tortoise writes it into SQLite
        elif isinstance(value, uuid.UUID) and not self.postgres:
            value = str(value)
        self.params.append(value)
        return f"${len(self.params)}" if self.postgres else "?"

    def row(self, values: Sequence[Any]) -> str:
        """`(…, …)`: one row of an INSERT's VALUES."""
        return "(" + ", ".join(self.param(v) for v in values) + ")"

    async def rows(self, sql: str) -> list[Any]:
        """The rows as tuples, in the SELECT's column order."""
        _, rows = await self.connection.execute_query(sql, self.params)
        return list(rows)

    async def dicts(self, sql: str) -> list[dict[str, Any]]:
        return await self.connection.execute_query_dict(sql, self.params)

    async def run(self, sql: str) -> int:
        """Runs a write; returns how many rows it changed."""
        changed, _ = await self.connection.execute_query(sql, self.params)
        return changed
