from __future__ import annotations

import uuid
from enum import Enum

from tortoise import fields, models


class Role(str, Enum):
    CLERK = "clerk"
    FIELD_STAFF = "field_staff"
    ADMIN = "admin"


class Department(models.Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=40, unique=True)
    name_ja = fields.CharField(max_length=200)
    name_en = fields.CharField(max_length=200)

    class Meta:
        table = "department"


class Resident(models.Model):
    id = fields.IntField(primary_key=True)
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    email = fields.CharField(max_length=254, unique=True, null=True)
    password_hash = fields.CharField(max_length=200, null=True)
    display_name = fields.CharField(max_length=100)
    language = fields.CharField(max_length=2, default="ja")
    telegram_user_id = fields.BigIntField(unique=True, null=True)
    telegram_chat_id = fields.BigIntField(null=True)
    is_city_resident = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "resident"


class StaffMember(models.Model):
    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    department_id: int
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    email = fields.CharField(max_length=254, unique=True)
    password_hash = fields.CharField(max_length=200)
    display_name = fields.CharField(max_length=100)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "accounts.Department", related_name="staff", on_delete=fields.RESTRICT
    )
    role = fields.CharEnumField(Role, max_length=20)
    language = fields.CharField(max_length=2, default="ja")
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "staff_member"


class RefreshToken(models.Model):
    """A refresh token, stored as its SHA-256. Rotation keeps the family to detect reuse."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    resident_id: int | None
    staff_id: int | None
    token_hash = fields.CharField(max_length=64, unique=True)
    family = fields.UUIDField()
    resident: fields.ForeignKeyNullableRelation[Resident] = fields.ForeignKeyField(
        "accounts.Resident", related_name="refresh_tokens", null=True, on_delete=fields.CASCADE
    )
    staff: fields.ForeignKeyNullableRelation[StaffMember] = fields.ForeignKeyField(
        "accounts.StaffMember", related_name="refresh_tokens", null=True, on_delete=fields.CASCADE
    )
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "refresh_token"
        indexes = (("family",),)


class TelegramLinkCode(models.Model):
    """A one-time code that joins an app account and a Telegram account."""

    id = fields.IntField(primary_key=True)
    code_hash = fields.CharField(max_length=64, unique=True)
    resident: fields.ForeignKeyRelation[Resident] = fields.ForeignKeyField(
        "accounts.Resident", related_name="link_codes", on_delete=fields.CASCADE
    )
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "telegram_link_code"


class AuditEntry(models.Model):
    """Who did or saw what, when, about which object: staff actions and staff views of a
    resident's personal data (accounts.audit). Rows are only ever added."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    staff: fields.ForeignKeyNullableRelation[StaffMember] = fields.ForeignKeyField(
        "accounts.StaffMember", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    #: The staff member's name then, so the entry still says who after an account is gone.
    actor_name = fields.CharField(max_length=100, default="")
    action = fields.CharField(max_length=60)
    subject_type = fields.CharField(max_length=40)
    subject_id = fields.CharField(max_length=64)
    #: Whose personal data was acted on or seen, when a resident's.
    resident_id = fields.IntField(null=True)
    detail = fields.JSONField(default=dict)

    class Meta:
        table = "audit_entry"
        indexes = (("subject_type", "subject_id"), ("at",), ("resident_id",))
