"""GraphQL inputs and payloads of the reports domain, and the helpers both schema modules use."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from core.errors import AppError, ErrorCode
from reports import queries, service
from reports.errors import PhotoError, as_app_error
from reports.intake import MAX_PHOTOS
from reports.map.bbox import BBox
from reports.models import Report
from reports.photos.processing import read_limited
from reports.types import ReportType, report_types


@strawberry.input
class BBoxInput:
    min_lng: float
    min_lat: float
    max_lng: float
    max_lat: float

    def as_box(self) -> BBox:
        values = (self.min_lng, self.min_lat, self.max_lng, self.max_lat)
        if not (
            -180 <= self.min_lng <= self.max_lng <= 180
            and -90 <= self.min_lat <= self.max_lat <= 90
        ):
            raise AppError(ErrorCode.VALIDATION, "reports.BBOX_INVALID", field="bbox")
        return BBox(*values)


@strawberry.input
class ReportAnswerInput:
    code: str
    values: list[str]


@strawberry.input
class SubmitReportInput:
    category_code: str
    description: str = ""
    lat: float | None = None
    lng: float | None = None
    photos: list[Upload] | None = None
    answers: list[ReportAnswerInput] | None = None


@strawberry.type
class DuplicateCandidate:
    report: ReportType
    distance_m: float


@strawberry.type
class SubmitReportPayload:
    report: ReportType
    duplicates: list[DuplicateCandidate]


@strawberry.type
class ReportServiceArea:
    min_lng: float
    min_lat: float
    max_lng: float
    max_lat: float


@strawberry.type
class ReportChangedEvent:
    id: strawberry.ID
    created: bool
    removed: bool = strawberry.field(
        description="True when the report left the caller's view (hidden)."
    )
    report: ReportType | None


async def candidates(found: list[queries.Candidate], info: Info) -> list[DuplicateCandidate]:
    reports = await report_types(info, [c.report for c in found])
    return [
        DuplicateCandidate(report=report, distance_m=round(c.distance_m, 1))
        for report, c in zip(reports, found, strict=True)
    ]


async def read_uploads(uploads: list[Upload] | None) -> list[bytes]:
    if uploads and len(uploads) > MAX_PHOTOS:
        raise AppError(
            ErrorCode.VALIDATION, "reports.too_many_photos", field="photos", max=MAX_PHOTOS
        )
    contents = []
    for index, upload in enumerate(uploads or ()):
        try:
            contents.append(await read_limited(upload))
        except PhotoError as error:
            raise as_app_error(error, field=f"photos.{index}") from None
    return contents


def answers_of(answers: list[ReportAnswerInput] | None) -> dict[str, str | tuple[str, ...]]:
    return {a.code: a.values[0] if len(a.values) == 1 else tuple(a.values) for a in answers or ()}


async def visible(info: Info, report_id: strawberry.ID) -> Report:
    """The report as the caller may see it (NOT_FOUND otherwise)."""
    context = info.context
    return await service.visible_report(
        str(report_id), resident=context.resident, staff=context.staff
    )
