"""Migrations upgrade a database that already holds rows (a city's imported shelters, its
facilities): a NOT NULL column added later takes its default on every existing row."""

from __future__ import annotations

import uuid

from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate

from core import database
from tests.conftest import forget_other_dialect

FACILITY = (
    "INSERT INTO booking_facility (name_ja, name_en, address_ja, address_en, "
    "cancellation_policy, hold_minutes, created_at) VALUES ('市民体育館', 'Gym', '二本松市', "
    "'', '[]', 30, '2026-01-01 00:00:00+00:00')"
)
SHELTER = (
    "INSERT INTO geo_shelter (public_id, place_key, source_id, source_ids, name, kana, address, "
    "lat, lng, hazards, capacity, is_evacuation_site, is_shelter, municipality_code, notes, "
    "is_open, updated_at) VALUES ('{uid}', 'key-1', 'src-1', 'src-1', '二本松市役所', '', '', "
    "37.58, 140.43, 3, 120, {true}, {true}, '072109', '', {true}, '2026-01-01 00:00:00+00:00')"
)


UPGRADES = [  # (the app's migration before the columns, a row then, what it reads after)
    (
        "geo.0001_initial",
        SHELTER,
        'SELECT name, capacity, opened, "full" FROM geo_shelter',
        [("二本松市役所", 120, False, False)],
    ),
    (
        "booking.0002_no_double_booking",
        FACILITY,
        "SELECT name_ja, hold_minutes, listed FROM booking_facility",
        [("市民体育館", 30, True)],
    ),
]


async def test_migrations__a_database_with_rows_upgrades(empty_database):
    forget_other_dialect()
    config = database.tortoise_config(empty_database)
    for target, *_ in UPGRADES:
        await migrate(config=config, target=target)
        await Tortoise.close_connections()
    await database.init(config)
    true = "1" if empty_database.startswith("sqlite") else "true"
    for _, insert, *_ in UPGRADES:
        await connections.get("default").execute_script(insert.format(uid=uuid.uuid4(), true=true))
    await Tortoise.close_connections()

    await database.migrate(config)
    await database.init(config)
    try:
        found = [
            await connections.get("default").execute_query_dict(select)
            for _, _, select, _ in UPGRADES
        ]
    finally:
        await Tortoise.close_connections()
    for rows, (target, _, _, expected) in zip(found, UPGRADES, strict=True):
        as_python = [
            tuple(bool(v) if isinstance(e, bool) else v for v, e in zip(r.values(), w, strict=True))
            for r, w in zip(rows, expected, strict=True)
        ]
        assert len(rows) == len(expected) and as_python == expected, target
