"""The map's viewport query: open reports in a box, newest first, at most 500, in a few ms.

One covering index (cell, status, hidden, lat, lng, created_at, category_id, id, and the
columns the map shows) answers it: the grid cells bound the index ranges, lat/lng make the
box exact, and no table row is read to filter, sort or answer (an index-only scan on
PostgreSQL). `map_reports_in_area` returns those columns as `MapRecord`s in one statement;
`reports_in_area` finds the ids the same way and reads every column of those rows as
`ReportRecord`s. Building Tortoise models costs about 40 µs a row, which alone would
exceed the 20 ms budget at 500 rows.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise import connections
from tortoise.transactions import in_transaction

from core import clock
from reports.map.bbox import BBox
from reports.map.grid import cells_covering
from reports.workflow import OPEN_STATUSES, Status

MAX_IN_AREA = 500
COLUMNS = (
    "id",
    "public_id",
    "receipt_number",
    "category_id",
    "department_id",
    "description",
    "lat",
    "lng",
    "address",
    "status",
    "reporter_id",
    "public_note",
    "hidden",
    "duplicate_of_id",
    "media_url",
    "acknowledge_due_at",
    "resolve_due_at",
    "acknowledged_at",
    "resolved_at",
    "created_at",
    "updated_at",
)
# The columns the map shows (reports.types: id, receipt number, place, status, dates due,
# category, department, "mine"), all in the covering index (reports.models.Report.Meta).
MAP_COLUMNS = (
    "id",
    "public_id",
    "receipt_number",
    "category_id",
    "department_id",
    "lat",
    "lng",
    "status",
    "reporter_id",
    "acknowledge_due_at",
    "resolve_due_at",
    "created_at",
)
_NAME = re.compile(r"[a-z_]{1,20}")
_TIMES = (
    "acknowledge_due_at",
    "resolve_due_at",
    "acknowledged_at",
    "resolved_at",
    "created_at",
    "updated_at",
)


@dataclass(slots=True)
class ReportRecord:
    """A report as the map needs it (the attributes it shares with reports.models.Report)."""

    id: int
    public_id: Any
    receipt_number: str
    category_id: int
    department_id: int
    description: str
    lat: float
    lng: float
    address: str | None
    status: str
    reporter_id: int | None
    public_note: str
    hidden: bool
    duplicate_of_id: int | None
    media_url: str | None
    acknowledge_due_at: datetime | None
    resolve_due_at: datetime | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class MapRecord:
    """A report as the map shows it: the columns of `MAP_COLUMNS`, in their order."""

    id: int
    public_id: Any
    receipt_number: str
    category_id: int
    department_id: int
    lat: float
    lng: float
    status: str
    reporter_id: int | None
    acknowledge_due_at: datetime | None
    resolve_due_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AreaFilter:
    box: BBox
    statuses: Collection[Status] = OPEN_STATUSES
    category_ids: Collection[int] = ()
    include_hidden: bool = False
    overdue_only: bool = False
    limit: int = MAX_IN_AREA


class _Statement:
    """Parameters with the connection's placeholder style ($1 or ?)."""

    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgres"
        self.params: list[Any] = []

    def value(self, value: Any) -> str:
        if isinstance(value, datetime) and not self.postgres:
            value = value.isoformat(" ")  # as Tortoise stores it in SQLite
        self.params.append(value)
        return f"${len(self.params)}" if self.postgres else "?"

    def values(self, values: Iterable[Any]) -> str:
        return ",".join(self.value(value) for value in values)

    @staticmethod
    def one_of(column: str, values: Iterable[int | str]) -> str:
        """``column IN (1, 2, …)`` written out: only ids, cell numbers and status names, made
        here, never a client's text. Literal lists let PostgreSQL plan each viewport for its
        cells (a generic plan of a prepared ``= ANY($1)`` may pick the wrong index)."""
        items = []
        for value in values:
            if isinstance(value, str):
                if not _NAME.fullmatch(value):
                    raise ValueError(f"not a status name: {value!r}")
                items.append(f"'{value}'")
            else:
                items.append(str(int(value)))
        return f"{column} IN ({','.join(items) or 'NULL'})"


