"""What staff do with reports: acknowledge, change status, assign, merge, note, hide.

Public changes (status, public notes) reach the reporter and followers through the outbox
in the same transaction; internal notes and assignments stay in the history for staff.
"""

from __future__ import annotations

import uuid

from tortoise.transactions import in_transaction

import reports.texts  # noqa: F401 - registers the texts
from accounts.models import Department, StaffMember
from core import clock
from core.errors import AppError, ErrorCode, not_found, public_id_or_not_found
from reports import events
from reports.errors import TransitionError, as_app_error
from reports.models import Report, ReportFollower, ReportPhoto
from reports.workflow import CLOSED_STATUSES, Actor, Status, parse_status, validate_transition

MAX_NOTE = 1000


def checked_note(note: str | None, *, field: str) -> str:
    value = (note or "").strip()
    if len(value) > MAX_NOTE:
        raise AppError(ErrorCode.VALIDATION, "reports.note_too_long", field=field, max=MAX_NOTE)
    return value


async def change_status(
    *,
    staff: StaffMember,
    report: Report,
    status: str,
    note: str = "",
    internal_note: str = "",
    duplicate_of: Report | None = None,
) -> Report:
    try:
        target = parse_status(status)
    except TransitionError as error:
        raise as_app_error(error, field="status") from None
    if target is Status.DUPLICATE:
        if duplicate_of is None:
            raise AppError(
                ErrorCode.VALIDATION, "reports.duplicate_needs_original", field="duplicateOfId"
            )
        return await merge(
            staff=staff, source=report, target=duplicate_of, note=note, internal_note=internal_note
        )
    note = checked_note(note, field="note")
    internal_note = checked_note(internal_note, field="internalNote")
    try:
        validate_transition(report.status, target, actor=Actor.STAFF)
    except TransitionError as error:
        raise as_app_error(error, field="status") from None
    async with in_transaction():
        previous = report.status
        _move(report, target, note)
        await report.save()
        await events.record(
            report, "status", staff=staff, from_status=previous, to_status=target, note=note
        )
        if internal_note:
            await events.record(report, "note", staff=staff, note=internal_note, public=False)
        await events.tell_people(report, "reports.notify.status", note=note)
    events.publish(report)
    return report


def _move(report: Report, target: Status, note: str) -> None:
    now = clock.now()
    if (
        target in (Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED)
        and report.acknowledged_at is None
    ):
        report.acknowledged_at = now
    report.resolved_at = now if target is Status.RESOLVED else None
    report.status = target
    report.updated_at = now
    if note:
        report.public_note = note


async def merge(
    *, staff: StaffMember, source: Report, target: Report, note: str = "", internal_note: str = ""
) -> Report:
    """Close ``source`` as a duplicate of ``target``; its reporter and followers follow ``target``."""
    note = checked_note(note, field="note")
    internal_note = checked_note(internal_note, field="internalNote")
    if source.id == target.id:
        raise AppError(ErrorCode.VALIDATION, "reports.merge_into_itself", field="targetId")
    if target.status == Status.DUPLICATE:
        raise AppError(
            ErrorCode.VALIDATION,
            "reports.merge_chain",
            field="targetId",
            receipt=target.receipt_number,
        )
    if target.status in CLOSED_STATUSES:
        raise AppError(
            ErrorCode.VALIDATION,
            "reports.merge_target_closed",
            field="targetId",
            receipt=target.receipt_number,
        )
    try:
        validate_transition(source.status, Status.DUPLICATE, actor=Actor.STAFF)
    except TransitionError as error:
        raise as_app_error(error, field="sourceId") from None
    async with in_transaction():
        previous = source.status
        source.status, source.duplicate_of_id = Status.DUPLICATE, target.id
        source.resolved_at, source.updated_at = None, clock.now()
        source.public_note = note or target.receipt_number
        await source.save()
        await events.tell_people(
            source, "reports.notify.duplicate", original=target.receipt_number, note=note
        )
        await _move_followers(source, target)
        await Report.filter(duplicate_of_id=source.id).update(duplicate_of_id=target.id)
        await events.record(
            source,
            "status",
            staff=staff,
            from_status=previous,
            to_status=Status.DUPLICATE,
            note=note or target.receipt_number,
        )
        if internal_note:
            await events.record(source, "note", staff=staff, note=internal_note, public=False)
        await events.record(target, "merged", staff=staff, note=source.receipt_number)
        target.updated_at = clock.now()
        await target.save(update_fields=["updated_at"])
    events.publish(source)
    events.publish(target)
    return source


