from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from disaster.mode.models import CityMode


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="CityModeChange",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "mode",
                    fields.CharEnumField(
                        description="NORMAL: NORMAL\nDISASTER: DISASTER\nRECOVERY: RECOVERY",
                        enum_type=CityMode,
                        max_length=10,
                    ),
                ),
                (
                    "hazard",
                    fields.CharField(
                        null=True, description="geo.hazards.Hazard value", max_length=20
                    ),
                ),
                ("note", fields.TextField(default="", unique=False)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "staff",
                    fields.ForeignKeyField(
                        "accounts.StaffMember",
                        source_field="staff_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="city_mode_changes",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("staff_name", fields.CharField(default="", max_length=100)),
            ],
            options={
                "table": "disaster_city_mode",
                "app": "disaster",
                "pk_attr": "id",
                "table_description": "Each switch staff made, the latest being the mode of the city.",
            },
            bases=["Model"],
        ),
    ]
