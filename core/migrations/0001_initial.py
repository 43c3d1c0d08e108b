from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Lease",
            fields=[
                (
                    "name",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=100),
                ),
                ("holder", fields.CharField(max_length=200)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "lease",
                "app": "core",
                "pk_attr": "name",
                "table_description": "Who runs a periodic job (core.leases): held until `expires_at`, renewed while alive.",
            },
            bases=["Model"],
        ),
    ]