async def _move_followers(source: Report, target: Report) -> None:
    """Followers of ``source`` and its reporter now follow ``target`` (each once)."""
    already = set(
        await ReportFollower.filter(report_id=target.id).values_list("resident_id", flat=True)
    )
    moving = await ReportFollower.filter(report_id=source.id).values_list("resident_id", flat=True)
    newcomers = {*moving, *([source.reporter_id] if source.reporter_id else [])}
    newcomers -= already | ({target.reporter_id} if target.reporter_id else set())
    now = clock.now()
    await ReportFollower.bulk_create(
        [
            ReportFollower(report_id=target.id, resident_id=resident_id, created_at=now)
            for resident_id in sorted(newcomers)
        ]
    )
    await ReportFollower.filter(report_id=source.id).delete()


async def assign(
    *,
    staff: StaffMember,
    report: Report,
    assignee_id: str | None = None,
    department_code: str | None = None,
    note: str = "",
) -> Report:
    """Give the report to a member of staff (and their department), or to a department."""
    note = checked_note(note, field="note")
    assignee = await _staff_by_public_id(assignee_id) if assignee_id else None
    department = None
    if department_code:
        department = await Department.get_or_none(code=department_code)
        if department is None:
            raise AppError(
                ErrorCode.VALIDATION,
                "reports.department_unknown",
                field="departmentCode",
                value=department_code[:40],
            )
    elif assignee is not None:
        department = assignee.department
    async with in_transaction():
        report.assignee = assignee
        if department is not None:
            report.department = department
        report.updated_at = clock.now()
        await report.save(update_fields=["assignee_id", "department_id", "updated_at"])
        who = assignee.display_name if assignee else "-"
        where = department.code if department else ""
        text = " ".join(part for part in (who, f"({where})" if where else "", note) if part)
        await events.record(report, "assigned", staff=staff, note=text, public=False)
    events.publish(report)
    return report


async def _staff_by_public_id(public_id: str) -> StaffMember:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise AppError(
            ErrorCode.VALIDATION, "reports.assignee_unknown", field="assigneeId"
        ) from None
    member = await StaffMember.get_or_none(public_id=key, is_active=True).select_related(
        "department"
    )
    if member is None:
        raise AppError(ErrorCode.VALIDATION, "reports.assignee_unknown", field="assigneeId")
    return member


async def add_note(*, staff: StaffMember, report: Report, note: str, public: bool) -> Report:
    note = checked_note(note, field="note")
    if not note:
        return report
    async with in_transaction():
        await events.record(report, "note", staff=staff, note=note, public=public)
        report.updated_at = clock.now()
        if public:
            report.public_note = note
            await events.tell_people(report, "reports.notify.note", note=note)
        await report.save(update_fields=["public_note", "updated_at"])
    events.publish(report)
    return report


async def hide_report(
    *, staff: StaffMember, report: Report, hidden: bool, reason: str = ""
) -> Report:
    reason = checked_note(reason, field="reason")
    async with in_transaction():
        report.hidden, report.hidden_reason = hidden, reason if hidden else ""
        report.updated_at = clock.now()
        await report.save(update_fields=["hidden", "hidden_reason", "updated_at"])
        await events.record(
            report, "hidden" if hidden else "shown", staff=staff, note=reason, public=False
        )
    events.publish(report, shown_or_hidden=True)
    return report


async def hide_photo(
    *, staff: StaffMember, photo_id: str, hidden: bool, reason: str = ""
) -> Report:
    reason = checked_note(reason, field="reason")
    key = public_id_or_not_found(photo_id)
    photo = await ReportPhoto.get_or_none(public_id=key).select_related(
        "report", "report__category"
    )
    if photo is None:
        raise not_found()
    report = photo.report
    async with in_transaction():
        photo.hidden = hidden
        await photo.save(update_fields=["hidden"])
        report.updated_at = clock.now()
        await report.save(update_fields=["updated_at"])
        kind = "photo_hidden" if hidden else "photo_shown"
        await events.record(report, kind, staff=staff, note=reason, public=False)
    events.publish(report)
    return report
