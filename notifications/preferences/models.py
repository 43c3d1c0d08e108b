from __future__ import annotations

from tortoise import fields, models


class NotificationPreferences(models.Model):
    """Where and when a resident wants status updates. Without a row: every channel, any hour."""

    id = fields.IntField(primary_key=True)
    resident_id: int
    resident: fields.OneToOneRelation = fields.OneToOneField(
        "accounts.Resident", related_name="notification_preferences", on_delete=fields.CASCADE
    )
    channels = fields.JSONField(default=list)
    # Minutes after local (Asia/Tokyo) midnight; both set or both empty.
    quiet_start = fields.SmallIntField(null=True)
    quiet_end = fields.SmallIntField(null=True)
    # Telegram answered 403 (the resident blocked the bot): not used until chosen again.
    telegram_blocked_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "notification_preferences"
