from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("accounts", "0002_audit_entry"),
        ("booking", "0001_initial"),
        ("booking", "0002_no_double_booking"),
    ]

    initial = False

    operations = [
        ops.AddField(
            model_name="Facility",
            name="listed",
            field=fields.BooleanField(
                default=True,
                db_default=True,
                description="Shown in the facility search and bookable by anyone. A city hall counter is not:",
            ),
        ),
    ]
