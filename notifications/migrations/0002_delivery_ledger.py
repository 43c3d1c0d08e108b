import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

from notifications.channels.push.models import Platform
from notifications.models import Channel, Lane, LedgerStatus

# The first outbox's rows move into the ledger: pending ones keep waiting, sent ones were delivered.
COPY_OUTBOX = """
INSERT INTO delivery (notification_id, resident_id, channel, address, language, lane, status,
                      attempts, next_attempt_at, last_error, created_at, updated_at, delivered_at)
SELECT o.notification_id, n.resident_id, o.channel, o.address, r.language, 1,
       CASE WHEN o.status = 'sent' THEN 'delivered'
            WHEN o.status = 'failed' OR o.attempts > 0 THEN 'temporary_failure'
            ELSE 'created' END,
       o.attempts, CASE WHEN o.status = 'pending' THEN o.next_attempt_at END, o.last_error,
       n.created_at, n.created_at, o.sent_at
FROM outbox_message o
JOIN notification n ON n.id = o.notification_id
JOIN resident r ON r.id = n.resident_id
"""

# The senders' queue: only rows waiting to be sent, in lane then time order.
DUE_INDEX = (
    "CREATE INDEX delivery_due ON delivery (channel, lane, next_attempt_at, id) "
    "WHERE next_attempt_at IS NOT NULL"
)


async def _run(schema_editor, statement: str) -> None:
    if schema_editor.collect_sql:
        schema_editor.collected_sql.append(statement)
    else:
        await schema_editor.client.execute_script(statement)


async def copy_outbox(apps, schema_editor) -> None:
    await _run(schema_editor, COPY_OUTBOX)


async def create_due_index(apps, schema_editor) -> None:
    await _run(schema_editor, DUE_INDEX)


async def drop_due_index(apps, schema_editor) -> None:
    await _run(schema_editor, "DROP INDEX delivery_due")


async def nothing(apps, schema_editor) -> None:
    return None


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("notifications", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Broadcast",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("alert_id", fields.IntField(unique=True)),
                ("message_key", fields.CharField(max_length=120)),
                (
                    "params",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("exercise", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "broadcast",
                "app": "notifications",
                "pk_attr": "id",
                "table_description": "An alert as a message to many residents: its text once, one Notification per resident.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Delivery",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "notification",
                    fields.ForeignKeyField(
                        "notifications.Notification",
                        source_field="notification_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="ledger",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("resident_id", fields.IntField()),
                ("broadcast_id", fields.IntField(null=True)),
                (
                    "channel",
                    fields.CharEnumField(
                        description="TELEGRAM: telegram\nPUSH: push\nEMAIL: email",
                        enum_type=Channel,
                        max_length=20,
                    ),
                ),
                ("address", fields.CharField(max_length=1024)),
                ("language", fields.CharField(default="ja", max_length=2)),
                (
                    "lane",
                    fields.IntEnumField(
                        default=Lane.STATUS,
                        description="ALERT: 0\nSTATUS: 1",
                        enum_type=Lane,
                        generated=False,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=LedgerStatus.CREATED,
                        description="CREATED: created\nSENDING: sending\nDELIVERED: delivered\nTEMPORARY_FAILURE: temporary_failure\nPERMANENT_FAILURE: permanent_failure\nTECHNICAL_FAILURE: technical_failure",
                        enum_type=LedgerStatus,
                        max_length=20,
                    ),
                ),
                ("attempts", fields.IntField(default=0)),
                (
                    "next_attempt_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "lease_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("claim_token", fields.CharField(null=True, max_length=32)),
                ("last_error", fields.CharField(default="", max_length=500)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "delivered_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "delivery",
                "app": "notifications",
                "unique_together": (("notification_id", "channel", "address"),),
                "indexes": [
                    Index(fields=["claim_token"]),
                    Index(fields=["lease_until"]),
                    Index(fields=["broadcast_id", "channel", "status"]),
                    Index(fields=["resident_id", "channel"]),
                ],
                "pk_attr": "id",
                "table_description": "One message on one channel to one address: a row of the ledger.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="EmailAddress",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "resident",
                    fields.OneToOneField(
                        "accounts.Resident",
                        source_field="resident_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="notification_email",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("address", fields.CharField(max_length=254)),
                (
                    "verified_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("token_hash", fields.CharField(null=True, unique=True, max_length=64)),
                (
                    "token_expires_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("confirmations_sent", fields.IntField(default=0)),
                (
                    "last_sent_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("bounced_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "notification_email",
                "app": "notifications",
                "pk_attr": "id",
                "table_description": "The address a resident gets notifications at, used once confirmed by a link.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="NotificationPreferences",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "resident",
                    fields.OneToOneField(
                        "accounts.Resident",
                        source_field="resident_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="notification_preferences",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "channels",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("quiet_start", fields.SmallIntField(null=True)),
                ("quiet_end", fields.SmallIntField(null=True)),
                (
                    "telegram_blocked_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "notification_preferences",
                "app": "notifications",
                "pk_attr": "id",
                "table_description": "Where and when a resident wants status updates. Without a row: every channel, any hour.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PushDevice",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="push_devices",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("token", fields.CharField(unique=True, max_length=1024)),
                (
                    "platform",
                    fields.CharEnumField(
                        description="ANDROID: android\nIOS: ios\nWEB: web",
                        enum_type=Platform,
                        max_length=10,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("last_seen_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "push_device",
                "app": "notifications",
                "pk_attr": "id",
                "table_description": "An installation of the app that FCM can reach by its registration token.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Notification",
            name="broadcast",
            field=fields.ForeignKeyField(
                "notifications.Broadcast",
                source_field="broadcast_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="notifications",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.AddField(
            model_name="Notification",
            name="fanout_pending",
            field=fields.BooleanField(null=True),
        ),
        ops.AddIndex(
            model_name="Notification",
            index=Index(fields=["fanout_pending", "id"]),
        ),
        ops.AddConstraint(
            model_name="Notification",
            constraint=UniqueConstraint(fields=("broadcast_id", "resident_id"), name=None),
        ),
        ops.RunPython(copy_outbox, nothing),
        ops.RunPython(create_due_index, drop_due_index),
        ops.DeleteModel(name="OutboxMessage"),
    ]
