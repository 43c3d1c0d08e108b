from __future__ import annotations

from tortoise import fields, models


class Counter(models.Model):
    """A department's counter: a booking space whose slot grid offers visit times."""

    id = fields.IntField(primary_key=True)
    department = fields.OneToOneField(
        "accounts.Department", related_name="counter", on_delete=fields.CASCADE
    )
    space = fields.ForeignKeyField(
        "booking.Space", related_name="counters", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "application_counter"
