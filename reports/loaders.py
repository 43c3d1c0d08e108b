"""Per-request look-ups for the report types, batched so a map of 500 reports costs few queries."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from time import monotonic
from typing import Any, ClassVar

from strawberry.dataloader import DataLoader
from tortoise import connections

from accounts.models import Department, Resident, StaffMember
from core.context import Context
from reports import queries
from reports.map.viewport import ReportRecord
from reports.models import Category, Report, ReportEvent, ReportFollower, ReportPhoto

SHARED_SECONDS = 30.0  # how long a category's or a department's name may lag behind an edit


class _Table:
    """All rows of a small reference table (categories, departments), read once and shared
    by the requests of the next SHARED_SECONDS: a map of 500 reports then costs no look-up
    at all. A row added meanwhile is read at once; a renamed one shows within that time."""

    model: Any = None
    _shared: ClassVar[dict[type, tuple[Any, float, dict[int, Any]]]] = {}

    def __init__(self) -> None:
        self.rows: asyncio.Future[dict[int, Any]] | None = None
        self.known: dict[int, Any] = {}

    async def get(self, key: int) -> Any:
        if key in self.known:
            return self.known[key]
        rows = self._fresh_shared()
        if rows is None or key not in rows:
            if self.rows is None:
                self.rows = asyncio.ensure_future(self._read_and_share())
            rows = await asyncio.shield(self.rows)
            if key not in rows:  # added during this request
                self.rows = asyncio.ensure_future(self._read_and_share())
                rows = await asyncio.shield(self.rows)
        return rows[key]

    def _fresh_shared(self) -> dict[int, Any] | None:
        shared = self._shared.get(type(self))
        if shared is None:
            return None
        connection, read_at, rows = shared
        if connection is not connections.get("default") or read_at + SHARED_SECONDS < monotonic():
            return None
        return rows

    async def _read_and_share(self) -> dict[int, Any]:
        connection, read_at = connections.get("default"), monotonic()
        rows = await self._read()
        self._shared[type(self)] = (connection, read_at, rows)
        return rows

    async def _read(self) -> dict[int, Any]:
        query = self.model.all()
        if self.model is Category:
            query = query.select_related("department")
        return {row.id: row for row in await query}


class CategoriesById(_Table):
    model = Category


class DepartmentsById(_Table):
    model = Department


def remember_category(context: Context, category: Category) -> None:
    """A category (and its department) the request has read already: no second look-up."""
    context.loader(CategoriesById).known[category.id] = category
    context.loader(DepartmentsById).known[category.department_id] = category.department


async def category(context: Context, category_id: int) -> Category:
    found = await context.loader(CategoriesById).get(category_id)
    # Its department came with it: reports routed to the category's own department (most of
    # them) need no second look-up.
    context.loader(DepartmentsById).known.setdefault(found.department_id, found.department)
    return found


async def department(context: Context, department_id: int) -> Department:
    return await context.loader(DepartmentsById).get(department_id)


async def _visible_photos(ids: list[int]) -> Sequence[list[ReportPhoto]]:
    found = await queries.photos_of(ids, include_hidden=False)
    return [found[report_id] for report_id in ids]


async def _all_photos(ids: list[int]) -> Sequence[list[ReportPhoto]]:
    found = await queries.photos_of(ids, include_hidden=True)
    return [found[report_id] for report_id in ids]


class VisiblePhotosByReportLoader(DataLoader[int, list[ReportPhoto]]):
    def __init__(self) -> None:
        super().__init__(load_fn=_visible_photos)


class AllPhotosByReportLoader(DataLoader[int, list[ReportPhoto]]):
    def __init__(self) -> None:
        super().__init__(load_fn=_all_photos)


async def photos(context: Context, report_id: int) -> list[ReportPhoto]:
    loader = AllPhotosByReportLoader if context.staff is not None else VisiblePhotosByReportLoader
    return await context.loader(loader).load(report_id)


async def _following(keys: list[tuple[int, int]]) -> Sequence[bool]:
    residents = {resident_id for resident_id, _ in keys}
    reports = [report_id for _, report_id in keys]
    rows = await ReportFollower.filter(
        resident_id__in=residents, report_id__in=reports
    ).values_list("resident_id", "report_id")
    followed = set(rows)
    return [key in followed for key in keys]


class FollowingLoader(DataLoader[tuple[int, int], bool]):
    def __init__(self) -> None:
        super().__init__(load_fn=_following)


async def is_following(context: Context, report_id: int) -> bool:
    return await context.loader(FollowingLoader).load((context.resident.id, report_id))


async def history(context: Context, report: Report | ReportRecord) -> list[ReportEvent]:
    return await queries.history_of(report, include_internal=context.staff is not None)


async def _staff_details(ids: list[int]) -> Sequence[Any]:
    from reports.types import ReportAnswer, ReportAssignee, ReportStaffDetails

    rows = {
        row["id"]: row
        for row in await Report.filter(id__in=ids).values(
            "id",
            "reporter_id",
            "contact",
            "source",
            "hidden",
            "hidden_reason",
            "assignee_id",
            "department_id",
            "attributes",
        )
    }
    reporters = {
        person["id"]: person
        for person in await Resident.filter(
            id__in={r["reporter_id"] for r in rows.values() if r["reporter_id"]}
        ).values("id", "display_name", "email")
    }
    assignees = {
        member.id: member
        for member in await StaffMember.filter(
            id__in={r["assignee_id"] for r in rows.values() if r["assignee_id"]}
        ).select_related("department")
    }
    departments = dict(
        await Department.filter(id__in={r["department_id"] for r in rows.values()}).values_list(
            "id", "code"
        )
    )
    found = []
    for report_id in ids:
        row = rows[report_id]
        contact = row["contact"] or {}
        reporter = reporters.get(row["reporter_id"])
        names = " ".join(
            part for part in (contact.get("first_name"), contact.get("last_name")) if part
        )
        member = assignees.get(row["assignee_id"])
        found.append(
            ReportStaffDetails(
                reporter_name=reporter["display_name"] if reporter else (names or None),
                reporter_contact=(reporter["email"] if reporter else None)
                or contact.get("email")
                or contact.get("phone"),
                source=row["source"],
                hidden=row["hidden"],
                hidden_reason=row["hidden_reason"],
                assignee=ReportAssignee(
                    id=str(member.public_id),
                    display_name=member.display_name,
                    department_code=member.department.code,
                )
                if member
                else None,
                department_code=departments.get(row["department_id"], ""),
                answers=[
                    ReportAnswer(
                        code=code, values=list(value) if isinstance(value, list) else [str(value)]
                    )
                    for code, value in (row["attributes"] or {}).items()
                ],
            )
        )
    return found


class StaffDetailsLoader(DataLoader[int, Any]):
    def __init__(self) -> None:
        super().__init__(load_fn=_staff_details)


async def staff_details(context: Context, report_id: int) -> Any:
    """What only staff see of a report (who filed it, assignee, hidden), batched per request."""
    return await context.loader(StaffDetailsLoader).load(report_id)
