from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("accounts", "0002_audit_entry"),
        ("notifications", "0005_topic_message_counted_at"),
    ]

    initial = False

    # Every statement that names a claim also names its rows' ids: the index only cost each
    # row version of the ledger one more entry to write.
    operations = [
        ops.RemoveIndex(
            model_name="Delivery",
            name=None,
            fields=["claim_token"],
        ),
    ]
