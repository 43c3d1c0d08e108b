"""GraphQL for reports: categories, filing, following, the public map, staff triage, live changes."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry
from strawberry.types import Info

from accounts.models import StaffMember
from accounts.permissions import IsAuthenticated, IsStaff
from reports import queries, service
from reports.categories import active_categories, category_by_code
from reports.inputs import BBoxInput, DuplicateCandidate, ReportServiceArea, candidates, visible
from reports.intake import MAX_PHOTOS, checked_position
from reports.map.viewport import AreaFilter, map_reports_in_area, reports_in_area
from reports.models import Category
from reports.photos.processing import CONTENT_TYPES, MAX_BYTES, MAX_PIXELS
from reports.types import (
    ReportAssignee,
    ReportCategoryType,
    ReportPhotoLimits,
    ReportStatus,
    ReportType,
    map_report_records,
    report_type,
    report_types,
    selects_light_fields,
)
from reports.workflow import OPEN_STATUSES, Status


def _statuses(status: list[ReportStatus] | None) -> frozenset[Status]:
    return frozenset(Status(s.value) for s in status) if status else OPEN_STATUSES


@strawberry.type
class ReportsQuery:
    @strawberry.field(description="What can be reported, in the caller's language.")
    async def report_categories(self, info: Info) -> list[ReportCategoryType]:
        return [
            ReportCategoryType.from_model(c, info.context.language)
            for c in await active_categories()
        ]

    @strawberry.field(description="The box reports must lie in.")
    def report_service_area(self, info: Info) -> ReportServiceArea:
        min_lng, min_lat, max_lng, max_lat = info.context.settings.service_area
        return ReportServiceArea(min_lng=min_lng, min_lat=min_lat, max_lng=max_lng, max_lat=max_lat)

    @strawberry.field(description="What a report's photos may be.")
    def report_photo_limits(self) -> ReportPhotoLimits:
        return ReportPhotoLimits(
            max_photos=MAX_PHOTOS,
            max_bytes=MAX_BYTES,
            max_megapixels=MAX_PIXELS // 1_000_000,
            content_types=list(CONTENT_TYPES.values()),
        )

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def my_reports(
        self, info: Info, include_followed: bool = False, limit: int = 50
    ) -> list[ReportType]:
        found = await service.my_reports(
            info.context.resident, include_followed=include_followed, limit=max(1, min(limit, 200))
        )
        return await report_types(info, found)

    @strawberry.field
    async def report(self, info: Info, id: strawberry.ID) -> ReportType:
        return await report_type(info, await visible(info, id))

    @strawberry.field(
        description="Reports in a map box, newest first, at most 500. No reporter data."
    )
    async def reports_in_area(
        self,
        info: Info,
        bbox: BBoxInput,
        status: list[ReportStatus] | None = None,
        category_code: str | None = None,
        overdue_only: bool = False,
        include_hidden: Annotated[bool, strawberry.argument(description="Staff only.")] = False,
        limit: int = 500,
    ) -> list[ReportType]:
        category_ids: list[int] = []
        if category_code:
            category = await Category.get_or_none(code=category_code)
            category_ids = [category.id if category else -1]
        area = AreaFilter(
            box=bbox.as_box(),
            statuses=_statuses(status),
            category_ids=category_ids,
            include_hidden=include_hidden and info.context.staff is not None,
            overdue_only=overdue_only,
            limit=limit,
        )
        if selects_light_fields(info):  # the map's fields: read from the index alone
            records = await map_report_records(info, await map_reports_in_area(area))
            return cast("list[ReportType]", records)
        return await report_types(info, await reports_in_area(area))

    @strawberry.field(
        description="Open reports of this category near the place: 'same as this one?'"
    )
    async def report_duplicates(
        self, info: Info, category_code: str, lat: float, lng: float
    ) -> list[DuplicateCandidate]:
        category = await category_by_code(category_code)
        lat, lng = checked_position(info.context.settings, lat, lng, [])
        found = await queries.duplicate_candidates(category=category, lat=lat, lng=lng)
        return await candidates(found, info)

    @strawberry.field(
        permission_classes=[IsStaff], description="Active staff, to assign reports to."
    )
    async def assignable_staff(
        self, info: Info, department_code: str | None = None
    ) -> list[ReportAssignee]:
        query = (
            StaffMember.filter(is_active=True).select_related("department").order_by("display_name")
        )
        if department_code:
            query = query.filter(department__code=department_code)
        return [
            ReportAssignee(
                id=str(m.public_id), display_name=m.display_name, department_code=m.department.code
            )
            for m in await query
        ]
