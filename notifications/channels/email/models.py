from __future__ import annotations

from tortoise import fields, models


class EmailAddress(models.Model):
    """The address a resident gets notifications at, used once confirmed by a link."""

    id = fields.IntField(primary_key=True)
    resident: fields.OneToOneRelation = fields.OneToOneField(
        "accounts.Resident", related_name="notification_email", on_delete=fields.CASCADE
    )
    address = fields.CharField(max_length=254)
    verified_at = fields.DatetimeField(null=True)
    # SHA-256 of the confirmation link's token; cleared when used.
    token_hash = fields.CharField(max_length=64, null=True, unique=True)
    token_expires_at = fields.DatetimeField(null=True)
    confirmations_sent = fields.IntField(default=0)
    last_sent_at = fields.DatetimeField(null=True)
    # Set when the mail server refuses the address for good; the channel stops.
    bounced_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notification_email"
