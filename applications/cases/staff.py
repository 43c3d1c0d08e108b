"""What clerks do with cases: the queue, opening a case (by id or by the counter's QR),
claiming, asking for information, deciding, completing. Every action and every view of a
resident's data is written to the audit log in the same transaction."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from enum import StrEnum

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from accounts import audit
from accounts.models import Department, Role, StaffMember
from applications.cases import secrets
from applications.cases.models import Case, CaseEventKind, CaseStatus
from applications.cases.service import checked_message
from applications.cases.workflow import OPEN, move, tell
from applications.catalogue.models import Procedure
from applications.catalogue.service import versions_by_id
from applications.fees import refunds as fee_refunds
from core import clock
from core.errors import forbidden, invalid, not_found, public_id_or_not_found

MAX_PAGE = 100
SUBJECT = "case"


class Decision(StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"


def is_admin(staff: StaffMember) -> bool:
    return Role(staff.role) is Role.ADMIN


def _may_see(staff: StaffMember, case: Case) -> bool:
    return is_admin(staff) or case.department_id == staff.department_id


async def _case_for_staff(staff: StaffMember, case_id: object, *, lock: bool = False) -> Case:
    """A case of the staff member's department; another department's is NOT_FOUND."""
    query = Case.select_for_update() if lock else Case
    case = await query.get_or_none(public_id=public_id_or_not_found(case_id))
    if case is None or not _may_see(staff, case):
        raise not_found()
    return case


async def open_case(staff: StaffMember, case_id: object) -> Case:
    """A clerk looks at a case, its answers and files: written to the audit log."""
    case = await _case_for_staff(staff, case_id)
    await _audit(staff, case, "case.viewed")
    return case


async def record_view(staff: StaffMember, case: Case, *, via: str) -> None:
    """A clerk read a resident's data of a case reached otherwise than by opening it."""
    await _audit(staff, case, "case.viewed", via=via)


async def open_case_by_qr(staff: StaffMember, payload: str, secret_key: str) -> Case:
    """The counter scans the resident's QR code (MADOGUCHI:<receipt>:<secret>)."""
    parts = (payload or "").strip().split(":")
    if len(parts) != 3 or parts[0] != "MADOGUCHI" or len(parts[1]) > 20:
        raise invalid("applications.bad_secret", field="code")
    case = await secrets.case_with_salt(parts[1].upper())
    if (
        case is None
        or not _may_see(staff, case)
        or not secrets.matches(secret_key, case.application.lookup_salt, parts[2])
    ):
        raise not_found()
    await _audit(staff, case, "case.opened_at_counter")
    return case


async def _audit(staff: StaffMember, case: Case, action: str, **detail: object) -> None:
    await audit.record(
        staff=staff,
        action=action,
        subject_type=SUBJECT,
        subject_id=str(case.public_id),
        resident_id=case.resident_id,
        detail={"receipt": case.receipt_number, **detail},
    )


# --- the queue ----------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    department_code: str | None = None
    status: CaseStatus | None = None
    procedure_code: str | None = None
    overdue: bool = False
    search: str | None = None


@dataclass
class QueuePage:
    cases: list[Case]
    has_next: bool
    end_cursor: str | None


def cursor_of(case_id: int) -> str:
    return base64.urlsafe_b64encode(f"case:{case_id}".encode()).decode()


