"""A resident's applications: start a draft, save answers, submit (one case per procedure),
follow cases, answer a request for information, withdraw. Each use case owns its transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

import applications.texts  # noqa: F401 - registers the texts
from accounts.models import Resident
from accounts.service import on_merge
from applications.attachments.models import Attachment
from applications.cases import rows, secrets
from applications.cases.forms import (
    ensure_small,
    errors_in,
    form_error,
    form_of,
    merged_form,
)
from applications.cases.models import (
    Application,
    ApplicationStatus,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
)
from applications.cases.workflow import WITHDRAWABLE, move, tell_each
from applications.catalogue import service as catalogue
from applications.catalogue.service import ProcedureView
from applications.fees import refunds as fee_refunds
from applications.forms.definition import is_shared
from applications.forms.merge import answers_for
from applications.forms.validation import FieldError
from booking import service as booking
from booking.models import ACTIVE_STATUSES, ReservationStatus
from core import clock
from core.errors import AppError, ErrorCode, invalid, not_found, public_id_or_not_found
from core.receipts import receipt_number
from notifications.preferences.service import reach_of

MAX_PROCEDURES = 10
MAX_MESSAGE = 2000


# --- drafts ---------------------------------------------------------------------------


async def start_application(
    *,
    resident: Resident,
    life_event_code: str | None,
    procedure_codes: list[str] | None,
    event_answers: object = None,
) -> Application:
    """A draft for the procedures chosen (or those the life event's answers call for),
    pre-filled with the resident's latest answers to the shared questions."""
    codes = await _chosen_codes(life_event_code, procedure_codes, event_answers)
    procedures = await catalogue.current_procedures(codes)
    known = {p.code for p in procedures}
    for code in codes:
        if code not in known:
            raise invalid("applications.unknown_procedure", field="procedureCodes", procedure=code)
    form = merged_form(procedures)
    return await Application.create(
        resident=resident,
        life_event_code=life_event_code or "",
        version_ids=[p.version_id for p in procedures],
        answers=await _prefill(resident, form),
    )


async def _chosen_codes(
    life_event_code: str | None, codes: list[str] | None, event_answers: Any
) -> list[str]:
    if codes is None and life_event_code:
        event = await catalogue.life_event(life_event_code)
        answers = catalogue.check_event_answers(event, event_answers)
        codes = catalogue.procedures_for_event(event, answers)
    elif life_event_code:
        await catalogue.life_event(life_event_code)
    unique = list(dict.fromkeys(codes or []))
    if not unique:
        raise invalid("applications.no_procedures", field="procedureCodes")
    if len(unique) > MAX_PROCEDURES:
        raise invalid(
            "applications.too_many_procedures", field="procedureCodes", max=MAX_PROCEDURES
        )
    return unique


async def _prefill(resident: Resident, form: dict[str, Any]) -> dict[str, Any]:
    """Shared answers from the resident's latest submissions (newest wins)."""
    wanted = {k for k in form["schema"]["properties"] if is_shared(k)}
    recent = (
        await Application.filter(resident_id=resident.id, status=ApplicationStatus.SUBMITTED)
        .order_by("-submitted_at", "-id")
        .limit(5)
        .values_list("answers", flat=True)
    )
    filled: dict[str, Any] = {}
    for answers in recent:
        for key in wanted - set(filled):
            if key in answers:
                filled[key] = answers[key]
    return filled


async def application_of(resident: Resident, application_id: object) -> Application:
    """The resident's own application; anyone else's is NOT_FOUND, like a missing one."""
    found = await Application.get_or_none(
        public_id=public_id_or_not_found(application_id), resident_id=resident.id
    )
    if found is None:
        raise not_found()
    return found


async def _locked_draft(resident: Resident, application_id: object) -> Application:
    locked = await Application.select_for_update().get_or_none(
        public_id=public_id_or_not_found(application_id), resident_id=resident.id
    )
    if locked is None:
        raise not_found()
    if locked.status is not ApplicationStatus.DRAFT:
        raise AppError(ErrorCode.CONFLICT, "applications.not_draft")
    return locked


@dataclass
class Saved:
    application: Application
    errors: list[FieldError] = field(default_factory=list)


async def save_answers(*, resident: Resident, application_id: object, answers: Any) -> Saved:
    """Merge partial answers into the draft (null removes one). Fields the form does not ask
    are not kept; other errors are returned and the answers kept, to be fixed later."""
    if not isinstance(answers, dict):
        raise invalid("applications.field.not_an_object", field="answers")
    ensure_small(answers)
    async with in_transaction():
        application = await _locked_draft(resident, application_id)
        form = await form_of(application)
        asked = form["schema"]["properties"]
        merged = dict(application.answers)
        for key, value in answers.items():
            if value is None:
                merged.pop(key, None)
            elif key in asked:
                merged[key] = value
        ensure_small(merged)
        application.answers = merged
        await application.save(update_fields=["answers", "updated_at"])
    errors = errors_in(
        form, {**merged, **{k: v for k, v in answers.items() if k not in asked}}, partial=True
    )
    return Saved(application, errors)


# --- submission -----------------------------------------------------------------------


@dataclass
class Submitted:
    application: Application
    cases: list[Case]
    lookup_secret: str
    #: The procedure versions filed, as the checks read them.
    procedures: list[ProcedureView] = field(default_factory=list)


async def submit_application(
    *, resident: Resident, application_id: object, secret_key: str, language: str
) -> Submitted:
    """Check everything, then file one case per procedure; on any error nothing is stored.

    The checks run before the transaction, which on SQLite holds the one connection every
    request waits for; they run again inside it only if the draft changed in between. The
    statements are written out (applications.cases.rows): Tortoise's machinery around each
    would cost most of a submission."""
    public_id = public_id_or_not_found(application_id)
    draft = await rows.draft(resident.id, public_id, lock=False)
    if draft is None:
        raise not_found()
    if draft.application.status is not ApplicationStatus.DRAFT:
        raise AppError(ErrorCode.CONFLICT, "applications.not_draft")
    procedures = await _checked_procedures(draft, language)
    reach = (await reach_of([resident]))[resident.id]
    async with in_transaction():
        # The draft is marked first, only if its answers are those just checked: that one
        # statement locks it (PostgreSQL) and stands for reading it again.
        now = clock.now()
        application = draft.application
        cases = _filed(application, procedures, now)
        if not await rows.mark_submitted(application, unchanged=draft):
            application, procedures, cases = await _filed_after_change(
                resident, public_id, language, now
            )
        await rows.insert_cases(cases)
        await rows.insert_status_events(cases, now)
        await tell_each(cases, "applications.status_changed", resident=resident, reach=reach)
    secret = secrets.lookup_secret(secret_key, application.lookup_salt)
    return Submitted(application, cases, secret, procedures)


def _filed(application: Application, procedures: list[ProcedureView], now: datetime) -> list[Case]:
    """The cases of the submission, and the application marked submitted (not yet written)."""
    cases = [_new_case(application, p, application.answers, now) for p in procedures]
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = application.updated_at = now
    application.fee_total_yen = sum(c.fee_yen for c in cases)
    application.lookup_salt = secrets.new_salt()
    return cases


async def _filed_after_change(
    resident: Resident, public_id: uuid.UUID, language: str, now: datetime
) -> tuple[Application, list[ProcedureView], list[Case]]:
    """The draft changed (or went) since it was checked: read it again, locked, and check
    it again."""
    locked = await rows.draft(resident.id, public_id, lock=True)
    if locked is None or locked.application.status is not ApplicationStatus.DRAFT:
        raise AppError(ErrorCode.CONFLICT, "applications.not_draft")
    application = locked.application
    procedures = await _checked_procedures(locked, language)
    cases = _filed(application, procedures, now)
    await rows.mark_submitted(application)
    return application, procedures, cases


async def _checked_procedures(draft: rows.Draft, language: str) -> list[ProcedureView]:
    """The draft's procedures, once its answers and their files pass every check."""
    application = draft.application
    procedures = await catalogue.views_of(list(application.version_ids), draft.checksums)
    form = merged_form(procedures)
    answers = application.answers
    errors = errors_in(form, answers, partial=False)
    errors += _missing_files(form, answers, draft.files)
    if errors:
        raise form_error(sorted(errors, key=lambda e: e.path), form["ui"], language)
    return procedures


async def _attachment_errors(
    application: Application, form: dict[str, Any], answers: dict[str, Any]
) -> list[FieldError]:
    """Every file an answer names was uploaded to this application, for that field."""
    named = {
        value
        for key, prop in form["schema"]["properties"].items()
        for value in _attachment_ids(prop, answers.get(key))
    }
    if not named:
        return []
    uploaded = await rows.uploaded(application.id, sorted(named))
    return _missing_files(form, answers, uploaded)


def _missing_files(
    form: dict[str, Any], answers: dict[str, Any], uploaded: set[tuple[str, str]]
) -> list[FieldError]:
    """An error for each file an answer names that is not among `uploaded` for its field."""
    named = {
        (key, value)
        for key, prop in form["schema"]["properties"].items()
        for value in _attachment_ids(prop, answers.get(key))
    }
    return [FieldError((key,), "attachment_missing") for key, v in sorted(named - uploaded)]


def _attachment_ids(prop: dict[str, Any], value: Any) -> list[str]:
    if prop.get("format") == "attachment" and isinstance(value, str):
        return [value]
    items = prop.get("items", {})
    if prop.get("type") == "array" and items.get("format") == "attachment":
        return [v for v in value or [] if isinstance(v, str)] if isinstance(value, list) else []
    return []


def new_receipt_number() -> str:
    return receipt_number(prefix="A", length=9)


def _new_case(
    application: Application, procedure: ProcedureView, answers: dict[str, Any], now: datetime
) -> Case:
    fee = procedure.fee_for(answers)
    if fee > 0:
        status = CaseStatus.AWAITING_PAYMENT
    elif procedure.needs_counter_visit:
        status = CaseStatus.AWAITING_VISIT
    else:
        status = CaseStatus.SUBMITTED
    return rows.new_case(
        receipt_number=new_receipt_number(),
        application_id=application.id,
        resident_id=application.resident_id,
        procedure_id=procedure.id,
        procedure_version_id=procedure.version_id,
        department_id=procedure.department_id,
        status=status,
        answers=answers_for(procedure.form, answers),
        applicant_name=str(answers.get("resident.name", ""))[:100],
        fee_yen=fee,
        submitted_at=now,
        due_at=now + timedelta(days=procedure.definition["processingDays"]),
    )


# --- after submission -----------------------------------------------------------------


async def my_applications(resident: Resident, limit: int = 50) -> list[Application]:
    return (
        await Application.filter(resident_id=resident.id)
        .order_by("-created_at", "-id")
        .limit(max(1, min(limit, 200)))
    )


async def case_of(resident: Resident, case_id: object) -> Case:
    found = await Case.get_or_none(
        public_id=public_id_or_not_found(case_id), resident_id=resident.id
    )
    if found is None:
        raise not_found()
    return found


async def _locked_case(resident: Resident, case_id: object) -> Case:
    case = await case_of(resident, case_id)
    return await Case.select_for_update().get(id=case.id)


def checked_message(message: str | None, *, required: bool, field: str = "message") -> str:
    text = (message or "").strip()
    if (required and not text) or len(text) > MAX_MESSAGE:
        raise invalid("applications.message_required", field=field, max=MAX_MESSAGE)
    return text


async def answer_info_request(
    *,
    resident: Resident,
    case_id: object,
    message: str | None,
    answers: Any,
    attachment_ids: list[str],
    language: str,
) -> Case:
    """Answer what the clerk asked: new answers are checked against the case's own form
    version, and the case goes back to review."""
    text = checked_message(message, required=False)
    patch = answers or {}
    if not isinstance(patch, dict):
        raise invalid("applications.field.not_an_object", field="answers")
    ensure_small(patch)
    async with in_transaction():
        case = await _locked_case(resident, case_id)
        if case.status is not CaseStatus.NEEDS_INFO:
            raise AppError(
                ErrorCode.CONFLICT,
                "applications.bad_transition",
                status=case.status.value,
                to=CaseStatus.IN_REVIEW.value,
            )
        procedure = (await catalogue.versions_by_id([case.procedure_version_id]))[0]
        merged = {**case.answers, **patch}
        merged = {k: v for k, v in merged.items() if v is not None}
        application = await Application.get(id=case.application_id)
        errors = errors_in(procedure.form, merged, partial=False)
        errors += await _attachment_errors(application, procedure.form, merged)
        await _ensure_own_attachments(application, attachment_ids)
        if errors:
            raise form_error(errors, procedure.form["ui"], language)
        case.answers = merged
        await case.save(update_fields=["answers", "updated_at"])
        await move(
            case,
            CaseStatus.IN_REVIEW,
            by_resident=True,
            message=text,
            kind=CaseEventKind.INFO_ANSWERED,
        )
    return case


async def _ensure_own_attachments(application: Application, ids: list[str]) -> None:
    """Files named by id are this submission's; any other (someone else's) is NOT_FOUND."""
    wanted = {str(public_id_or_not_found(i)) for i in ids}
    if not wanted:
        return
    found = await Attachment.filter(
        application_id=application.id, public_id__in=list(wanted)
    ).values_list("public_id", flat=True)
    if len(found) != len(wanted):
        raise not_found()


async def withdraw_case(*, resident: Resident, case_id: object) -> tuple[Case, list[int]]:
    """Withdraw an open case; a paid fee is refunded (ids of the refunds to send)."""
    async with in_transaction():
        case = await _locked_case(resident, case_id)
        if case.status not in WITHDRAWABLE:
            raise AppError(
                ErrorCode.CONFLICT,
                "applications.bad_transition",
                status=case.status.value,
                to=CaseStatus.WITHDRAWN.value,
            )
        await move(case, CaseStatus.WITHDRAWN, by_resident=True)
        await _free_counter_slot(case)
        refund_ids = await fee_refunds.refund_case(case, reason="withdrawn")
    return case, refund_ids


async def _free_counter_slot(case: Case) -> None:
    """A withdrawn case no longer needs its counter visit: the slot goes back to others."""
    if case.visit_id is None:
        return
    reservation = await booking.locked(case.visit_id)
    if reservation.status in ACTIVE_STATUSES:
        await booking.release(reservation, ReservationStatus.CANCELLED, cancelled_at=clock.now())


async def case_status(*, receipt: str, secret: str, secret_key: str) -> Case:
    """Anonymous status look-up: the receipt number and the submission's secret."""
    text = (receipt or "").strip().upper()
    case = await secrets.case_with_salt(text) if len(text) <= 20 else None
    if case is None or not secrets.matches(secret_key, case.application.lookup_salt, secret):
        raise AppError(ErrorCode.NOT_FOUND, "applications.bad_secret")
    return case


async def history(case: Case) -> list[CaseEvent]:
    return await CaseEvent.filter(case_id=case.id).order_by("id")


@on_merge
async def move_to(source: Resident, target: Resident) -> None:
    """A Telegram resident joined an app account: applications and cases move along."""
    await Application.filter(resident_id=source.id).update(resident_id=target.id)
    await Case.filter(resident_id=source.id).update(resident_id=target.id)
