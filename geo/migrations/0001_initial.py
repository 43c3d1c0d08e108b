from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Aed",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                ("source_id", fields.CharField(unique=True, max_length=100)),
                ("digest", fields.CharField(description="hash of the record", max_length=40)),
                ("name", fields.TextField(unique=False)),
                ("kana", fields.TextField(default="", unique=False)),
                ("address", fields.TextField(default="", unique=False)),
                ("lat", fields.FloatField()),
                ("lng", fields.FloatField()),
                (
                    "placement",
                    fields.TextField(
                        default="", description="設置位置: where in the building", unique=False
                    ),
                ),
                ("available_days", fields.TextField(default="", unique=False)),
                ("available_hours", fields.TextField(default="", unique=False)),
                ("availability_notes", fields.TextField(default="", unique=False)),
                (
                    "pediatric",
                    fields.BooleanField(null=True, description="小児対応, null when not stated"),
                ),
                ("phone", fields.TextField(default="", unique=False)),
                ("municipality_code", fields.CharField(default="", db_index=True, max_length=6)),
                ("notes", fields.TextField(default="", unique=False)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "geo_aed", "app": "geo", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="GeoState",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "data_version",
                    fields.BigIntField(
                        default=0, description="bumped by every import that changes rows"
                    ),
                ),
                (
                    "open_version",
                    fields.BigIntField(
                        default=0, description="bumped when staff open or close a site"
                    ),
                ),
            ],
            options={
                "table": "geo_state",
                "app": "geo",
                "pk_attr": "id",
                "table_description": "One row: versions every app process polls to know when to rebuild its index.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Shelter",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                (
                    "place_key",
                    fields.CharField(
                        unique=True, description="hash of name and position", max_length=40
                    ),
                ),
                (
                    "source_id",
                    fields.CharField(
                        db_index=True, description="first source's id", max_length=100
                    ),
                ),
                (
                    "source_ids",
                    fields.TextField(
                        default="", description="every source's id, space separated", unique=False
                    ),
                ),
                ("name", fields.TextField(unique=False)),
                ("kana", fields.TextField(default="", unique=False)),
                ("address", fields.TextField(default="", unique=False)),
                ("lat", fields.FloatField()),
                ("lng", fields.FloatField()),
                ("hazards", fields.SmallIntField(default=0, description="geo.hazards bit mask")),
                ("capacity", fields.IntField(null=True)),
                ("is_evacuation_site", fields.BooleanField(default=False)),
                ("is_shelter", fields.BooleanField(default=False)),
                ("municipality_code", fields.CharField(default="", db_index=True, max_length=6)),
                ("notes", fields.TextField(default="", unique=False)),
                (
                    "is_open",
                    fields.BooleanField(default=True, description="staff have not closed it"),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "geo_shelter",
                "app": "geo",
                "pk_attr": "id",
                "table_description": "A 指定緊急避難場所 (evacuation site), a 指定避難所 (shelter), or a place that is both.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ShelterSource",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("source_id", fields.CharField(unique=True, max_length=100)),
                ("dataset", fields.CharField(description="emergency or shelter", max_length=20)),
                ("municipality_code", fields.CharField(default="", max_length=6)),
                (
                    "shelter",
                    fields.ForeignKeyField(
                        "geo.Shelter",
                        source_field="shelter_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sources",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("digest", fields.CharField(description="hash of the record", max_length=40)),
                ("record", fields.TextField(description="the SiteRecord as JSON", unique=False)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "geo_shelter_source",
                "app": "geo",
                "indexes": [
                    Index(fields=["dataset", "municipality_code"]),
                    Index(fields=["shelter_id"]),
                ],
                "pk_attr": "id",
                "table_description": "One published row of a site file, as read (geo.readers.SiteRecord as JSON).",
            },
            bases=["Model"],
        ),
        ops.RunSQL(
            "INSERT INTO geo_state (id, data_version, open_version) VALUES (1, 0, 0)",
            reverse_sql="DELETE FROM geo_state WHERE id = 1",
        ),
    ]
