from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("accounts", "0002_audit_entry"),
        ("geo", "0001_initial"),
        ("geo", "0002_shelter_opened"),
        ("geo", "0003_shelter_operation"),
    ]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name="ShelterOperation",
            options={
                "table": "geo_shelter_operation",
                "app": "geo",
                "pk_attr": "shelter_id",
                "table_description": "A shelter as staff last reported it: one row per shelter they ever reported on.",
            },
        ),
    ]
