from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from notifications.models import LedgerStatus


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("accounts", "0002_audit_entry"),
        ("notifications", "0003_staff_recipients"),
    ]

    initial = False

    operations = [
        ops.CreateModel(
            name="PushTopic",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "device",
                    fields.ForeignKeyField(
                        "notifications.PushDevice",
                        source_field="device_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="topics",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("token", fields.CharField(max_length=1024)),
                ("topic", fields.CharField(db_index=True, max_length=100)),
            ],
            options={
                "table": "push_topic",
                "app": "notifications",
                "unique_together": (("device_id", "topic"),),
                "indexes": [Index(fields=["token", "topic"])],
                "pk_attr": "id",
                "table_description": "A topic FCM has this token subscribed to (the server's own record of it). When the",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TopicMessage",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("broadcast_id", fields.IntField(db_index=True)),
                ("language", fields.CharField(max_length=2)),
                ("condition", fields.CharField(max_length=500)),
                ("topics", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("devices", fields.IntField(default=0)),
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
                    fields.DatetimeField(
                        null=True, db_index=True, auto_now=False, auto_now_add=False
                    ),
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
                "table": "push_topic_message",
                "app": "notifications",
                "unique_together": (("broadcast_id", "language", "condition"),),
                "pk_attr": "id",
                "table_description": "An alert's push to the devices of up to five topics (an FCM `condition`), in one",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="PushDevice",
            name="topics_due",
            field=fields.DatetimeField(
                null=True, db_index=True, auto_now=False, auto_now_add=False
            ),
        ),
        ops.AddField(
            model_name="PushDevice",
            name="topics_synced_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
