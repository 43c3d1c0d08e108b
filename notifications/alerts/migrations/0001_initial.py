import functools
from json import dumps, loads
from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from notifications.alerts.models import (
    AlertSource,
    AlertStatus,
    Category,
    Certainty,
    MsgType,
    Severity,
    Urgency,
)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="Alert",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                (
                    "source",
                    fields.CharEnumField(
                        description="STAFF: staff\nCAP: cap\nJMA: jma",
                        enum_type=AlertSource,
                        max_length=10,
                    ),
                ),
                ("thread_key", fields.CharField(null=True, db_index=True, max_length=200)),
                ("identifier", fields.CharField(max_length=250)),
                ("sender", fields.CharField(max_length=250)),
                ("sent", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "status",
                    fields.CharEnumField(
                        description="ACTUAL: Actual\nEXERCISE: Exercise\nSYSTEM: System\nTEST: Test\nDRAFT: Draft",
                        enum_type=AlertStatus,
                        max_length=10,
                    ),
                ),
                (
                    "msg_type",
                    fields.CharEnumField(
                        description="ALERT: Alert\nUPDATE: Update\nCANCEL: Cancel",
                        enum_type=MsgType,
                        max_length=10,
                    ),
                ),
                ("references", fields.TextField(default="", unique=False)),
                ("note", fields.TextField(default="", unique=False)),
                ("language", fields.CharField(default="ja-JP", max_length=35)),
                (
                    "category",
                    fields.CharEnumField(
                        description="GEO: Geo\nMET: Met\nSAFETY: Safety\nSECURITY: Security\nRESCUE: Rescue\nFIRE: Fire\nHEALTH: Health\nENV: Env\nTRANSPORT: Transport\nINFRA: Infra\nCBRNE: CBRNE\nOTHER: Other",
                        enum_type=Category,
                        max_length=10,
                    ),
                ),
                ("event", fields.CharField(max_length=500)),
                (
                    "urgency",
                    fields.CharEnumField(
                        description="IMMEDIATE: Immediate\nEXPECTED: Expected\nFUTURE: Future\nPAST: Past\nUNKNOWN: Unknown",
                        enum_type=Urgency,
                        max_length=10,
                    ),
                ),
                (
                    "severity",
                    fields.CharEnumField(
                        description="EXTREME: Extreme\nSEVERE: Severe\nMODERATE: Moderate\nMINOR: Minor\nUNKNOWN: Unknown",
                        enum_type=Severity,
                        max_length=10,
                    ),
                ),
                (
                    "certainty",
                    fields.CharEnumField(
                        description="OBSERVED: Observed\nLIKELY: Likely\nPOSSIBLE: Possible\nUNLIKELY: Unlikely\nUNKNOWN: Unknown",
                        enum_type=Certainty,
                        max_length=10,
                    ),
                ),
                ("response_type", fields.CharField(default="", max_length=20)),
                ("sender_name", fields.CharField(default="", max_length=500)),
                ("headline", fields.CharField(default="", max_length=500)),
                ("description", fields.TextField(default="", unique=False)),
                ("instruction", fields.TextField(default="", unique=False)),
                ("web", fields.CharField(default="", max_length=1000)),
                ("contact", fields.CharField(default="", max_length=500)),
                ("effective", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("onset", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("expires", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("hazard", fields.CharField(null=True, max_length=20)),
                (
                    "areas",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "translations",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("min_lat", fields.FloatField(null=True)),
                ("min_lng", fields.FloatField(null=True)),
                ("max_lat", fields.FloatField(null=True)),
                ("max_lng", fields.FloatField(null=True)),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "accounts.StaffMember",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="alerts",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "cancelled_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "alert",
                "app": "alerts",
                "indexes": [Index(fields=["status", "msg_type", "expires"])],
                "pk_attr": "id",
                "table_description": "One alert as it stands now: its latest CAP message (Alert, Update or Cancel).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AlertMessage",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "alert",
                    fields.ForeignKeyField(
                        "alerts.Alert",
                        source_field="alert_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="messages",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("identifier", fields.CharField(max_length=250)),
                ("sender", fields.CharField(max_length=250)),
                ("sent", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "msg_type",
                    fields.CharEnumField(
                        description="ALERT: Alert\nUPDATE: Update\nCANCEL: Cancel",
                        enum_type=MsgType,
                        max_length=10,
                    ),
                ),
                ("digest", fields.CharField(null=True, unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "alert_message",
                "app": "alerts",
                "unique_together": (("sender", "identifier"),),
                "pk_attr": "id",
                "table_description": "Each CAP message issued or taken in: what `references` point at, and a broadcast's key.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AlertSubscription",
            fields=[
                (
                    "resident",
                    fields.OneToOneField(
                        "accounts.Resident",
                        source_field="resident_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="alert_subscription",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("city_wide", fields.BooleanField(default=False)),
                ("exercises", fields.BooleanField(default=False)),
            ],
            options={
                "table": "alert_subscription",
                "app": "alerts",
                "pk_attr": "resident_id",
                "table_description": "Whole-city alerts, and test and exercise alerts for residents who help test them.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="JmaFeed",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("url", fields.CharField(unique=True, max_length=500)),
                ("etag", fields.CharField(default="", max_length=200)),
                ("last_modified", fields.CharField(default="", max_length=100)),
                ("checked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "alert_jma_feed",
                "app": "alerts",
                "pk_attr": "id",
                "table_description": "A JMA Atom feed being watched: its validators for conditional requests.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="JmaFeedEntry",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("entry_id", fields.CharField(unique=True, max_length=500)),
                ("outcome", fields.CharField(max_length=20)),
                ("imported_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "alert_jma_feed_entry",
                "app": "alerts",
                "pk_attr": "id",
                "table_description": "A feed entry whose telegram was taken in (whatever it held), never fetched again.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SharedLocation",
            fields=[
                (
                    "resident",
                    fields.OneToOneField(
                        "accounts.Resident",
                        source_field="resident_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="shared_location",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("lat", fields.FloatField()),
                ("lng", fields.FloatField()),
                ("shared_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "alert_shared_location",
                "app": "alerts",
                "indexes": [Index(fields=["shared_at"]), Index(fields=["lat", "lng"])],
                "pk_attr": "resident_id",
                "table_description": "The last location a resident shared in the bot, which counts for a day.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WatchArea",
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
                        related_name="watch_areas",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("label", fields.CharField(max_length=50)),
                ("lat", fields.FloatField()),
                ("lng", fields.FloatField()),
                ("radius_m", fields.FloatField()),
                ("min_lat", fields.FloatField()),
                ("min_lng", fields.FloatField()),
                ("max_lat", fields.FloatField()),
                ("max_lng", fields.FloatField()),
                ("position", fields.SmallIntField(default=0)),
            ],
            options={
                "table": "alert_watch_area",
                "app": "alerts",
                "indexes": [
                    Index(
                        fields=[
                            "min_lat",
                            "max_lat",
                            "min_lng",
                            "max_lng",
                            "resident_id",
                            "lat",
                            "lng",
                            "radius_m",
                        ]
                    ),
                    Index(fields=["resident_id"]),
                ],
                "pk_attr": "id",
                "table_description": "A circle a resident wants alerts for (home, parents' house, school).",
            },
            bases=["Model"],
        ),
    ]
