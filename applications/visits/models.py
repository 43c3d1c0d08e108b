from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields, models

if TYPE_CHECKING:
    from accounts.models import Department
    from booking.models import Space


class Counter(models.Model):
    """A department's counter: a booking space whose slot grid offers visit times."""

    id = fields.IntField(primary_key=True)
    department_id: int
    space_id: int
    department: fields.OneToOneRelation[Department] = fields.OneToOneField(
        "accounts.Department", related_name="counter", on_delete=fields.CASCADE
    )
    space: fields.ForeignKeyRelation[Space] = fields.ForeignKeyField(
        "booking.Space", related_name="counters", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "application_counter"
