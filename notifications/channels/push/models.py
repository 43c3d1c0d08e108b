from __future__ import annotations

from enum import Enum

from tortoise import fields, models

from notifications.models import LedgerStatus


class Platform(str, Enum):
    ANDROID = "android"
    IOS = "ios"
    WEB = "web"


class PushDevice(models.Model):
    """An installation of the app that FCM can reach by its registration token."""

    id = fields.IntField(primary_key=True)
    resident: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="push_devices", on_delete=fields.CASCADE
    )
    token = fields.CharField(max_length=1024, unique=True)
    platform = fields.CharEnumField(Platform, max_length=10)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField(auto_now_add=True)
    # Since when the device's alert topics (notifications.channels.push.topics) differ from
    # what it should follow; empty once FCM has them. Set on anything that moves them.
    topics_due = fields.DatetimeField(null=True, db_index=True)
    topics_synced_at = fields.DatetimeField(null=True)

    class Meta:
        table = "push_device"


class PushTopic(models.Model):
    """A topic FCM has this token subscribed to (the server's own record of it). When the
    device goes (unregistered, signed out) the row stays without it until the token has been
    taken off the topic."""

    id = fields.IntField(primary_key=True)
    device: fields.ForeignKeyNullableRelation[PushDevice] = fields.ForeignKeyField(
        "notifications.PushDevice", related_name="topics", null=True, on_delete=fields.SET_NULL
    )
    token = fields.CharField(max_length=1024)
    topic = fields.CharField(max_length=100, db_index=True)

    class Meta:
        table = "push_topic"
        unique_together = (("device_id", "topic"),)
        indexes = (("token", "topic"),)


class TopicMessage(models.Model):
    """An alert's push to the devices of up to five topics (an FCM `condition`), in one
    language: the ledger row of push by topic. FCM does not tell which devices showed it;
    `devices` is how many of ours followed those topics when it was sent (counted by the
    worker once, off the alert's path: `counted_at` empty until then)."""

    id = fields.IntField(primary_key=True)
    broadcast_id = fields.IntField(db_index=True)
    language = fields.CharField(max_length=2)
    condition = fields.CharField(max_length=500)
    topics = fields.JSONField(default=list)
    devices = fields.IntField(default=0)
    counted_at = fields.DatetimeField(null=True)
    status = fields.CharEnumField(LedgerStatus, max_length=20, default=LedgerStatus.CREATED)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True, db_index=True)
    lease_until = fields.DatetimeField(null=True)
    claim_token = fields.CharField(max_length=32, null=True)
    last_error = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now_add=True)
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "push_topic_message"
        unique_together = (("broadcast_id", "language", "condition"),)
