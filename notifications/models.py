"""Messages and their delivery ledger.

A `Notification` is one message to one resident (their in-app list). A `Delivery` is that
message on one channel to one address, with a status in the GOV.UK Notify model. The
sub-packages' models (preferences, push devices, e-mail addresses, broadcasts) belong to the
same Tortoise app and are imported at the end of this module so Tortoise finds them.
"""

from __future__ import annotations

import uuid
from enum import Enum, IntEnum

from tortoise import fields, models


class Channel(str, Enum):
    TELEGRAM = "telegram"
    PUSH = "push"
    EMAIL = "email"


class Lane(IntEnum):
    """Alerts are taken before every status update, on every channel."""

    ALERT = 0
    STATUS = 1


class LedgerStatus(str, Enum):
    CREATED = "created"
    SENDING = "sending"
    DELIVERED = "delivered"
    TEMPORARY_FAILURE = "temporary_failure"
    PERMANENT_FAILURE = "permanent_failure"
    TECHNICAL_FAILURE = "technical_failure"


class DeliveryStatus(str, Enum):
    """The first outbox's states; migration 0001 refers to them. Use LedgerStatus."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Notification(models.Model):
    """A message to one resident, kept in their in-app list, or to one staff member (an
    exercise or test alert, by e-mail; `resident` is then empty).

    A broadcast's message carries no text of its own: it reads the broadcast's."""

    id = fields.IntField(primary_key=True)
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    resident: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    staff_id: int | None
    staff: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.StaffMember", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=60)
    message_key = fields.CharField(max_length=120)
    params = fields.JSONField(default=dict)
    link = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    read_at = fields.DatetimeField(null=True)
    broadcast_id: int | None
    broadcast: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "notifications.Broadcast", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    # True while a broadcast's message waits for its deliveries to be written, else empty.
    fanout_pending = fields.BooleanField(null=True)

    class Meta:
        table = "notification"
        indexes = (("resident_id", "created_at"), ("fanout_pending", "id"))
        unique_together = (("broadcast_id", "resident_id"), ("broadcast_id", "staff_id"))


class Delivery(models.Model):
    """One message on one channel to one address: a row of the ledger.

    `next_attempt_at` is set exactly while the row waits to be sent (first time or retry);
    a claim clears it, sets SENDING, a lease and a claim token. Rows are never claimed twice
    in SENDING: a lease that runs out leaves the outcome unknown rather than send again."""

    id = fields.IntField(primary_key=True)
    notification: fields.ForeignKeyRelation[Notification] = fields.ForeignKeyField(
        "notifications.Notification", related_name="ledger", on_delete=fields.CASCADE
    )
    # Empty for a staff member's message (its notification names them).
    resident_id = fields.IntField(null=True)
    broadcast_id = fields.IntField(null=True)
    channel = fields.CharEnumField(Channel, max_length=20)
    address = fields.CharField(max_length=1024)
    language = fields.CharField(max_length=2, default="ja")
    lane = fields.IntEnumField(Lane, default=Lane.STATUS)
    status = fields.CharEnumField(LedgerStatus, max_length=20, default=LedgerStatus.CREATED)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True)
    lease_until = fields.DatetimeField(null=True)
    claim_token = fields.CharField(max_length=32, null=True)
    last_error = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now_add=True)
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "delivery"
        # No index on claim_token: every statement that names a claim names its rows' ids.
        indexes = (
            ("lease_until",),
            ("broadcast_id", "channel", "status"),
            ("resident_id", "channel"),
        )
        unique_together = (("notification_id", "channel", "address"),)


from notifications.broadcasts.models import Broadcast
from notifications.channels.email.models import EmailAddress
from notifications.channels.push.models import PushDevice, PushTopic, TopicMessage
from notifications.preferences.models import NotificationPreferences

__all__ = [
    "Broadcast",
    "Channel",
    "Delivery",
    "DeliveryStatus",
    "EmailAddress",
    "Lane",
    "LedgerStatus",
    "Notification",
    "NotificationPreferences",
    "PushDevice",
    "PushTopic",
    "TopicMessage",
]
