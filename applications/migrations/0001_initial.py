import functools
from json import dumps, loads
from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from applications.cases.models import ApplicationStatus, CaseEventKind, CaseStatus
from booking.models import UtcDatetimeField


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("accounts", "0002_audit_entry"),
        ("booking", "0003_facility_listed"),
    ]

    initial = True

    operations = [
        ops.CreateModel(
            name="Application",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="applications",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("life_event_code", fields.CharField(default="", max_length=60)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ApplicationStatus.DRAFT,
                        description="DRAFT: DRAFT\nSUBMITTED: SUBMITTED",
                        enum_type=ApplicationStatus,
                        max_length=12,
                    ),
                ),
                (
                    "version_ids",
                    fields.JSONField(
                        default=list,
                        description="The procedure versions bundled, in order (ProcedureVersion ids).",
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "answers",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("fee_total_yen", fields.IntField(default=0)),
                (
                    "lookup_salt",
                    fields.CharField(
                        default="",
                        description="Random salt of the status-lookup secret (照会キー), which is derived, never stored.",
                        max_length=32,
                    ),
                ),
                ("payment_reference", fields.CharField(default="", max_length=64)),
                ("created_at", UtcDatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", UtcDatetimeField(auto_now=True, auto_now_add=False)),
                ("submitted_at", UtcDatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "application",
                "app": "applications",
                "indexes": [
                    Index(fields=["resident_id", "status"]),
                    Index(fields=["status", "updated_at"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Attachment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                (
                    "application",
                    fields.ForeignKeyField(
                        "applications.Application",
                        source_field="application_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attachments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("field_key", fields.CharField(max_length=100)),
                ("storage_key", fields.CharField(unique=True, max_length=80)),
                ("content_type", fields.CharField(max_length=40)),
                ("size", fields.IntField()),
                ("sha256", fields.CharField(max_length=64)),
                ("filename", fields.CharField(default="", max_length=200)),
                ("created_at", UtcDatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "purged_at",
                    UtcDatetimeField(
                        null=True,
                        description="When the file was deleted at the end of its case's retention (the row stays).",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
            ],
            options={
                "table": "application_attachment",
                "app": "applications",
                "indexes": [Index(fields=["application_id", "field_key"])],
                "pk_attr": "id",
                "table_description": "A file for a form's file field, kept in private storage under a server-made key.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Counter",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "department",
                    fields.OneToOneField(
                        "accounts.Department",
                        source_field="department_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="counter",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "space",
                    fields.ForeignKeyField(
                        "booking.Space",
                        source_field="space_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="counters",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={
                "table": "application_counter",
                "app": "applications",
                "pk_attr": "id",
                "table_description": "A department's counter: a booking space whose slot grid offers visit times.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LifeEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.CharField(unique=True, max_length=60)),
                (
                    "definition",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("checksum", fields.CharField(max_length=64)),
                ("is_active", fields.BooleanField(default=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "application_life_event",
                "app": "applications",
                "pk_attr": "id",
                "table_description": "A life event (転入, 出生) bundling procedures, with the questions that decide which.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Procedure",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.CharField(unique=True, max_length=60)),
                (
                    "department",
                    fields.ForeignKeyField(
                        "accounts.Department",
                        source_field="department_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="procedures",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("latest_version", fields.IntField(default=1)),
                ("is_active", fields.BooleanField(default=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "application_procedure",
                "app": "applications",
                "pk_attr": "id",
                "table_description": "A procedure a resident can file (転入届 …). Its form and rules live in its versions.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ProcedureVersion",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "procedure",
                    fields.ForeignKeyField(
                        "applications.Procedure",
                        source_field="procedure_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="versions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("version", fields.IntField()),
                (
                    "definition",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "checksum",
                    fields.CharField(
                        description="sha256 of the canonical JSON of the definition (the same file again adds nothing).",
                        max_length=64,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "application_procedure_version",
                "app": "applications",
                "unique_together": (("procedure", "version"),),
                "pk_attr": "id",
                "table_description": "A procedure's definition as it was when loaded. A filed case keeps its version.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Case",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                ("receipt_number", fields.CharField(unique=True, max_length=20)),
                (
                    "application",
                    fields.ForeignKeyField(
                        "applications.Application",
                        source_field="application_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="cases",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="cases",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "procedure",
                    fields.ForeignKeyField(
                        "applications.Procedure",
                        source_field="procedure_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="cases",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "procedure_version",
                    fields.ForeignKeyField(
                        "applications.ProcedureVersion",
                        source_field="procedure_version_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="cases",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "department",
                    fields.ForeignKeyField(
                        "accounts.Department",
                        source_field="department_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="cases",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        description="AWAITING_PAYMENT: AWAITING_PAYMENT\nAWAITING_VISIT: AWAITING_VISIT\nSUBMITTED: SUBMITTED\nIN_REVIEW: IN_REVIEW\nNEEDS_INFO: NEEDS_INFO\nAPPROVED: APPROVED\nREJECTED: REJECTED\nCOMPLETED: COMPLETED\nWITHDRAWN: WITHDRAWN",
                        enum_type=CaseStatus,
                        max_length=20,
                    ),
                ),
                (
                    "answers",
                    fields.JSONField(
                        default=dict,
                        description="The answers this procedure's form asks, as filed (and as completed on request).",
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "applicant_name",
                    fields.CharField(
                        default="",
                        description="For the clerks' search. Personal: never logged.",
                        max_length=100,
                    ),
                ),
                ("fee_yen", fields.IntField(default=0)),
                ("paid_yen", fields.IntField(default=0)),
                ("refunded", fields.BooleanField(default=False)),
                (
                    "claimed_by",
                    fields.ForeignKeyField(
                        "accounts.StaffMember",
                        source_field="claimed_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="claimed_cases",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "visit",
                    fields.ForeignKeyField(
                        "booking.Reservation",
                        source_field="visit_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="cases",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("submitted_at", UtcDatetimeField(auto_now=False, auto_now_add=False)),
                ("due_at", UtcDatetimeField(auto_now=False, auto_now_add=False)),
                ("decided_at", UtcDatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("decision_reason", fields.CharField(default="", max_length=1000)),
                ("closed_at", UtcDatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("updated_at", UtcDatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "application_case",
                "app": "applications",
                "indexes": [
                    Index(fields=["department_id", "status", "id"]),
                    Index(fields=["department_id", "procedure_id", "id"]),
                    Index(fields=["resident_id", "id"]),
                    Index(fields=["status", "closed_at"]),
                ],
                "pk_attr": "id",
                "table_description": "One procedure of a submission, with its own receipt number, status and history.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CaseEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "applications.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("at", UtcDatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="STATUS: STATUS\nINFO_REQUESTED: INFO_REQUESTED\nINFO_ANSWERED: INFO_ANSWERED\nCLAIMED: CLAIMED",
                        enum_type=CaseEventKind,
                        max_length=20,
                    ),
                ),
                ("from_status", fields.CharField(default="", max_length=20)),
                ("to_status", fields.CharField(default="", max_length=20)),
                ("message", fields.TextField(default="", unique=False)),
                (
                    "by_staff",
                    fields.ForeignKeyField(
                        "accounts.StaffMember",
                        source_field="by_staff_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="case_events",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("by_resident", fields.BooleanField(default=False)),
            ],
            options={
                "table": "application_case_event",
                "app": "applications",
                "indexes": [Index(fields=["case_id", "id"])],
                "pk_attr": "id",
                "table_description": "A line of a case's history. Its `message` is shown to the resident.",
            },
            bases=["Model"],
        ),
    ]
