from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Shelter",
            name="opened",
            field=fields.BooleanField(
                default=False,
                db_default=False,
                description="staff have opened it for evacuees (geo.service.ShelterStatus)",
            ),
        ),
    ]
