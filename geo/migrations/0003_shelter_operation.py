import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("geo", "0002_shelter_opened")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ShelterLogEntry",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "shelter",
                    fields.ForeignKeyField(
                        "geo.Shelter",
                        source_field="shelter_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="log",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "staff",
                    fields.ForeignKeyField(
                        "accounts.StaffMember",
                        source_field="staff_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="shelter_log_entries",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("staff_name", fields.CharField(default="", max_length=100)),
                (
                    "status",
                    fields.CharField(
                        description="geo.service.ShelterStatus after it", max_length=12
                    ),
                ),
                ("capacity", fields.IntField(null=True)),
                ("headcount", fields.IntField(null=True)),
                (
                    "offers",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
            ],
            options={
                "table": "geo_shelter_log",
                "app": "geo",
                "indexes": [Index(fields=["shelter_id", "at"])],
                "pk_attr": "id",
                "table_description": "One change staff made to a shelter: its state and counts after it, who, when.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ShelterOperation",
            fields=[
                (
                    "shelter",
                    fields.OneToOneField(
                        "geo.Shelter",
                        source_field="shelter_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="operation",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "capacity",
                    fields.IntField(
                        null=True,
                        description="people it can take now (null: as published)",
                    ),
                ),
                ("headcount", fields.IntField(default=0)),
                (
                    "offers",
                    fields.JSONField(
                        default=list,
                        description="Offer values",
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "updated_by",
                    fields.ForeignKeyField(
                        "accounts.StaffMember",
                        source_field="updated_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="shelter_operations",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("updated_by_name", fields.CharField(default="", max_length=100)),
            ],
            options={
                "table": "geo_shelter_operation",
                "app": "geo",
                "pk_attr": "shelter_id",
                "table_description": "A shelter as staff last reported it: one row per shelter they ever reported on.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Shelter",
            name="full",
            field=fields.BooleanField(
                default=False, description="its headcount has reached its capacity (geo.operation)"
            ),
        ),
        ops.AddIndex(
            model_name="Shelter",
            index=Index(fields=["lat", "lng"]),
        ),
    ]
