from __future__ import annotations

from enum import StrEnum

from tortoise import fields, models


class CityMode(StrEnum):
    """The city's state as crisis staff set it (Fukuoka's normal / disaster / recovery)."""

    NORMAL = "NORMAL"
    DISASTER = "DISASTER"  # the whole city is in disaster mode, whatever the alerts say
    RECOVERY = "RECOVERY"  # the emergency is over; support for those affected continues


class CityModeChange(models.Model):
    """Each switch staff made, the latest being the mode of the city."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    staff_id: int | None
    mode = fields.CharEnumField(CityMode, max_length=10)
    hazard = fields.CharField(max_length=20, null=True, description="geo.hazards.Hazard value")
    note = fields.TextField(default="")
    at = fields.DatetimeField()
    staff: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.StaffMember",
        related_name="city_mode_changes",
        null=True,
        on_delete=fields.SET_NULL,
    )
    staff_name = fields.CharField(max_length=100, default="")

    class Meta:
        table = "disaster_city_mode"
