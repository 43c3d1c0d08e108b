from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from disaster.mode.models import CityMode
from disaster.safety.models import SafetyStatus
from disaster.support.models import CheckStatus, ConsentMethod, SupportRelation


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("alerts", "0001_initial"),
        ("geo", "0003_shelter_operation"),
    ]

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
        ops.CreateModel(
            name="District",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.CharField(unique=True, max_length=20)),
                ("name_ja", fields.CharField(max_length=100)),
                ("name_en", fields.CharField(max_length=100)),
                ("lat", fields.FloatField()),
                ("lng", fields.FloatField()),
            ],
            options={
                "table": "disaster_district",
                "app": "disaster",
                "pk_attr": "id",
                "table_description": "A district of the city, placed at its office: a point belongs to the nearest office.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="HouseholdMember",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="household_members",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=100)),
                ("relation", fields.CharField(default="", max_length=50)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "safety_household_member",
                "app": "disaster",
                "pk_attr": "id",
                "table_description": "Someone a resident may answer for (a child, a parent without a phone).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SafetyAnswer",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                (
                    "alert",
                    fields.ForeignKeyField(
                        "alerts.Alert",
                        source_field="alert_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="safety_answers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("person_key", fields.CharField(max_length=30)),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="safety_answers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "member",
                    fields.ForeignKeyField(
                        "disaster.HouseholdMember",
                        source_field="member_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="safety_answers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        description="SAFE: SAFE\nAT_SHELTER: AT_SHELTER\nNEED_HELP: NEED_HELP",
                        enum_type=SafetyStatus,
                        max_length=12,
                    ),
                ),
                (
                    "shelter",
                    fields.ForeignKeyField(
                        "geo.Shelter",
                        source_field="shelter_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="safety_answers",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("note", fields.CharField(default="", max_length=200)),
                ("lat", fields.FloatField(null=True)),
                ("lng", fields.FloatField(null=True)),
                ("district_code", fields.CharField(null=True, max_length=20)),
                ("answered_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "handled_at",
                    fields.DatetimeField(
                        null=True,
                        description="staff took care of a call for help",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                ("handled_by_name", fields.CharField(default="", max_length=100)),
            ],
            options={
                "table": "safety_answer",
                "app": "disaster",
                "unique_together": (("alert_id", "person_key"),),
                "indexes": [Index(fields=["alert_id", "status"])],
                "pk_attr": "id",
                "table_description": "One person's answer for one alert: the resident's own, or a household member's.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SafetyViewer",
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
                        related_name="safety_viewers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "viewer",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="viewer_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="safety_viewing",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "safety_viewer",
                "app": "disaster",
                "unique_together": (("resident_id", "viewer_id"),),
                "indexes": [Index(fields=["viewer_id"])],
                "pk_attr": "id",
                "table_description": "A family member (a resident) whom a resident allows to see their answers.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SupportNeededPerson",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        null=True,
                        unique=True,
                        description="the person's own account, when they have one",
                        db_constraint=True,
                        to_field="id",
                        related_name="support_registrations",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "sealed",
                    fields.TextField(
                        description="the person's details, encrypted (core.sealing)", unique=False
                    ),
                ),
                (
                    "consent_method",
                    fields.CharEnumField(
                        description="WRITTEN: WRITTEN\nAPP: APP",
                        enum_type=ConsentMethod,
                        max_length=10,
                    ),
                ),
                ("consent_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("consent_recorded_by", fields.CharField(default="", max_length=100)),
                (
                    "registered_by_staff",
                    fields.ForeignKeyField(
                        "accounts.StaffMember",
                        source_field="registered_by_staff_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="support_registrations",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "support_person", "app": "disaster", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SupportCheck",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "person",
                    fields.ForeignKeyField(
                        "disaster.SupportNeededPerson",
                        source_field="person_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="checks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "alert",
                    fields.ForeignKeyField(
                        "alerts.Alert",
                        source_field="alert_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="support_checks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "supporter",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="supporter_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="support_checks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        description="CONTACTED: CONTACTED\nEVACUATED: EVACUATED\nNOT_REACHABLE: NOT_REACHABLE",
                        enum_type=CheckStatus,
                        max_length=15,
                    ),
                ),
                ("note", fields.CharField(default="", max_length=200)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "support_check",
                "app": "disaster",
                "unique_together": (("person_id", "alert_id", "supporter_id"),),
                "pk_attr": "id",
                "table_description": "What a supporter found during an alert, shown to the welfare department.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SupportNotice",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "person",
                    fields.ForeignKeyField(
                        "disaster.SupportNeededPerson",
                        source_field="person_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="notices",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "alert",
                    fields.ForeignKeyField(
                        "alerts.Alert",
                        source_field="alert_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="support_notices",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("supporters", fields.SmallIntField(default=0)),
            ],
            options={
                "table": "support_notice",
                "app": "disaster",
                "unique_together": (("person_id", "alert_id"),),
                "pk_attr": "id",
                "table_description": "The person's supporters were told of this alert (once per person per alert).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Supporter",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "person",
                    fields.ForeignKeyField(
                        "disaster.SupportNeededPerson",
                        source_field="person_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="supporters",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="supporting",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "relation",
                    fields.CharEnumField(
                        description="FAMILY: FAMILY\nNEIGHBOUR: NEIGHBOUR\nMINSEI_IIN: MINSEI_IIN\nOTHER: OTHER",
                        enum_type=SupportRelation,
                        max_length=12,
                    ),
                ),
                ("position", fields.SmallIntField(default=0)),
            ],
            options={
                "table": "support_supporter",
                "app": "disaster",
                "unique_together": (("person_id", "resident_id"),),
                "indexes": [Index(fields=["resident_id"])],
                "pk_attr": "id",
                "table_description": "A resident who helps the person evacuate (family, a neighbour, the 民生委員).",
            },
            bases=["Model"],
        ),
    ]
