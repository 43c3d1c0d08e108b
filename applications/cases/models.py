"""A resident's application (a draft, then a submission) and the cases it files."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields, models

from booking.models import UtcDatetimeField

if TYPE_CHECKING:
    from accounts.models import Department, Resident, StaffMember
    from applications.catalogue.models import Procedure, ProcedureVersion
    from booking.models import Reservation


class ApplicationStatus(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"


class CaseStatus(StrEnum):
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    AWAITING_VISIT = "AWAITING_VISIT"
    SUBMITTED = "SUBMITTED"
    IN_REVIEW = "IN_REVIEW"
    NEEDS_INFO = "NEEDS_INFO"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    COMPLETED = "COMPLETED"
    WITHDRAWN = "WITHDRAWN"


class Application(models.Model):
    id = fields.IntField(primary_key=True)
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    resident_id: int
    resident: fields.ForeignKeyRelation[Resident] = fields.ForeignKeyField(
        "accounts.Resident", related_name="applications", on_delete=fields.RESTRICT
    )
    life_event_code = fields.CharField(max_length=60, default="")
    status = fields.CharEnumField(ApplicationStatus, max_length=12, default=ApplicationStatus.DRAFT)
    #: The procedure versions bundled, in order (ProcedureVersion ids).
    version_ids: fields.JSONField[list[int]] = fields.JSONField(default=list)
    answers: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    fee_total_yen = fields.IntField(default=0)
    #: Random salt of the status-lookup secret (照会キー), which is derived, never stored.
    lookup_salt = fields.CharField(max_length=32, default="")
    payment_reference = fields.CharField(max_length=64, default="")
    created_at = UtcDatetimeField(auto_now_add=True)
    updated_at = UtcDatetimeField(auto_now=True)
    submitted_at = UtcDatetimeField(null=True)

    class Meta:
        table = "application"
        indexes = (("resident_id", "status"), ("status", "updated_at"))


class Case(models.Model):
    """One procedure of a submission, with its own receipt number, status and history."""

    id = fields.IntField(primary_key=True)
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    receipt_number = fields.CharField(max_length=20, unique=True)
    application_id: int
    resident_id: int
    procedure_id: int
    procedure_version_id: int
    department_id: int
    claimed_by_id: int | None
    visit_id: int | None
    application: fields.ForeignKeyRelation[Application] = fields.ForeignKeyField(
        "applications.Application", related_name="cases", on_delete=fields.RESTRICT
    )
    resident: fields.ForeignKeyRelation[Resident] = fields.ForeignKeyField(
        "accounts.Resident", related_name="cases", on_delete=fields.RESTRICT
    )
    procedure: fields.ForeignKeyRelation[Procedure] = fields.ForeignKeyField(
        "applications.Procedure", related_name="cases", on_delete=fields.RESTRICT
    )
    procedure_version: fields.ForeignKeyRelation[ProcedureVersion] = fields.ForeignKeyField(
        "applications.ProcedureVersion", related_name="cases", on_delete=fields.RESTRICT
    )
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "accounts.Department", related_name="cases", on_delete=fields.RESTRICT
    )
    status = fields.CharEnumField(CaseStatus, max_length=20)
    #: The answers this procedure's form asks, as filed (and as completed on request).
    answers: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    #: For the clerks' search. Personal: never logged.
    applicant_name = fields.CharField(max_length=100, default="")
    fee_yen = fields.IntField(default=0)
    paid_yen = fields.IntField(default=0)
    refunded = fields.BooleanField(default=False)
    claimed_by: fields.ForeignKeyNullableRelation[StaffMember] = fields.ForeignKeyField(
        "accounts.StaffMember", related_name="claimed_cases", null=True, on_delete=fields.SET_NULL
    )
    visit: fields.ForeignKeyNullableRelation[Reservation] = fields.ForeignKeyField(
        "booking.Reservation", related_name="cases", null=True, on_delete=fields.SET_NULL
    )
    submitted_at = UtcDatetimeField()
    due_at = UtcDatetimeField()
    decided_at = UtcDatetimeField(null=True)
    decision_reason = fields.CharField(max_length=1000, default="")
    closed_at = UtcDatetimeField(null=True)
    updated_at = UtcDatetimeField(auto_now=True)

    class Meta:
        table = "application_case"
        indexes = (
            ("department_id", "status", "id"),
            ("department_id", "procedure_id", "id"),
            ("resident_id", "id"),
            ("status", "closed_at"),
        )


class CaseEventKind(StrEnum):
    STATUS = "STATUS"
    INFO_REQUESTED = "INFO_REQUESTED"
    INFO_ANSWERED = "INFO_ANSWERED"
    CLAIMED = "CLAIMED"


class CaseEvent(models.Model):
    """A line of a case's history. Its `message` is shown to the resident."""

    id = fields.IntField(primary_key=True)
    case_id: int
    by_staff_id: int | None
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "applications.Case", related_name="events", on_delete=fields.CASCADE
    )
    at = UtcDatetimeField()
    kind = fields.CharEnumField(CaseEventKind, max_length=20)
    from_status = fields.CharField(max_length=20, default="")
    to_status = fields.CharField(max_length=20, default="")
    message = fields.TextField(default="")
    by_staff: fields.ForeignKeyNullableRelation[StaffMember] = fields.ForeignKeyField(
        "accounts.StaffMember", related_name="case_events", null=True, on_delete=fields.SET_NULL
    )
    by_resident = fields.BooleanField(default=False)

    class Meta:
        table = "application_case_event"
        indexes = (("case_id", "id"),)
