"""Tables of the core: the leases that let one instance at a time run a periodic job."""

from __future__ import annotations

from tortoise import fields, models


# Taken and renewed by core.instances.leases (the docstring is the table's comment, kept as
# migrated).
class Lease(models.Model):
    """Who runs a periodic job (core.leases): held until `expires_at`, renewed while alive."""

    name = fields.CharField(max_length=100, primary_key=True)
    holder = fields.CharField(max_length=200)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "lease"
