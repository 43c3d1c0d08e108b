from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from tortoise import fields, models

from booking.models import UtcDatetimeField

if TYPE_CHECKING:
    from applications.cases.models import Application


class Attachment(models.Model):
    """A file for a form's file field, kept in private storage under a server-made key."""

    id = fields.IntField(primary_key=True)
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    application_id: int
    application: fields.ForeignKeyRelation[Application] = fields.ForeignKeyField(
        "applications.Application", related_name="attachments", on_delete=fields.CASCADE
    )
    field_key = fields.CharField(max_length=100)
    storage_key = fields.CharField(max_length=80, unique=True)
    content_type = fields.CharField(max_length=40)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    filename = fields.CharField(max_length=200, default="")
    created_at = UtcDatetimeField(auto_now_add=True)
    #: When the file was deleted at the end of its case's retention (the row stays).
    purged_at = UtcDatetimeField(null=True)

    class Meta:
        table = "application_attachment"
        indexes = (("application_id", "field_key"),)
