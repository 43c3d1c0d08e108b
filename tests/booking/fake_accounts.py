"""Stand-ins for accounts.Resident and accounts.Department so the booking models can be
created in a test database before the accounts package exists."""

from __future__ import annotations

from tortoise import fields, models


class Department(models.Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)

    class Meta:
        app = "accounts"
        table = "test_booking_department"


class Resident(models.Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)

    class Meta:
        app = "accounts"
        table = "test_booking_resident"
