"""Strawberry types of applications and cases."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from accounts.models import StaffMember
from applications import links
from applications.attachments.models import Attachment
from applications.attachments.service import attachments_of_case
from applications.cases.forms import form_of
from applications.cases.models import Application, Case, CaseEvent
from applications.cases.service import history
from applications.cases.staff import record_view
from applications.cases.workflow import OPEN, status_name
from applications.catalogue.types import (
    DepartmentType,
    ProcedureType,
    VersionsById,
    department_type,
)
from applications.forms.validation import FieldError, missing_fields
from applications.receipts.pdf import qr_payload, qr_svg
from booking.models import Reservation
from core import clock


@strawberry.enum(name="CaseStatus")
class CaseStatusEnum(Enum):
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    AWAITING_VISIT = "AWAITING_VISIT"
    SUBMITTED = "SUBMITTED"
    IN_REVIEW = "IN_REVIEW"
    NEEDS_INFO = "NEEDS_INFO"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    COMPLETED = "COMPLETED"
    WITHDRAWN = "WITHDRAWN"


_OPEN_VALUES = frozenset(status.value for status in OPEN)


@strawberry.type(name="FieldError")
class FieldErrorType:
    field: str
    path: list[str]
    code: str
    message: str

    @classmethod
    def of(cls, error: FieldError, ui: dict, language: str) -> FieldErrorType:
        return cls(
            field=error.field,
            path=list(error.path),
            code=error.code,
            message=error.message(ui, language),
        )


@strawberry.type(name="Attachment")
class AttachmentType:
    id: strawberry.ID
    field_key: str
    filename: str
    content_type: str
    size: int
    sha256: str
    available: bool
    url: str | None = strawberry.field(description="A link for you, valid 15 minutes.")

    @classmethod
    def of(cls, info: Info, attachment: Attachment) -> AttachmentType:
        available = attachment.purged_at is None
        public_id = str(attachment.public_id)
        return cls(
            id=strawberry.ID(public_id),
            field_key=attachment.field_key,
            filename=attachment.filename,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            available=available,
            url=links.attachment_url(info.context, public_id) if available else None,
        )


@strawberry.type(name="CaseEvent")
class CaseEventType:
    at: datetime
    kind: str
    from_status: str | None
    to_status: str | None
    message: str
    by_staff: bool
    by_resident: bool

    @classmethod
    def of(cls, event: CaseEvent) -> CaseEventType:
        return cls(
            at=event.at,
            kind=event.kind.value,
            from_status=event.from_status or None,
            to_status=event.to_status or None,
            message=event.message,
            by_staff=event.by_staff_id is not None,
            by_resident=event.by_resident,
        )


@strawberry.type(name="CounterVisit")
class CounterVisitType:
    start: datetime
    end: datetime
    receipt_number: str
    qr_payload: str | None = strawberry.field(
        description="For the counter's scanner; only in the answer that booked it."
    )

    @strawberry.field
    def qr_svg(self) -> str | None:
        # Drawn only when asked for: the payload alone is enough for an app that draws it.
        return qr_svg(self.qr_payload) if self.qr_payload else None


def visit_type(case: Case, reservation: Reservation, secret: str | None) -> CounterVisitType:
    return CounterVisitType(
        start=reservation.starts_at,
        end=reservation.ends_at,
        receipt_number=case.receipt_number,
        qr_payload=qr_payload(case.receipt_number, secret) if secret else None,
    )


@strawberry.type(name="Case")
class CaseType:
    model: strawberry.Private[Case]
    id: strawberry.ID
    receipt_number: str
    status: CaseStatusEnum
    status_label: str
    fee_yen: int
    paid_yen: int
    submitted_at: datetime
    due_at: datetime
    decided_at: datetime | None
    decision_reason: str
    #: False for a case listed in the queue: a clerk reading its resident's data there is
    #: audited then (opening a case or acting on it is audited by the service).
    staff_view_audited: strawberry.Private[bool] = True

    async def _seen(self, info: Info) -> None:
        if info.context.staff is not None and not self.staff_view_audited:
            self.staff_view_audited = True
            await record_view(info.context.staff, self.model, via="queue")

    @strawberry.field
    def overdue(self) -> bool:
        return self.model.status.value in _OPEN_VALUES and self.model.due_at < clock.now()

    @strawberry.field
    async def procedure(self, info: Info) -> ProcedureType:
        view = await info.context.loader(VersionsById).load(self.model.procedure_version_id)
        return ProcedureType.of(view, info.context.language)

    @strawberry.field
    async def department(self, info: Info) -> DepartmentType:
        return await department_type(info, self.model.department_id)

    @strawberry.field(description="The answers as filed (personal data: audited for staff).")
    async def answers(self, info: Info) -> JSON:
        await self._seen(info)
        return cast(JSON, self.model.answers)

    @strawberry.field(description="Staff only: the applicant's name, for the counter (audited).")
    async def applicant_name(self, info: Info) -> str | None:
        if info.context.staff is None:
            return None
        await self._seen(info)
        return self.model.applicant_name

    @strawberry.field
    async def claimed_by(self, info: Info) -> str | None:
        if info.context.staff is None or not self.model.claimed_by_id:
            return None
        member = await StaffMember.get_or_none(id=self.model.claimed_by_id)
        return member.display_name if member else None

    @strawberry.field
    async def history(self, info: Info) -> list[CaseEventType]:
        await self._seen(info)
        return [CaseEventType.of(e) for e in await history(self.model)]

    @strawberry.field(description="What the city asked and what was answered.")
    async def messages(self, info: Info) -> list[CaseEventType]:
        await self._seen(info)
        return [CaseEventType.of(e) for e in await history(self.model) if e.message]

    @strawberry.field
    async def attachments(self, info: Info) -> list[AttachmentType]:
        await self._seen(info)
        return [AttachmentType.of(info, a) for a in await attachments_of_case(self.model)]

    @strawberry.field
    async def counter_visit(self) -> CounterVisitType | None:
        if not self.model.visit_id:
            return None
        reservation = await Reservation.get_or_none(id=self.model.visit_id)
        return visit_type(self.model, reservation, None) if reservation else None

    @classmethod
    def of(cls, case: Case, language: str, *, staff_view_audited: bool = True) -> CaseType:
        return cls(
            model=case,
            staff_view_audited=staff_view_audited,
            id=strawberry.ID(str(case.public_id)),
            receipt_number=case.receipt_number,
            status=CaseStatusEnum(case.status.value),
            status_label=status_name(case.status.value, language),
            fee_yen=case.fee_yen,
            paid_yen=case.paid_yen,
            submitted_at=case.submitted_at,
            due_at=case.due_at,
            decided_at=case.decided_at,
            decision_reason=case.decision_reason,
        )


@strawberry.type(name="Application")
class ApplicationType:
    model: strawberry.Private[Application]
    #: The cases when the caller has them already (a submission just made them).
    known_cases: strawberry.Private[list[Case] | None]
    errors: list[FieldErrorType] = strawberry.field(
        description="Problems with the answers saved so far (saveAnswers)."
    )
    id: strawberry.ID
    status: str
    life_event_code: str | None
    fee_total_yen: int
    created_at: datetime
    submitted_at: datetime | None

    @strawberry.field
    async def procedures(self, info: Info) -> list[ProcedureType]:
        views = await info.context.loader(VersionsById).load_many(list(self.model.version_ids))
        return [ProcedureType.of(v, info.context.language) for v in views]

    @strawberry.field(description="The merged form: each shared question once.")
    async def form_schema(self) -> JSON:
        return (await form_of(self.model))["schema"]

    @strawberry.field
    async def ui_schema(self) -> JSON:
        return (await form_of(self.model))["ui"]

    @strawberry.field
    def answers(self) -> JSON:
        return cast(JSON, self.model.answers)

    @strawberry.field(description="Fields still to answer before submitting.")
    async def missing(self) -> list[str]:
        if self.model.status.value != "DRAFT":
            return []
        return missing_fields((await form_of(self.model))["schema"], self.model.answers)

    @strawberry.field
    async def cases(self, info: Info) -> list[CaseType]:
        found = self.known_cases
        if found is None:
            found = await Case.filter(application_id=self.model.id).order_by("id")
        return [CaseType.of(c, info.context.language) for c in found]

    @strawberry.field
    async def attachments(self, info: Info) -> list[AttachmentType]:
        found = await Attachment.filter(application_id=self.model.id).order_by("id")
        return [AttachmentType.of(info, a) for a in found]

    @strawberry.field(description="The printable receipt (申請控え), a link valid 15 minutes.")
    def receipt_pdf_url(self, info: Info) -> str | None:
        if self.model.status.value != "SUBMITTED" or info.context.resident is None:
            return None
        return links.receipt_url(info.context, str(self.model.public_id))

    @classmethod
    def of(
        cls,
        application: Application,
        errors: list[FieldErrorType] | None = None,
        cases: list[Case] | None = None,
    ) -> ApplicationType:
        return cls(
            model=application,
            known_cases=cases,
            errors=errors or [],
            id=strawberry.ID(str(application.public_id)),
            status=application.status.value,
            life_event_code=application.life_event_code or None,
            fee_total_yen=application.fee_total_yen,
            created_at=application.created_at,
            submitted_at=application.submitted_at,
        )


@strawberry.type
class SubmitApplicationPayload:
    application: ApplicationType
    lookup_secret: str = strawberry.field(
        description="The status-lookup secret (照会キー), shown once here; keep it."
    )


@strawberry.type
class CaseStatusLookup:
    receipt_number: str
    status: CaseStatusEnum
    status_label: str
    procedure_name: str
    updated_at: datetime
