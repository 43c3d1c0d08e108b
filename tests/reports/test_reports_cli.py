from __future__ import annotations

import asyncio

from typer.testing import CliRunner

from cli import cli


def test_create_open311_key__printed_once_and_stored_as_a_digest(cli_env):
    from tortoise import Tortoise

    from core import database, security

    database_url = f"sqlite://{cli_env}/cli.sqlite3"

    result = CliRunner().invoke(cli, ["create-open311-key", "FixMyCity app"])

    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert len(key) >= 30

    async def stored():
        from reports.models import Open311Key

        await database.init(database.tortoise_config(database_url))
        try:
            return [(k.name, k.key_hash) for k in await Open311Key.all()]
        finally:
            await Tortoise.close_connections()

    assert asyncio.run(stored()) == [("FixMyCity app", security.digest(key))]
