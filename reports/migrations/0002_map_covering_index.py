from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("accounts", "0002_audit_entry"),
        ("reports", "0001_initial"),
    ]

    initial = False

    operations = [
        ops.RemoveIndex(
            model_name="Report",
            name=None,
            fields=["cell", "status", "hidden", "lat", "lng", "created_at", "category_id", "id"],
        ),
        ops.AddIndex(
            model_name="Report",
            index=Index(
                fields=[
                    "cell",
                    "status",
                    "hidden",
                    "lat",
                    "lng",
                    "created_at",
                    "category_id",
                    "id",
                    "public_id",
                    "receipt_number",
                    "department_id",
                    "reporter_id",
                    "acknowledge_due_at",
                    "resolve_due_at",
                ]
            ),
        ),
    ]
