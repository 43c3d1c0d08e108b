from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("accounts", "0002_audit_entry"),
        ("notifications", "0004_push_topics"),
    ]

    initial = False

    operations = [
        ops.AddField(
            model_name="TopicMessage",
            name="counted_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
