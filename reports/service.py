"""What residents (and Open311 clients) do with reports: file, follow, reopen, look up.

Each use case owns its transaction: photos are written to storage before it and removed
again when it fails, and the live map hears of a change only after it has committed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

import reports.texts  # noqa: F401 - registers the texts
from accounts.models import Resident, StaffMember
from accounts.service import on_merge
from core import clock
from core.errors import AppError, ErrorCode, not_found, public_id_or_not_found
from core.receipts import receipt_number
from core.settings import Settings
from reports import events, intake, queries
from reports.categories import category_by_code, checked_answers, targets
from reports.errors import TransitionError, as_app_error
from reports.geocoding import Geocoder, geocoder_for, lookup_inline
from reports.map import viewport
from reports.map.grid import cell_of
from reports.models import Category, Open311Key, Report, ReportFollower, ReportPhoto
from reports.open311.types import AttributeAnswer
from reports.storage import PhotoStorage
from reports.workflow import Actor, Status, deadlines, validate_transition

RATE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class NewReport:
    category_code: str
    description: str = ""
    lat: float | None = None
    lng: float | None = None
    photos: Sequence[bytes] = ()
    answers: Mapping[str, AttributeAnswer] = field(default_factory=dict)
    source: str = "app"
    contact: Mapping[str, str] = field(default_factory=dict)
    media_url: str | None = None


@dataclass(frozen=True)
class Submitted:
    report: Report
    duplicates: list[queries.Candidate]


def new_receipt_number() -> str:
    """``K7Q2-9XMD``."""
    return receipt_number(length=8, group=4)


async def check_rate(settings: Settings, resident: Resident) -> None:
    sent = await viewport.reports_filed_since(resident.id, clock.now() - RATE_WINDOW)
    if sent >= settings.reports_per_hour:
        raise AppError(
            ErrorCode.RATE_LIMITED, "reports.rate_limited", limit=settings.reports_per_hour
        )


async def submit_report(
    *,
    settings: Settings,
    new: NewReport,
    resident: Resident | None,
    open311_key: Open311Key | None = None,
    storage: PhotoStorage | None = None,
    geocoder: Geocoder | None = None,
) -> Submitted:
    """File a report. Every check runs before anything is stored; a refused report leaves nothing."""
    if resident is not None:
        await check_rate(settings, resident)
    category = await category_by_code(new.category_code)
    description = intake.checked_description(new.description)
    answers = checked_answers(category, new.answers)
    photos = await intake.processed_photos(list(new.photos))
    lat, lng = intake.checked_position(settings, new.lat, new.lng, photos)
    duplicates = await queries.duplicate_candidates(category=category, lat=lat, lng=lng)
    address = await lookup_inline(geocoder or geocoder_for(settings.nominatim_url), lat, lng)
    storage = storage or intake.photo_storage(settings)
    stored = await intake.store_photos(storage, photos)
    try:
        report = await _insert(
            category, new, resident, open311_key, description, answers, lat, lng, address, stored
        )
    except BaseException:
        await intake.discard(storage, stored)
        raise
    events.publish(report, created=True)
    return Submitted(report, duplicates)


async def _insert(
    category: Category,
    new: NewReport,
    resident: Resident | None,
    open311_key: Open311Key | None,
    description: str,
    answers: Mapping[str, AttributeAnswer],
    lat: float,
    lng: float,
    address: str | None,
    stored: list[intake.StoredPhoto],
) -> Report:
    now = clock.now()
    due = deadlines(now, targets(category))
    for attempt in range(3):
        try:
            async with in_transaction():
                report = await Report.create(
                    receipt_number=new_receipt_number(),
                    category=category,
                    department_id=category.department_id,
                    description=description,
                    lat=lat,
                    lng=lng,
                    cell=cell_of(lat, lng),
                    address=address or None,
                    address_pending=address is None,
                    source=new.source,
                    reporter=resident,
                    contact=dict(new.contact),
                    open311_key=open311_key,
                    attributes={
                        k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()
                    },
                    media_url=new.media_url,
                    acknowledge_due_at=due.acknowledge_by,
                    resolve_due_at=due.resolve_by,
                    created_at=now,
                    updated_at=now,
                )
                for position, item in enumerate(stored):
                    await ReportPhoto.create(
                        report=report,
                        key=item.key,
                        thumb_key=item.thumb_key,
                        content_type=item.photo.content_type,
                        width=item.photo.width,
                        height=item.photo.height,
                        sha256=item.photo.sha256,
                        position=position,
                        created_at=now,
                    )
                await events.record(
                    report, "submitted", resident=resident, to_status=Status.RECEIVED
                )
            report.category = category
            return report
        except IntegrityError:
            if attempt == 2:  # three receipt numbers taken in a row is not bad luck
                raise
    raise AssertionError("unreachable")


def can_see(report: Report, *, resident: Resident | None, staff: StaffMember | None) -> bool:
    if staff is not None:
        return True
    if report.hidden:
        return resident is not None and report.reporter_id == resident.id
    return True


async def visible_report(
    public_id: str, *, resident: Resident | None, staff: StaffMember | None
) -> Report:
    """The report with this public id as the caller may see it, else NOT_FOUND."""
    key = public_id_or_not_found(public_id)
    report = await Report.get_or_none(public_id=key).select_related("category")
    if report is None or not can_see(report, resident=resident, staff=staff):
        raise not_found()
    return report


async def follow_report(
    *, resident: Resident, report: Report, instead_of: Report | None = None
) -> Report:
    """Follow a report (its original, when it is a duplicate).

    ``instead_of``: the resident's own report just filed about the same issue, withdrawn
    as a duplicate of the one followed ("same as this one?").
    """
    if report.hidden:
        raise not_found()
    if report.status == Status.DUPLICATE and report.duplicate_of_id:
        report = await Report.get(id=report.duplicate_of_id).select_related("category")
    async with in_transaction():
        if report.reporter_id != resident.id:
            await _add_follower(report, resident)
        if instead_of is not None:
            await _withdraw(resident, instead_of, report)
    if instead_of is not None:
        events.publish(instead_of)
    return report


async def _add_follower(report: Report, resident: Resident) -> None:
    if not await ReportFollower.exists(report_id=report.id, resident_id=resident.id):
        try:
            async with in_transaction():
                await ReportFollower.create(
                    report=report, resident=resident, created_at=clock.now()
                )
        except IntegrityError:  # a second tap at the same moment
            pass


async def _withdraw(resident: Resident, mine: Report, original: Report) -> None:
    allowed = (
        mine.reporter_id == resident.id
        and mine.status == Status.RECEIVED
        and mine.id != original.id
        and mine.category_id == original.category_id
    )
    if not allowed:
        raise AppError(ErrorCode.VALIDATION, "reports.withdraw_not_allowed", field="insteadOf")
    now = clock.now()
    await Report.filter(id=mine.id).update(
        status=Status.DUPLICATE, duplicate_of_id=original.id, updated_at=now
    )
    mine.status, mine.duplicate_of_id, mine.updated_at = Status.DUPLICATE, original.id, now
    await events.record(
        mine,
        "status",
        resident=resident,
        from_status=Status.RECEIVED,
        to_status=Status.DUPLICATE,
        note=original.receipt_number,
    )


async def unfollow_report(*, resident: Resident, report: Report) -> None:
    await ReportFollower.filter(report_id=report.id, resident_id=resident.id).delete()


async def reopen_report(*, resident: Resident, report: Report, note: str = "") -> Report:
    """The reporter reopens their resolved report within the reopening window."""
    if report.reporter_id != resident.id:
        raise not_found()
    if report.status != Status.RESOLVED or report.resolved_at is None:
        raise AppError(ErrorCode.VALIDATION, "reports.reopen_only_resolved", field="id")
    now = clock.now()
    try:
        target = validate_transition(
            report.status,
            Status.IN_PROGRESS,
            actor=Actor.REPORTER,
            resolved_at=report.resolved_at,
            now=now,
        )
    except TransitionError as error:
        raise as_app_error(error, field="id") from None
    note = intake.checked_description(note, field="note")[:1000]
    async with in_transaction():
        previous = report.status
        report.status, report.resolved_at, report.updated_at = target, None, now
        await report.save(update_fields=["status", "resolved_at", "updated_at"])
        await events.record(
            report, "reopened", resident=resident, from_status=previous, to_status=target, note=note
        )
        await events.tell_people(report, "reports.notify.status", besides=resident, note=note)
    events.publish(report)
    return report


async def my_reports(
    resident: Resident, *, include_followed: bool = False, limit: int = 50
) -> list[Report]:
    condition = Q(reporter_id=resident.id)
    if include_followed:
        followed = await ReportFollower.filter(resident_id=resident.id).values_list(
            "report_id", flat=True
        )
        condition |= Q(id__in=list(followed), hidden=False)
    return (
        await Report.filter(condition)
        .order_by("-created_at", "-id")
        .limit(limit)
        .select_related("category")
    )


@on_merge
async def move_reports(source: Resident, target: Resident) -> None:
    await Report.filter(reporter_id=source.id).update(reporter_id=target.id)
    already = await ReportFollower.filter(resident_id=target.id).values_list("report_id", flat=True)
    await ReportFollower.filter(resident_id=source.id, report_id__in=already).delete()
    await ReportFollower.filter(resident_id=source.id).update(resident_id=target.id)
