from __future__ import annotations

from enum import Enum

from tortoise import fields, models


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

    class Meta:
        table = "push_device"
