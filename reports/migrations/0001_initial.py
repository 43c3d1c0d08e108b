import functools
from json import dumps, loads
from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from reports.workflow import Status


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="Category",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.CharField(unique=True, max_length=40)),
                ("name_ja", fields.CharField(max_length=100)),
                ("name_en", fields.CharField(max_length=100)),
                ("description_ja", fields.CharField(default="", max_length=500)),
                ("description_en", fields.CharField(default="", max_length=500)),
                (
                    "department",
                    fields.ForeignKeyField(
                        "accounts.Department",
                        source_field="department_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="report_categories",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "questions",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("duplicate_radius_m", fields.IntField(default=50)),
                ("acknowledge_hours", fields.IntField(null=True)),
                ("resolve_hours", fields.IntField(null=True)),
                ("keywords", fields.CharField(default="", max_length=300)),
                ("icon", fields.CharField(default="", max_length=8)),
                ("position", fields.IntField(default=0)),
                ("is_active", fields.BooleanField(default=True)),
            ],
            options={
                "table": "report_category",
                "app": "reports",
                "pk_attr": "id",
                "table_description": "What can be reported. Its ``code`` is the Open311 service_code.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Open311Key",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(max_length=100)),
                ("key_hash", fields.CharField(unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "open311_key",
                "app": "reports",
                "pk_attr": "id",
                "table_description": "An API key for an Open311 client, stored as its SHA-256.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Report",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                ("receipt_number", fields.CharField(unique=True, max_length=12)),
                (
                    "category",
                    fields.ForeignKeyField(
                        "reports.Category",
                        source_field="category_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reports",
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
                        related_name="reports",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("description", fields.TextField(unique=False)),
                ("lat", fields.FloatField()),
                ("lng", fields.FloatField()),
                ("cell", fields.BigIntField()),
                ("address", fields.CharField(null=True, max_length=500)),
                ("address_pending", fields.BooleanField(default=True)),
                (
                    "status",
                    fields.CharEnumField(
                        default=Status.RECEIVED,
                        description="RECEIVED: received\nACKNOWLEDGED: acknowledged\nIN_PROGRESS: in_progress\nRESOLVED: resolved\nREJECTED: rejected\nDUPLICATE: duplicate",
                        enum_type=Status,
                        max_length=20,
                    ),
                ),
                ("source", fields.CharField(default="app", max_length=10)),
                (
                    "reporter",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="reporter_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="reports",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "contact",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "open311_key",
                    fields.ForeignKeyField(
                        "reports.Open311Key",
                        source_field="open311_key_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="reports",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "attributes",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("media_url", fields.CharField(null=True, max_length=2048)),
                (
                    "assignee",
                    fields.ForeignKeyField(
                        "accounts.StaffMember",
                        source_field="assignee_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="assigned_reports",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "duplicate_of",
                    fields.ForeignKeyField(
                        "reports.Report",
                        source_field="duplicate_of_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="duplicates",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("hidden", fields.BooleanField(default=False)),
                ("hidden_reason", fields.CharField(default="", max_length=500)),
                ("public_note", fields.CharField(default="", max_length=1000)),
                (
                    "acknowledge_due_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "resolve_due_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "acknowledged_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "resolved_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "report",
                "app": "reports",
                "indexes": [
                    Index(
                        fields=[
                            "cell",
                            "status",
                            "hidden",
                            "lat",
                            "lng",
                            "created_at",
                            "category_id",
                            "id",
                        ]
                    ),
                    Index(fields=["status", "created_at"]),
                    Index(fields=["reporter_id", "created_at"]),
                    Index(fields=["created_at"]),
                    Index(fields=["address_pending"]),
                ],
                "pk_attr": "id",
                "table_description": "One issue at one place. ``cell`` is the map grid cell of (lat, lng), see reports.map.grid.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReportEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "report",
                    fields.ForeignKeyField(
                        "reports.Report",
                        source_field="report_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=20)),
                ("from_status", fields.CharField(null=True, max_length=20)),
                ("to_status", fields.CharField(null=True, max_length=20)),
                ("note", fields.TextField(default="", unique=False)),
                ("public", fields.BooleanField(default=True)),
                (
                    "staff",
                    fields.ForeignKeyField(
                        "accounts.StaffMember",
                        source_field="staff_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="report_events",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="report_events",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "report_event",
                "app": "reports",
                "indexes": [Index(fields=["report_id", "created_at"])],
                "pk_attr": "id",
                "table_description": "One entry of a report's history: who, when, what, and a public or internal note.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReportFollower",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "report",
                    fields.ForeignKeyField(
                        "reports.Report",
                        source_field="report_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="followers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="followed_reports",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "report_follower",
                "app": "reports",
                "unique_together": (("report", "resident"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReportPhoto",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                (
                    "report",
                    fields.ForeignKeyField(
                        "reports.Report",
                        source_field="report_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="photos",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("key", fields.CharField(unique=True, max_length=64)),
                ("thumb_key", fields.CharField(unique=True, max_length=64)),
                ("content_type", fields.CharField(max_length=20)),
                ("width", fields.IntField()),
                ("height", fields.IntField()),
                ("sha256", fields.CharField(max_length=64)),
                ("position", fields.IntField(default=0)),
                ("hidden", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "report_photo",
                "app": "reports",
                "pk_attr": "id",
                "table_description": "A metadata-free copy of a photo and its thumbnail for the map, in photo storage.",
            },
            bases=["Model"],
        ),
    ]
