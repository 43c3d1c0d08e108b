from __future__ import annotations

from tortoise import fields, models


class Broadcast(models.Model):
    """An alert as a message to many residents: its text once, one Notification per resident.

    `alert_id` is the alert's id (notifications.alerts), one broadcast per alert."""

    id = fields.IntField(primary_key=True)
    alert_id = fields.IntField(unique=True)
    message_key = fields.CharField(max_length=120)
    params = fields.JSONField(default=dict)
    exercise = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "broadcast"
