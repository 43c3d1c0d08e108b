from __future__ import annotations

import uuid
from enum import Enum

from tortoise import fields, models


class Channel(str, Enum):
    TELEGRAM = "telegram"


class DeliveryStatus(str, Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Notification(models.Model):
    """A message to one resident, kept in their in-app list."""

    id = fields.IntField(primary_key=True)
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    resident: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="notifications", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=60)
    message_key = fields.CharField(max_length=120)
    params = fields.JSONField(default=dict)
    link = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notification"
        indexes = (("resident_id", "created_at"),)


class OutboxMessage(models.Model):
    """One delivery of a notification on one channel, retried until sent or given up."""

    id = fields.IntField(primary_key=True)
    notification: fields.ForeignKeyRelation[Notification] = fields.ForeignKeyField(
        "notifications.Notification", related_name="deliveries", on_delete=fields.CASCADE
    )
    channel = fields.CharEnumField(Channel, max_length=20)
    address = fields.CharField(max_length=100)
    status = fields.CharEnumField(DeliveryStatus, max_length=10, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=500, default="")

    class Meta:
        table = "outbox_message"
        indexes = (("status", "next_attempt_at"),)
