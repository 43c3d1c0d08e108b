"""GraphQL mutations and the live-map subscription of the reports domain."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from accounts.permissions import IsAuthenticated, IsStaff
from core.pubsub import broker
from reports import events, intake, loaders, service, triage
from reports.errors import PhotoError, as_app_error
from reports.inputs import (
    BBoxInput,
    ReportChangedEvent,
    SubmitReportInput,
    SubmitReportPayload,
    answers_of,
    candidates,
    read_uploads,
    visible,
)
from reports.models import Report
from reports.photos.processing import read_limited
from reports.types import ReportPhotoCheck, ReportStatus, ReportType, report_type


@strawberry.type
class ReportsMutation:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="File a report. Photos are multipart uploads (Apollo-Require-Preflight: true).",
    )
    async def submit_report(self, info: Info, input: SubmitReportInput) -> SubmitReportPayload:
        context = info.context
        submitted = await service.submit_report(
            settings=context.settings,
            new=service.NewReport(
                category_code=input.category_code,
                description=input.description,
                lat=input.lat,
                lng=input.lng,
                photos=await read_uploads(input.photos),
                answers=answers_of(input.answers),
            ),
            resident=context.resident,
        )
        loaders.remember_category(context, submitted.report.category)
        return SubmitReportPayload(
            report=await report_type(info, submitted.report),
            duplicates=await candidates(submitted.duplicates, info),
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Check a photo as submitReport would, storing nothing: VALIDATION (field "
        "photo) when it is too large, not an accepted image, or cannot be decoded.",
    )
    async def check_report_photo(self, photo: Upload) -> ReportPhotoCheck:
        try:
            data = await read_limited(photo)
        except PhotoError as error:
            raise as_app_error(error, field="photo") from None
        checked = await intake.checked_photo(data)
        return ReportPhotoCheck(
            width=checked.width, height=checked.height, has_location=checked.gps is not None
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Follow a report; with insteadOf, withdraw your own new report as the same issue.",
    )
    async def follow_report(
        self, info: Info, id: strawberry.ID, instead_of: strawberry.ID | None = None
    ) -> ReportType:
        report = await visible(info, id)
        mine = await visible(info, instead_of) if instead_of else None
        followed = await service.follow_report(
            resident=info.context.resident, report=report, instead_of=mine
        )
        return await report_type(info, followed)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def unfollow_report(self, info: Info, id: strawberry.ID) -> bool:
        await service.unfollow_report(
            resident=info.context.resident, report=await visible(info, id)
        )
        return True

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Reopen your resolved report (within 14 days).",
    )
    async def reopen_report(self, info: Info, id: strawberry.ID, note: str = "") -> ReportType:
        report = await service.reopen_report(
            resident=info.context.resident, report=await visible(info, id), note=note
        )
        return await report_type(info, report)

    @strawberry.mutation(permission_classes=[IsStaff])
    async def acknowledge_report(
        self, info: Info, id: strawberry.ID, note: str = "", internal_note: str = ""
    ) -> ReportType:
        report = await triage.change_status(
            staff=info.context.staff,
            report=await visible(info, id),
            status="acknowledged",
            note=note,
            internal_note=internal_note,
        )
        return await report_type(info, report)

    @strawberry.mutation(permission_classes=[IsStaff])
    async def update_report_status(
        self,
        info: Info,
        id: strawberry.ID,
        status: ReportStatus,
        note: str = "",
        internal_note: str = "",
        duplicate_of_id: strawberry.ID | None = None,
    ) -> ReportType:
        original = await visible(info, duplicate_of_id) if duplicate_of_id else None
        report = await triage.change_status(
            staff=info.context.staff,
            report=await visible(info, id),
            status=status.value,
            note=note,
            internal_note=internal_note,
            duplicate_of=original,
        )
        return await report_type(info, report)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Give a report to a member of staff or a department.",
    )
    async def assign_report(
        self,
        info: Info,
        id: strawberry.ID,
        assignee_id: strawberry.ID | None = None,
        department_code: str | None = None,
        note: str = "",
    ) -> ReportType:
        report = await triage.assign(
            staff=info.context.staff,
            report=await visible(info, id),
            assignee_id=str(assignee_id) if assignee_id else None,
            department_code=department_code,
            note=note,
        )
        return await report_type(info, report)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Close the source as a duplicate of the target; its followers follow the target.",
    )
    async def merge_reports(
        self,
        info: Info,
        source_id: strawberry.ID,
        target_id: strawberry.ID,
        note: str = "",
        internal_note: str = "",
    ) -> ReportType:
        source, target = await visible(info, source_id), await visible(info, target_id)
        await triage.merge(
            staff=info.context.staff,
            source=source,
            target=target,
            note=note,
            internal_note=internal_note,
        )
        return await report_type(info, target)

    @strawberry.mutation(permission_classes=[IsStaff])
    async def add_report_note(
        self, info: Info, id: strawberry.ID, note: str, public: bool = False
    ) -> ReportType:
        report = await triage.add_note(
            staff=info.context.staff, report=await visible(info, id), note=note, public=public
        )
        return await report_type(info, report)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Take a report off the public map, or put it back.",
    )
    async def hide_report(
        self, info: Info, id: strawberry.ID, hidden: bool = True, reason: str = ""
    ) -> ReportType:
        report = await triage.hide_report(
            staff=info.context.staff, report=await visible(info, id), hidden=hidden, reason=reason
        )
        return await report_type(info, report)

    @strawberry.mutation(permission_classes=[IsStaff])
    async def hide_report_photo(
        self, info: Info, photo_id: strawberry.ID, hidden: bool = True, reason: str = ""
    ) -> ReportType:
        report = await triage.hide_photo(
            staff=info.context.staff, photo_id=str(photo_id), hidden=hidden, reason=reason
        )
        return await report_type(info, report)


@strawberry.type
class ReportsSubscription:
    @strawberry.subscription(
        description="New and changed reports inside the box, for the live map."
    )
    async def report_changed(
        self, info: Info, bbox: BBoxInput | None = None
    ) -> AsyncGenerator[ReportChangedEvent, None]:
        box = bbox.as_box() if bbox is not None else None
        context = info.context
        async with broker.subscribe(events.TOPIC) as queue:
            while True:
                change = events.ReportChanged(**await queue.get())
                if box is not None and not box.contains(change.lat, change.lng):
                    continue
                report = await Report.get_or_none(id=change.report_id)
                if report is None:
                    continue
                context.loaders.clear()  # one connection's context outlives many events
                visible = service.can_see(report, resident=context.resident, staff=context.staff)
                if not visible and not change.shown_or_hidden:
                    continue  # staff's work on a report this subscriber cannot see is not news
                yield ReportChangedEvent(
                    id=strawberry.ID(str(report.public_id)),
                    created=change.created,
                    removed=not visible,
                    report=await report_type(info, report) if visible else None,
                )
