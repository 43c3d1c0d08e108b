"""The PostgreSQL exclusion constraint that refuses double booking, on a bare table shaped
like SpaceBlock, including transactions racing for the same slot with and without the
area lock the service takes first (booking.locking)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
import pytest_asyncio

from booking.constraints import is_overlap_violation, reverse_statements_for, statements_for
from booking.locking import area_key, area_of, is_retryable
from booking.spaces import block_space_ids

GYM, HALF_A, HALF_B = 1, 2, 3
PARENT_OF = {GYM: None, HALF_A: GYM, HALF_B: GYM}
NINE = datetime(2025, 6, 1, 0, tzinfo=UTC)

BLOCK_TABLE_DDL = """
CREATE TABLE booking_space_block (
    id SERIAL PRIMARY KEY,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    active BOOL NOT NULL DEFAULT TRUE,
    lottery_slot_id INT,
    reservation_id INT,
    space_id INT NOT NULL
)"""


@pytest_asyncio.fixture
async def database(postgres_dsn) -> AsyncIterator[str]:
    name = f"booking_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    dsn = postgres_dsn.rsplit("/", 1)[0] + "/" + name
    setup = await asyncpg.connect(dsn)
    await setup.execute(BLOCK_TABLE_DDL)
    for statement in statements_for("postgres"):
        await setup.execute(statement)
    await setup.close()
    try:
        yield dsn
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


@pytest_asyncio.fixture
async def db(database) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(database)
    yield connection
    await connection.close()


async def book(db, space, start, hours=3, reservation_id=1, active=True, area_lock=False):
    async with db.transaction():
        if area_lock:
            key = area_key(area_of(space, PARENT_OF), start.date())
            await db.execute("SELECT pg_advisory_xact_lock($1)", key)
        for space_id in sorted(block_space_ids(space, PARENT_OF)):
            await db.execute(
                "INSERT INTO booking_space_block (space_id, reservation_id, starts_at, ends_at, active)"
                " VALUES ($1, $2, $3, $4, $5)",
                space_id,
                reservation_id,
                start,
                start + timedelta(hours=hours),
                active,
            )


async def rows(db) -> int:
    return await db.fetchval("SELECT count(*) FROM booking_space_block")


@pytest.mark.asyncio
async def test_overlap__refused_as_exclusion_violation(db):
    await book(db, HALF_A, NINE)

    with pytest.raises(asyncpg.ExclusionViolationError) as caught:
        await book(db, HALF_A, NINE + timedelta(hours=2), reservation_id=2)

    assert is_overlap_violation(caught.value)
    assert await rows(db) == 1


@pytest.mark.asyncio
async def test_back_to_back_and_other_half__allowed(db):
    await book(db, HALF_A, NINE)
    await book(db, HALF_A, NINE + timedelta(hours=3), reservation_id=2)
    await book(db, HALF_B, NINE, reservation_id=3)

    assert await rows(db) == 3


@pytest.mark.asyncio
async def test_whole_gym_over_a_half__refused_atomically(db):
    await book(db, HALF_B, NINE)

    with pytest.raises(asyncpg.ExclusionViolationError):
        await book(db, GYM, NINE + timedelta(hours=1), reservation_id=2)

    assert await rows(db) == 1


@pytest.mark.asyncio
async def test_inactive_rows__do_not_block(db):
    await book(db, GYM, NINE)
    await db.execute("UPDATE booking_space_block SET active = false WHERE reservation_id = 1")

    await book(db, HALF_A, NINE, reservation_id=2)

    with pytest.raises(asyncpg.ExclusionViolationError):
        await db.execute("UPDATE booking_space_block SET active = true WHERE reservation_id = 1")


@pytest.mark.asyncio
async def test_row_checks__order_and_single_owner(db):
    with pytest.raises(asyncpg.CheckViolationError, match="ordered"):
        await book(db, HALF_A, NINE, hours=0)
    with pytest.raises(asyncpg.CheckViolationError, match="one_owner"):
        await db.execute(
            "INSERT INTO booking_space_block (space_id, starts_at, ends_at) VALUES (1, $1, $2)",
            NINE,
            NINE + timedelta(hours=1),
        )


RACES = 12


async def race(database, *, area_lock: bool) -> list[list[BaseException]]:
    """Each round: the whole gym and half A, overlapping, booked at the same moment."""
    first, second = await asyncpg.connect(database), await asyncpg.connect(database)
    try:
        rounds = []
        for round_ in range(RACES):
            start = NINE + timedelta(days=round_)
            results = await asyncio.gather(
                book(first, GYM, start, reservation_id=2 * round_ + 1, area_lock=area_lock),
                book(
                    second,
                    HALF_A,
                    start + timedelta(hours=1),
                    reservation_id=2 * round_ + 2,
                    area_lock=area_lock,
                ),
                return_exceptions=True,
            )
            rounds.append([result for result in results if isinstance(result, BaseException)])
        winners = await first.fetchval(
            "SELECT count(DISTINCT reservation_id) FROM booking_space_block"
        )
        assert winners == RACES
        return rounds
    finally:
        await first.close()
        await second.close()


@pytest.mark.asyncio
async def test_racing_for_one_slot_under_the_area_lock__one_wins_the_other_sees_the_overlap(
    database,
):
    for failures in await race(database, area_lock=True):
        assert len(failures) == 1
        assert is_overlap_violation(failures[0])


@pytest.mark.asyncio
async def test_racing_for_one_slot_without_the_area_lock__one_wins_the_other_may_deadlock(
    database,
):
    """Why the service takes the lock: the constraint alone still lets only one through, but
    the loser may be aborted as a deadlock (each checking the other's uncommitted row)."""
    for failures in await race(database, area_lock=False):
        assert len(failures) == 1
        assert is_overlap_violation(failures[0]) or is_retryable(failures[0])


@pytest.mark.asyncio
async def test_reverse_statements__remove_the_constraints(db):
    for statement in reverse_statements_for("postgres"):
        await db.execute(statement)

    await book(db, HALF_A, NINE)
    await book(db, HALF_A, NINE, reservation_id=2)

    assert await rows(db) == 2
