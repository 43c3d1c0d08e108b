from __future__ import annotations

import uuid
from enum import StrEnum

from tortoise import fields, models


class SafetyStatus(StrEnum):
    SAFE = "SAFE"  # 無事
    AT_SHELTER = "AT_SHELTER"  # 避難所にいる
    NEED_HELP = "NEED_HELP"  # 助けが必要


class HouseholdMember(models.Model):
    """Someone a resident may answer for (a child, a parent without a phone)."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    resident_id: int
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    resident: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="household_members", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=100)
    relation = fields.CharField(max_length=50, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "safety_household_member"


class SafetyViewer(models.Model):
    """A family member (a resident) whom a resident allows to see their answers."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    resident_id: int
    viewer_id: int
    resident: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="safety_viewers", on_delete=fields.CASCADE
    )
    viewer: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="safety_viewing", on_delete=fields.CASCADE
    )

    class Meta:
        table = "safety_viewer"
        unique_together = (("resident_id", "viewer_id"),)
        indexes = (("viewer_id",),)


class SafetyAnswer(models.Model):
    """One person's answer for one alert: the resident's own, or a household member's.

    `person_key` ("r:<resident id>" or "m:<member id>") makes it one answer per person per
    alert; answering again updates it."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    alert_id: int
    resident_id: int
    member_id: int | None
    shelter_id: int | None
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    alert: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "alerts.Alert", related_name="safety_answers", on_delete=fields.CASCADE
    )
    person_key = fields.CharField(max_length=30)
    resident: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="safety_answers", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "disaster.HouseholdMember",
        related_name="safety_answers",
        null=True,
        on_delete=fields.CASCADE,
    )
    status = fields.CharEnumField(SafetyStatus, max_length=12)
    shelter: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "geo.Shelter", related_name="safety_answers", null=True, on_delete=fields.SET_NULL
    )
    note = fields.CharField(max_length=200, default="")
    lat = fields.FloatField(null=True)
    lng = fields.FloatField(null=True)
    district_code = fields.CharField(max_length=20, null=True)
    answered_at = fields.DatetimeField()
    handled_at = fields.DatetimeField(null=True, description="staff took care of a call for help")
    handled_by_name = fields.CharField(max_length=100, default="")

    class Meta:
        table = "safety_answer"
        unique_together = (("alert_id", "person_key"),)
        indexes = (("alert_id", "status"),)
