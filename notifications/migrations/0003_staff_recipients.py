from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

# On SQLite, making a column nullable rebuilds its table (create a copy, drop the original,
# rename the copy). Two things are lost on the way, and this migration brings them back:
# - dropping `notification` deletes it row by row, and ON DELETE CASCADE empties `delivery`
#   (foreign keys cannot be switched off inside the migration's transaction), so the ledger is
#   set aside in a temporary table before and put back after;
# - the rebuilt tables have no indexes or unique constraints but the inline ones; they are made
#   again here, as migrations 0001 and 0002 made them.
SQLITE_INDEXES = (
    """CREATE UNIQUE INDEX IF NOT EXISTS "uid_delivery_notific_address" ON "delivery" ("notification_id", "channel", "address")""",
    """CREATE INDEX IF NOT EXISTS "idx_delivery_claim_t_0ccc91" ON "delivery" ("claim_token")""",
    """CREATE INDEX IF NOT EXISTS "idx_delivery_lease_u_90162e" ON "delivery" ("lease_until")""",
    """CREATE INDEX IF NOT EXISTS "idx_delivery_broadca_48baf7" ON "delivery" ("broadcast_id", "channel", "status")""",
    """CREATE INDEX IF NOT EXISTS "idx_delivery_residen_1e5941" ON "delivery" ("resident_id", "channel")""",
    """CREATE INDEX IF NOT EXISTS delivery_due ON delivery (channel, lane, next_attempt_at, id) WHERE next_attempt_at IS NOT NULL""",
    """CREATE INDEX IF NOT EXISTS "idx_notificatio_residen_e8146a" ON "notification" ("resident_id", "created_at")""",
    """CREATE INDEX IF NOT EXISTS "idx_notificatio_fanout__c9b6d5" ON "notification" ("fanout_pending", "id")""",
    """CREATE UNIQUE INDEX IF NOT EXISTS "uid_notificatio_broadca_c474f7" ON "notification" ("broadcast_id", "resident_id")""",
)

SET_LEDGER_ASIDE = ('CREATE TEMPORARY TABLE "ledger_kept" AS SELECT * FROM "delivery"',)
PUT_LEDGER_BACK = (
    'INSERT INTO "delivery" SELECT * FROM "ledger_kept"',
    'DROP TABLE "ledger_kept"',
)


async def _run_on_sqlite(schema_editor, statements: tuple[str, ...]) -> None:
    if schema_editor.client.capabilities.dialect != "sqlite":
        return
    for statement in statements:
        if schema_editor.collect_sql:
            schema_editor.collected_sql.append(statement)
        else:
            # One statement at a time: sqlite3's executescript would commit the migration's
            # transaction halfway.
            await schema_editor.client.execute_query(statement)


async def set_ledger_aside(apps, schema_editor) -> None:
    await _run_on_sqlite(schema_editor, SET_LEDGER_ASIDE)


async def put_ledger_back(apps, schema_editor) -> None:
    await _run_on_sqlite(schema_editor, PUT_LEDGER_BACK)


async def restore_sqlite_indexes(apps, schema_editor) -> None:
    await _run_on_sqlite(schema_editor, SQLITE_INDEXES)


async def nothing(apps, schema_editor) -> None:
    return None


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("accounts", "0002_audit_entry"),
        ("notifications", "0002_delivery_ledger"),
    ]

    initial = False

    operations = [
        ops.AlterField(
            model_name="Delivery",
            name="resident_id",
            field=fields.IntField(null=True),
        ),
        ops.RunPython(set_ledger_aside, nothing),
        ops.AlterModelOptions(
            name="Notification",
            options={
                "table": "notification",
                "app": "notifications",
                "unique_together": (("broadcast_id", "resident_id"), ("broadcast_id", "staff_id")),
                "indexes": [
                    Index(fields=["resident_id", "created_at"]),
                    Index(fields=["fanout_pending", "id"]),
                ],
                "pk_attr": "id",
                "table_description": "A message to one resident, kept in their in-app list, or to one staff member (an",
            },
        ),
        ops.AlterField(
            model_name="Notification",
            name="resident",
            field=fields.ForeignKeyField(
                "accounts.Resident",
                source_field="resident_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="notifications",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.AddField(
            model_name="Notification",
            name="staff",
            field=fields.ForeignKeyField(
                "accounts.StaffMember",
                source_field="staff_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="notifications",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.AddConstraint(
            model_name="Notification",
            constraint=UniqueConstraint(fields=("broadcast_id", "staff_id"), name=None),
        ),
        ops.RunPython(put_ledger_back, nothing),
        ops.RunPython(restore_sqlite_indexes, nothing),
    ]
