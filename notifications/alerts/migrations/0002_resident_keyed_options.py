from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("accounts", "0002_audit_entry"),
        ("alerts", "0001_initial"),
    ]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name="AlertSubscription",
            options={
                "table": "alert_subscription",
                "app": "alerts",
                "pk_attr": "resident_id",
                "table_description": "Whole-city alerts, and test and exercise alerts for residents who help test them.",
            },
        ),
        ops.AlterModelOptions(
            name="SharedLocation",
            options={
                "table": "alert_shared_location",
                "app": "alerts",
                "indexes": [Index(fields=["shared_at"]), Index(fields=["lat", "lng"])],
                "pk_attr": "resident_id",
                "table_description": "The last location a resident shared in the bot, which counts for a day.",
            },
        ),
    ]
