"""Issue reports: categories, reports, their photos, history, followers, Open311 API keys."""

from __future__ import annotations

import uuid

from tortoise import fields, models

from reports.workflow import Status


class Category(models.Model):
    """What can be reported. Its ``code`` is the Open311 service_code."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    department_id: int
    code = fields.CharField(max_length=40, unique=True)
    name_ja = fields.CharField(max_length=100)
    name_en = fields.CharField(max_length=100)
    description_ja = fields.CharField(max_length=500, default="")
    description_en = fields.CharField(max_length=500, default="")
    department: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.Department", related_name="report_categories", on_delete=fields.RESTRICT
    )
    # Extra questions as Open311 attributes, see reports.categories.
    questions = fields.JSONField(default=list)
    duplicate_radius_m = fields.IntField(default=50)
    acknowledge_hours = fields.IntField(null=True)
    resolve_hours = fields.IntField(null=True)
    keywords = fields.CharField(max_length=300, default="")
    icon = fields.CharField(max_length=8, default="")
    position = fields.IntField(default=0)
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "report_category"


class Open311Key(models.Model):
    """An API key for an Open311 client, stored as its SHA-256."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    key_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "open311_key"


class Report(models.Model):
    """One issue at one place. ``cell`` is the map grid cell of (lat, lng), see reports.map.grid."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    category_id: int
    duplicate_of_id: int | None
    reporter_id: int | None
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    receipt_number = fields.CharField(max_length=12, unique=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "reports.Category", related_name="reports", on_delete=fields.RESTRICT
    )
    department: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.Department", related_name="reports", on_delete=fields.RESTRICT
    )
    description = fields.TextField()
    lat = fields.FloatField()
    lng = fields.FloatField()
    cell = fields.BigIntField()
    address = fields.CharField(max_length=500, null=True)
    address_pending = fields.BooleanField(default=True)
    status = fields.CharEnumField(Status, max_length=20, default=Status.RECEIVED)
    source = fields.CharField(max_length=10, default="app")
    reporter: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="reports", null=True, on_delete=fields.SET_NULL
    )
    # Who filed through Open311 (e-mail, names, phone, device): private like the reporter.
    contact = fields.JSONField(default=dict)
    open311_key: fields.ForeignKeyNullableRelation[Open311Key] = fields.ForeignKeyField(
        "reports.Open311Key", related_name="reports", null=True, on_delete=fields.SET_NULL
    )
    attributes = fields.JSONField(default=dict)
    media_url = fields.CharField(max_length=2048, null=True)
    assignee: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.StaffMember",
        related_name="assigned_reports",
        null=True,
        on_delete=fields.SET_NULL,
    )
    duplicate_of: fields.ForeignKeyNullableRelation[Report] = fields.ForeignKeyField(
        "reports.Report", related_name="duplicates", null=True, on_delete=fields.SET_NULL
    )
    hidden = fields.BooleanField(default=False)
    hidden_reason = fields.CharField(max_length=500, default="")
    public_note = fields.CharField(max_length=1000, default="")
    acknowledge_due_at = fields.DatetimeField(null=True)
    resolve_due_at = fields.DatetimeField(null=True)
    acknowledged_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "report"
        indexes = (
            # Covers the map's viewport query (reports.map.viewport): no table row is read to
            # filter, sort or answer it (an index-only scan on PostgreSQL needs every column the
            # query names, id included).
            (
                "cell",
                "status",
                "hidden",
                "lat",
                "lng",
                "created_at",
                "category_id",
                "id",
                "public_id",
                "receipt_number",
                "department_id",
                "reporter_id",
                "acknowledge_due_at",
                "resolve_due_at",
            ),
            ("status", "created_at"),
            ("reporter_id", "created_at"),
            ("created_at",),
            ("address_pending",),
        )


class ReportPhoto(models.Model):
    """A metadata-free copy of a photo and its thumbnail for the map, in photo storage."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    report_id: int
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "reports.Report", related_name="photos", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=64, unique=True)
    thumb_key = fields.CharField(max_length=64, unique=True)
    content_type = fields.CharField(max_length=20)
    width = fields.IntField()
    height = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    position = fields.IntField(default=0)
    hidden = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = "report_photo"


class ReportEvent(models.Model):
    """One entry of a report's history: who, when, what, and a public or internal note."""

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "reports.Report", related_name="events", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=20)
    from_status = fields.CharField(max_length=20, null=True)
    to_status = fields.CharField(max_length=20, null=True)
    note = fields.TextField(default="")
    public = fields.BooleanField(default=True)
    staff: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.StaffMember", related_name="report_events", null=True, on_delete=fields.SET_NULL
    )
    resident: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="report_events", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()

    class Meta:
        table = "report_event"
        indexes = (("report_id", "created_at"),)


class ReportFollower(models.Model):
    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "reports.Report", related_name="followers", on_delete=fields.CASCADE
    )
    resident: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="followed_reports", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()

    class Meta:
        table = "report_follower"
        unique_together = (("report", "resident"),)