def _after_id(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        kind, number = base64.urlsafe_b64decode(cursor.encode()).decode().split(":")
        value = int(number)
    except (ValueError, UnicodeDecodeError):
        raise invalid("error.validation", field="after", detail="cursor") from None
    if kind != "case" or value < 0:
        raise invalid("error.validation", field="after", detail="cursor")
    return value


async def queue(
    staff: StaffMember, wanted: QueueFilter, *, first: int = 20, after: str | None = None
) -> QueuePage:
    """Cases of a department, oldest first; a clerk sees only their own department."""
    if not 1 <= first <= MAX_PAGE:
        raise invalid("error.validation", field="first", detail=f"1..{MAX_PAGE}")
    department_id = await _department_id(staff, wanted.department_code)
    query = Case.filter(department_id=department_id, id__gt=_after_id(after))
    if wanted.status is not None:
        query = query.filter(status=wanted.status)
    else:
        query = query.filter(status__in=[s.value for s in OPEN])
    if wanted.procedure_code:
        procedure_id = (
            await Procedure.filter(code=wanted.procedure_code).first().values_list("id", flat=True)
        )
        query = query.filter(procedure_id=procedure_id or -1)
    if wanted.overdue:
        query = query.filter(due_at__lt=clock.now(), status__in=[s.value for s in OPEN])
    search = (wanted.search or "").strip()[:100]
    if search:
        query = query.filter(Q(receipt_number=search.upper()) | Q(applicant_name__icontains=search))
    rows = await query.order_by("id").limit(first + 1)
    if search:
        await audit.record_many(
            staff=staff,
            action="case.found_by_search",
            subject_type=SUBJECT,
            subject_ids=[str(c.public_id) for c in rows[:first]],
        )
    page = rows[:first]
    return QueuePage(page, len(rows) > first, cursor_of(page[-1].id) if page else None)


async def _department_id(staff: StaffMember, code: str | None) -> int:
    if not code:
        return staff.department_id
    department = await Department.get_or_none(code=code)
    if department is None:
        raise not_found()
    if department.id != staff.department_id and not is_admin(staff):
        raise forbidden()
    return department.id


# --- actions ------------------------------------------------------------------------


async def claim(staff: StaffMember, case_id: object) -> Case:
    async with in_transaction():
        case = await _case_for_staff(staff, case_id, lock=True)
        await move(case, CaseStatus.IN_REVIEW, staff=staff, kind=CaseEventKind.CLAIMED)
        case.claimed_by_id = staff.id
        await case.save(update_fields=["claimed_by_id", "updated_at"])
        await _audit(staff, case, "case.claimed")
    return case


async def request_info(staff: StaffMember, case_id: object, message: str) -> Case:
    text = checked_message(message, required=True)
    async with in_transaction():
        case = await _case_for_staff(staff, case_id, lock=True)
        await move(
            case,
            CaseStatus.NEEDS_INFO,
            staff=staff,
            message=text,
            kind=CaseEventKind.INFO_REQUESTED,
        )
        await tell(case, "applications.info_requested", message=text)
        await _audit(staff, case, "case.info_requested")
    return case


async def decide(
    staff: StaffMember, case_id: object, decision: Decision, reason: str | None
) -> tuple[Case, list[int]]:
    """Approve or reject; a rejection needs a reason and refunds the fee when the
    procedure says so."""
    text = checked_message(reason, required=decision is Decision.REJECT, field="reason")
    to = CaseStatus.APPROVED if decision is Decision.APPROVE else CaseStatus.REJECTED
    async with in_transaction():
        case = await _case_for_staff(staff, case_id, lock=True)
        await move(case, to, staff=staff, message=text)
        case.decision_reason = text
        await case.save(update_fields=["decision_reason", "updated_at"])
        refund_ids: list[int] = []
        if to is CaseStatus.REJECTED:
            version = (await versions_by_id([case.procedure_version_id]))[0]
            if version.definition.get("refundOnReject"):
                refund_ids = await fee_refunds.refund_case(case, reason="rejected")
        await _audit(staff, case, "case.decided", decision=decision.value)
    return case, refund_ids


async def complete(staff: StaffMember, case_id: object) -> Case:
    async with in_transaction():
        case = await _case_for_staff(staff, case_id, lock=True)
        await move(case, CaseStatus.COMPLETED, staff=staff)
        await _audit(staff, case, "case.completed")
    return case


async def audit_log(staff: StaffMember, case_id: object) -> list:
    case = await _case_for_staff(staff, case_id)
    return await audit.entries(subject_type=SUBJECT, subject_id=str(case.public_id), limit=200)
