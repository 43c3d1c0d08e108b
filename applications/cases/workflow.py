"""The case workflow: which status may follow which, and the change itself with its history
line and the resident's notification, in the caller's transaction."""

from __future__ import annotations

from accounts.models import Resident, StaffMember
from applications.cases.models import Case, CaseEvent, CaseEventKind, CaseStatus
from core import clock
from core.errors import AppError, ErrorCode
from notifications.preferences.service import Reach
from notifications.service import Update, notify, notify_each

S = CaseStatus
NEXT: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.AWAITING_PAYMENT: frozenset({S.AWAITING_VISIT, S.SUBMITTED, S.WITHDRAWN}),
    S.AWAITING_VISIT: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.NEEDS_INFO, S.APPROVED, S.REJECTED}),
    S.NEEDS_INFO: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.COMPLETED}),
    S.REJECTED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
OPEN = frozenset(s for s, following in NEXT.items() if following)
#: A closed case: its attachments are kept for the procedure's retention, then deleted.
CLOSED = frozenset({S.COMPLETED, S.WITHDRAWN})
WITHDRAWABLE = frozenset(s for s, following in NEXT.items() if S.WITHDRAWN in following)


def ensure_can_move(case: Case, to: CaseStatus) -> None:
    if to not in NEXT[case.status]:
        raise AppError(
            ErrorCode.CONFLICT,
            "applications.bad_transition",
            status=case.status.value,
            to=to.value,
        )


async def move(
    case: Case,
    to: CaseStatus,
    *,
    staff: StaffMember | None = None,
    by_resident: bool = False,
    message: str = "",
    kind: CaseEventKind = CaseEventKind.STATUS,
) -> CaseEvent:
    """Change the status (checked), write the history line and tell the resident."""
    ensure_can_move(case, to)
    before, now = case.status, clock.now()
    case.status = to
    changed = ["status", "updated_at"]
    if to in (S.APPROVED, S.REJECTED):
        case.decided_at = now
        changed.append("decided_at")
    if to in CLOSED:
        case.closed_at = now
        changed.append("closed_at")
    await case.save(update_fields=changed)
    event = await CaseEvent.create(
        case=case,
        at=now,
        kind=kind,
        from_status=before.value,
        to_status=to.value,
        message=message,
        by_staff=staff,
        by_resident=by_resident,
    )
    await tell(case, "applications.status_changed", status=to.value)
    return event


async def tell(
    case: Case, message_key: str, *, resident: Resident | None = None, **params: object
) -> None:
    """A notification to the case's resident through the outbox, in the caller's transaction."""
    if resident is None or resident.id != case.resident_id:
        resident = await Resident.get(id=case.resident_id)
    update = _update(case, message_key, params)
    await notify(
        resident,
        kind=update.kind,
        message_key=update.message_key,
        params=update.params,
        link=update.link,
    )


async def tell_each(
    cases: list[Case], message_key: str, *, resident: Resident, reach: Reach | None = None
) -> None:
    """`tell` for several cases of one resident (a submission), in one go."""
    await notify_each(resident, [_update(case, message_key, {}) for case in cases], reach)


def _update(case: Case, message_key: str, params: dict[str, object]) -> Update:
    status = str(params.pop("status", case.status.value))
    return Update(
        kind="application",
        message_key=message_key,
        params={
            "receipt": case.receipt_number,
            "status_ja": status_name(status, "ja"),
            "status_en": status_name(status, "en"),
            **params,
        },
        link=f"madoguchi://cases/{case.public_id}",
    )


def status_name(status: str, language: str) -> str:
    from core.i18n import t

    return t(f"applications.status.{status}", language)
