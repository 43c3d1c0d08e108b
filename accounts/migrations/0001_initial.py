from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from accounts.models import Role


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Department",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.CharField(unique=True, max_length=40)),
                ("name_ja", fields.CharField(max_length=200)),
                ("name_en", fields.CharField(max_length=200)),
            ],
            options={"table": "department", "app": "accounts", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Resident",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                ("email", fields.CharField(null=True, unique=True, max_length=254)),
                ("password_hash", fields.CharField(null=True, max_length=200)),
                ("display_name", fields.CharField(max_length=100)),
                ("language", fields.CharField(default="ja", max_length=2)),
                ("telegram_user_id", fields.BigIntField(null=True, unique=True)),
                ("telegram_chat_id", fields.BigIntField(null=True)),
                ("is_city_resident", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "resident", "app": "accounts", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StaffMember",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                ("email", fields.CharField(unique=True, max_length=254)),
                ("password_hash", fields.CharField(max_length=200)),
                ("display_name", fields.CharField(max_length=100)),
                (
                    "department",
                    fields.ForeignKeyField(
                        "accounts.Department",
                        source_field="department_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="staff",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "role",
                    fields.CharEnumField(
                        description="CLERK: clerk\nFIELD_STAFF: field_staff\nADMIN: admin",
                        enum_type=Role,
                        max_length=20,
                    ),
                ),
                ("language", fields.CharField(default="ja", max_length=2)),
                ("is_active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "staff_member", "app": "accounts", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RefreshToken",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("family", fields.UUIDField()),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="refresh_tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "staff",
                    fields.ForeignKeyField(
                        "accounts.StaffMember",
                        source_field="staff_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="refresh_tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "refresh_token",
                "app": "accounts",
                "indexes": [Index(fields=["family"])],
                "pk_attr": "id",
                "table_description": "A refresh token, stored as its SHA-256. Rotation keeps the family to detect reuse.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TelegramLinkCode",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="link_codes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "telegram_link_code",
                "app": "accounts",
                "pk_attr": "id",
                "table_description": "A one-time code that joins an app account and a Telegram account.",
            },
            bases=["Model"],
        ),
    ]
