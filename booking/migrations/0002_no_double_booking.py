"""The database refuses double booking (booking.constraints): an exclusion constraint on
PostgreSQL, triggers on SQLite."""

from tortoise import migrations
from tortoise.migrations import operations as ops

from booking.constraints import reverse_statements_for, statements_for


async def _run_each(schema_editor, statements) -> None:
    # One statement per call: the SQLite triggers have semicolons inside their bodies.
    for statement in statements:
        if schema_editor.collect_sql:
            schema_editor.collected_sql.append(statement)
        else:
            await schema_editor.client.execute_query(statement)


async def install(apps, schema_editor) -> None:
    await _run_each(schema_editor, statements_for(schema_editor.DIALECT))


async def remove(apps, schema_editor) -> None:
    await _run_each(schema_editor, reverse_statements_for(schema_editor.DIALECT))


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [ops.RunPython(install, remove)]
