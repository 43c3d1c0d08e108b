"""What staff say about a shelter while it is in use, and every change they made.

Part of the geo Tortoise app (geo.models imports this module).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields, models


class Offer(StrEnum):
    """What an opened shelter offers (its 設備・支援)."""

    WATER = "WATER"  # 給水
    FOOD = "FOOD"  # 食料
    BLANKETS = "BLANKETS"  # 毛布
    CHARGING = "CHARGING"  # 充電
    PETS = "PETS"  # ペット可 (pets are allowed in)
    WELFARE = "WELFARE"  # 福祉避難所 (care for people who need it)


class ShelterOperation(models.Model):
    """A shelter as staff last reported it: one row per shelter they ever reported on."""

    # Foreign-key columns Tortoise adds, declared for type checkers.
    shelter_id: int
    updated_by_id: int | None

    shelter: fields.OneToOneRelation = fields.OneToOneField(
        "geo.Shelter", related_name="operation", on_delete=fields.CASCADE, primary_key=True
    )
    capacity = fields.IntField(null=True, description="people it can take now (null: as published)")
    headcount = fields.IntField(default=0)
    offers = fields.JSONField(default=list, description="Offer values")
    updated_at = fields.DatetimeField()
    updated_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.StaffMember",
        related_name="shelter_operations",
        null=True,
        on_delete=fields.SET_NULL,
    )
    # The staff member's name then, so the board still says who after an account is gone.
    updated_by_name = fields.CharField(max_length=100, default="")

    class Meta:
        table = "geo_shelter_operation"


class ShelterLogEntry(models.Model):
    """One change staff made to a shelter: its state and counts after it, who, when."""

    id = fields.BigIntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    shelter_id: int
    staff_id: int | None
    shelter: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "geo.Shelter", related_name="log", on_delete=fields.CASCADE
    )
    at = fields.DatetimeField()
    staff: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.StaffMember",
        related_name="shelter_log_entries",
        null=True,
        on_delete=fields.SET_NULL,
    )
    staff_name = fields.CharField(max_length=100, default="")
    status = fields.CharField(max_length=12, description="geo.service.ShelterStatus after it")
    capacity = fields.IntField(null=True)
    headcount = fields.IntField(null=True)
    offers = fields.JSONField(default=list)

    class Meta:
        table = "geo_shelter_log"
        indexes = (("shelter_id", "at"),)
