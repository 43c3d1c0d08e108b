import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
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
                        related_name="audit_entries",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "actor_name",
                    fields.CharField(
                        default="",
                        description="The staff member's name then, so the entry still says who after an account is gone.",
                        max_length=100,
                    ),
                ),
                ("action", fields.CharField(max_length=60)),
                ("subject_type", fields.CharField(max_length=40)),
                ("subject_id", fields.CharField(max_length=64)),
                (
                    "resident_id",
                    fields.IntField(
                        null=True,
                        description="Whose personal data was acted on or seen, when a resident's.",
                    ),
                ),
                (
                    "detail",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
            ],
            options={
                "table": "audit_entry",
                "app": "accounts",
                "indexes": [
                    Index(fields=["subject_type", "subject_id"]),
                    Index(fields=["at"]),
                    Index(fields=["resident_id"]),
                ],
                "pk_attr": "id",
                "table_description": "Who did or saw what, when, about which object: staff actions and staff views of a",
            },
            bases=["Model"],
        ),
    ]
