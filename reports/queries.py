"""Reading reports for maps and lists: the viewport query, duplicates nearby, photos, history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from reports.map.grid import box_around, distance_m
from reports.map.viewport import AreaFilter, ReportRecord, reports_in_area
from reports.models import Category, Report, ReportEvent, ReportPhoto
from reports.workflow import OPEN_STATUSES, Status

MAX_DUPLICATES = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    report: ReportRecord
    distance_m: float


def overdue_condition(now: datetime) -> Q:
    open_statuses = [status.value for status in OPEN_STATUSES]
    late_acknowledgement = Q(status=Status.RECEIVED.value, acknowledge_due_at__lt=now)
    late_resolution = Q(status__in=open_statuses, resolve_due_at__lt=now)
    return Q(late_acknowledgement | late_resolution)


def is_overdue(report: Report | ReportRecord, now: datetime) -> bool:
    """The same rule as `overdue_condition`, on a loaded report (see reports.workflow.overdue)."""
    if report.status not in OPEN_STATUSES:
        return False
    late_acknowledgement = (
        report.status == Status.RECEIVED
        and report.acknowledge_due_at is not None
        and now > report.acknowledge_due_at
    )
    return late_acknowledgement or (
        report.resolve_due_at is not None and now > report.resolve_due_at
    )


async def duplicate_candidates(
    *, category: Category, lat: float, lng: float, exclude_id: int | None = None
) -> list[Candidate]:
    """Open public reports of the same category within the category's radius, nearest first."""
    radius = category.duplicate_radius_m
    if radius <= 0:
        return []
    nearby = await reports_in_area(
        AreaFilter(box_around(lat, lng, radius), category_ids=[category.id], limit=50)
    )
    measured = [
        Candidate(report, distance_m((lat, lng), (report.lat, report.lng)))
        for report in nearby
        if report.id != exclude_id
    ]
    within = sorted((c for c in measured if c.distance_m <= radius), key=lambda c: c.distance_m)
    return within[:MAX_DUPLICATES]


async def photos_of(
    report_ids: Iterable[int], *, include_hidden: bool
) -> dict[int, list[ReportPhoto]]:
    ids = list(report_ids)
    by_report: dict[int, list[ReportPhoto]] = {report_id: [] for report_id in ids}
    if not ids:
        return by_report
    query = ReportPhoto.filter(report_id__in=ids)
    if not include_hidden:
        query = query.filter(hidden=False)
    for photo in await query.order_by("report_id", "position", "id"):
        by_report[photo.report_id].append(photo)
    return by_report


async def history_of(report: Report, *, include_internal: bool) -> list[ReportEvent]:
    query = ReportEvent.filter(report_id=report.id)
    if not include_internal:
        query = query.filter(public=True)
    return await query.order_by("created_at", "id").select_related("staff")


async def categories_by_id() -> dict[int, Category]:
    return {category.id: category for category in await Category.all().select_related("department")}
