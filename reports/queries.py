"""Reading reports for maps and lists: the viewport query, duplicates nearby, photos, history."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from core import clock
from reports.bbox import BBox
from reports.grid import box_around, cells_covering, distance_m
from reports.models import Category, Report, ReportEvent, ReportPhoto
from reports.workflow import OPEN_STATUSES, Status

MAX_IN_AREA = 500
MAX_DUPLICATES = 5


@dataclass(frozen=True, slots=True)
class AreaFilter:
    box: BBox
    statuses: Collection[Status] = OPEN_STATUSES
    category_ids: Collection[int] = ()
    include_hidden: bool = False
    overdue_only: bool = False
    limit: int = MAX_IN_AREA


@dataclass(frozen=True, slots=True)
class Candidate:
    report: Report
    distance_m: float


def overdue_condition(now: datetime) -> Q:
    open_statuses = [status.value for status in OPEN_STATUSES]
    late_acknowledgement = Q(status=Status.RECEIVED.value, acknowledge_due_at__lt=now)
    late_resolution = Q(status__in=open_statuses, resolve_due_at__lt=now)
    return Q(late_acknowledgement | late_resolution)


def is_overdue(report: Report, now: datetime) -> bool:
    """The same rule as `overdue_condition`, on a loaded report (see reports.workflow.overdue)."""
    if report.status not in OPEN_STATUSES:
        return False
    late_acknowledgement = (
        report.status == Status.RECEIVED
        and report.acknowledge_due_at is not None
        and now > report.acknowledge_due_at
    )
    return late_acknowledgement or (report.resolve_due_at is not None and now > report.resolve_due_at)


def area_query(area: AreaFilter):
    """Newest first. The grid cells let the index find the box; lat/lng make it exact."""
    box = area.box
    query = Report.filter(
        lat__gte=box.min_lat,
        lat__lte=box.max_lat,
        lng__gte=box.min_lng,
        lng__lte=box.max_lng,
        status__in=[status.value for status in area.statuses],
    )
    cells = cells_covering(box)
    if cells is not None:
        query = query.filter(cell__in=cells)
    if not area.include_hidden:
        query = query.filter(hidden=False)
    if area.category_ids:
        query = query.filter(category_id__in=list(area.category_ids))
    if area.overdue_only:
        query = query.filter(overdue_condition(clock.now()))
    return query.order_by("-created_at", "-id").limit(max(1, min(area.limit, MAX_IN_AREA)))


async def reports_in_area(area: AreaFilter) -> list[Report]:
    return await area_query(area)


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
    for candidate in within:
        candidate.report.category = category
    return within[:MAX_DUPLICATES]


async def photos_of(report_ids: Iterable[int], *, include_hidden: bool) -> dict[int, list[ReportPhoto]]:
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