def _where(area: AreaFilter, statement: _Statement) -> str:
    box = area.box
    terms = []
    cells = cells_covering(box)
    if cells is not None:
        terms.append(statement.one_of("cell", cells))
    statuses = sorted(str(status) for status in area.statuses) or ["-"]
    terms.append(statement.one_of("status", statuses))
    if not area.include_hidden:
        terms.append("hidden = false")
    terms.append(f"lat BETWEEN {statement.value(box.min_lat)} AND {statement.value(box.max_lat)}")
    terms.append(f"lng BETWEEN {statement.value(box.min_lng)} AND {statement.value(box.max_lng)}")
    if area.category_ids:
        terms.append(statement.one_of("category_id", sorted(area.category_ids)))
    if area.overdue_only:
        now = clock.now()
        late_acknowledgement = f"status = {statement.value(str(Status.RECEIVED))} AND acknowledge_due_at < {statement.value(now)}"
        open_statuses = statement.one_of("status", sorted(str(s) for s in OPEN_STATUSES))
        late_resolution = f"{open_statuses} AND resolve_due_at < {statement.value(now)}"
        terms.append(f"(({late_acknowledgement}) OR ({late_resolution}))")
    return " AND ".join(terms)


async def reports_in_area(area: AreaFilter) -> list[ReportRecord]:
    """Every column of the reports in the area, newest first."""
    connection = connections.get("default")
    dialect = connection.capabilities.dialect
    ids = [row[0] for row in await _in_area(area, "id", dialect)]
    return await records_by_id(ids, dialect=dialect)


async def map_reports_in_area(area: AreaFilter) -> list[MapRecord]:
    """The map's columns of the reports in the area, newest first, from the index alone."""
    dialect = connections.get("default").capabilities.dialect
    rows = await _in_area(area, ", ".join(MAP_COLUMNS), dialect)
    if dialect == "postgres":
        return [MapRecord(*row) for row in rows]
    return [_sqlite_map_record(row) for row in rows]


async def _in_area(area: AreaFilter, columns: str, dialect: str) -> list[Any]:
    sql, params = area_statement(area, columns, dialect)
    if dialect == "postgres":
        return await _without_bitmap_scans(sql, params)
    _, found = await connections.get("default").execute_query(sql, params)
    return found


def area_statement(area: AreaFilter, columns: str, dialect: str) -> tuple[str, list[Any]]:
    """The viewport's SELECT of these columns, with its parameters."""
    statement = _Statement(dialect)
    limit = max(1, min(area.limit, MAX_IN_AREA))
    sql = (
        f"SELECT {columns} FROM report WHERE {_where(area, statement)} "
        f"ORDER BY created_at DESC, id DESC LIMIT {limit}"
    )
    return sql, statement.params


async def _without_bitmap_scans(sql: str, params: list[Any]) -> list[Any]:
    """PostgreSQL estimates the cells and the lat/lng ranges as independent, though each
    cell lies inside its own small range, so it expects a few rows where there are thousands
    and may pick a bitmap heap scan (5× slower here) over the index-only scan."""
    async with in_transaction() as connection:
        await connection.execute_script("SET LOCAL enable_bitmapscan = off")
        _, found = await connection.execute_query(sql, params)
    return found


async def records_by_id(ids: Sequence[int], *, dialect: str | None = None) -> list[ReportRecord]:
    """The records of these reports, in the order of `ids`."""
    if not ids:
        return []
    connection = connections.get("default")
    statement = _Statement(dialect or connection.capabilities.dialect)
    sql = f"SELECT {', '.join(COLUMNS)} FROM report WHERE {statement.one_of('id', ids)}"
    _, rows = await connection.execute_query(sql, statement.params)
    by_id = {row[0]: _record(row, statement.postgres) for row in rows}
    return [by_id[report_id] for report_id in ids if report_id in by_id]


def _record(row: Any, native: bool) -> ReportRecord:
    record = ReportRecord(*row)
    if not native:  # SQLite hands back text and integers
        for name in _TIMES:
            text = getattr(record, name)
            if text is not None:
                setattr(record, name, datetime.fromisoformat(text))
        record.hidden = bool(record.hidden)
    return record


def _sqlite_map_record(row: Any) -> MapRecord:
    record = MapRecord(*row)
    record.created_at = datetime.fromisoformat(row[-1])
    if record.acknowledge_due_at is not None:
        record.acknowledge_due_at = datetime.fromisoformat(row[-3])
    if record.resolve_due_at is not None:
        record.resolve_due_at = datetime.fromisoformat(row[-2])
    return record


async def reports_filed_since(reporter_id: int, since: datetime) -> int:
    """How many reports a resident filed since then (the rate limit asks on every submit)."""
    connection = connections.get("default")
    statement = _Statement(connection.capabilities.dialect)
    sql = (
        f"SELECT COUNT(*) FROM report WHERE reporter_id = {statement.value(reporter_id)}"
        f" AND created_at >= {statement.value(since)}"
    )
    _, rows = await connection.execute_query(sql, statement.params)
    return int(rows[0][0])
