"""The SQLite triggers that refuse double booking, on a bare table shaped like SpaceBlock."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from booking.constraints import (
    OVERLAP_CONSTRAINT,
    is_overlap_violation,
    reverse_statements_for,
    statements_for,
)
from booking.spaces import block_space_ids

GYM, HALF_A, HALF_B = 1, 2, 3
PARENT_OF = {GYM: None, HALF_A: GYM, HALF_B: GYM}

BLOCK_TABLE_DDL = """
CREATE TABLE booking_space_block (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    active INT NOT NULL DEFAULT 1,
    lottery_slot_id INT,
    reservation_id INT,
    space_id INT NOT NULL
)"""


@pytest.fixture
def db() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute(BLOCK_TABLE_DDL)
    for statement in statements_for("sqlite"):
        connection.execute(statement)
    yield connection
    connection.close()


def book(db, space, starts_at, ends_at, reservation_id=1, active=1):
    """Write the block rows of one booking in one transaction, as the service will."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for space_id in sorted(block_space_ids(space, PARENT_OF)):
            db.execute(
                "INSERT INTO booking_space_block (space_id, reservation_id, starts_at, ends_at, active)"
                " VALUES (?, ?, ?, ?, ?)",
                (space_id, reservation_id, starts_at, ends_at, active),
            )
    except sqlite3.IntegrityError:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def rows(db) -> int:
    return db.execute("SELECT count(*) FROM booking_space_block").fetchone()[0]


def test_overlap_on_the_same_space__refused(db):
    book(db, HALF_A, "2025-06-01 00:00:00+00:00", "2025-06-01 03:00:00+00:00")

    with pytest.raises(sqlite3.IntegrityError) as caught:
        book(db, HALF_A, "2025-06-01 02:00:00+00:00", "2025-06-01 04:00:00+00:00", reservation_id=2)

    assert is_overlap_violation(caught.value)
    assert rows(db) == 1


def test_back_to_back__allowed(db):
    book(db, HALF_A, "2025-06-01 00:00:00+00:00", "2025-06-01 03:00:00+00:00")
    book(db, HALF_A, "2025-06-01 03:00:00+00:00", "2025-06-01 06:00:00+00:00", reservation_id=2)

    assert rows(db) == 2


def test_offsets_are_compared_as_instants(db):
    book(db, HALF_A, "2025-06-01 00:00:00+00:00", "2025-06-01 03:00:00+00:00")

    with pytest.raises(sqlite3.IntegrityError):
        book(db, HALF_A, "2025-06-01 11:00:00+09:00", "2025-06-01 13:00:00+09:00", reservation_id=2)
    book(db, HALF_A, "2025-06-01 12:00:00+09:00", "2025-06-01 13:00:00+09:00", reservation_id=3)


def test_whole_gym_blocks_a_half_and_the_halves_do_not_block_each_other(db):
    book(db, HALF_A, "2025-06-01 00:00:00+00:00", "2025-06-01 03:00:00+00:00")
    book(db, HALF_B, "2025-06-01 00:00:00+00:00", "2025-06-01 03:00:00+00:00", reservation_id=2)

    with pytest.raises(sqlite3.IntegrityError):
        book(db, GYM, "2025-06-01 01:00:00+00:00", "2025-06-01 02:00:00+00:00", reservation_id=3)
    assert rows(db) == 2


def test_half_after_whole_gym__refused(db):
    book(db, GYM, "2025-06-01 00:00:00+00:00", "2025-06-01 03:00:00+00:00")

    with pytest.raises(sqlite3.IntegrityError):
        book(db, HALF_B, "2025-06-01 02:59:00+00:00", "2025-06-01 04:00:00+00:00", reservation_id=2)


def test_inactive_rows__do_not_block(db):
    book(db, GYM, "2025-06-01 00:00:00+00:00", "2025-06-01 03:00:00+00:00")
    db.execute("UPDATE booking_space_block SET active = 0 WHERE reservation_id = 1")

    book(db, HALF_A, "2025-06-01 00:00:00+00:00", "2025-06-01 03:00:00+00:00", reservation_id=2)
    book(
        db,
        GYM,
        "2025-06-01 00:00:00+00:00",
        "2025-06-01 03:00:00+00:00",
        reservation_id=3,
        active=0,
    )


def test_reactivating_a_row_that_now_overlaps__refused(db):
    book(db, HALF_A, "2025-06-01 00:00:00+00:00", "2025-06-01 03:00:00+00:00")
    db.execute("UPDATE booking_space_block SET active = 0")
    book(db, HALF_A, "2025-06-01 01:00:00+00:00", "2025-06-01 02:00:00+00:00", reservation_id=2)

    with pytest.raises(sqlite3.IntegrityError, match=OVERLAP_CONSTRAINT):
        db.execute("UPDATE booking_space_block SET active = 1 WHERE reservation_id = 1")


def test_moving_a_row_onto_another__refused_but_a_row_may_change_itself(db):
    book(db, HALF_A, "2025-06-01 00:00:00+00:00", "2025-06-01 03:00:00+00:00")
    book(db, HALF_A, "2025-06-01 05:00:00+00:00", "2025-06-01 06:00:00+00:00", reservation_id=2)

    db.execute(
        "UPDATE booking_space_block SET ends_at = '2025-06-01 04:00:00+00:00' WHERE reservation_id = 1"
    )
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "UPDATE booking_space_block SET ends_at = '2025-06-01 05:30:00+00:00' WHERE reservation_id = 1"
        )


def test_row_ending_before_it_starts__refused(db):
    with pytest.raises(sqlite3.IntegrityError, match="ordered"):
        book(db, HALF_A, "2025-06-01 03:00:00+00:00", "2025-06-01 03:00:00+00:00")


def test_row_with_no_owner_or_two_owners__refused(db):
    with pytest.raises(sqlite3.IntegrityError, match="one_owner"):
        db.execute(
            "INSERT INTO booking_space_block (space_id, starts_at, ends_at)"
            " VALUES (1, '2025-06-01 00:00:00+00:00', '2025-06-01 01:00:00+00:00')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="one_owner"):
        db.execute(
            "INSERT INTO booking_space_block (space_id, reservation_id, lottery_slot_id, starts_at, ends_at)"
            " VALUES (1, 1, 1, '2025-06-01 00:00:00+00:00', '2025-06-01 01:00:00+00:00')"
        )


def test_overlap_check_uses_the_index(db):
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT 1 FROM booking_space_block AS other"
        " WHERE other.space_id = 1 AND other.active"
        " AND julianday(other.ends_at) > julianday('2025-06-01') AND julianday(other.starts_at) < julianday('2025-06-02')"
    ).fetchall()

    assert "booking_space_block_active_end" in str(plan)


def test_reverse_statements__remove_the_checks(db):
    for statement in reverse_statements_for("sqlite"):
        db.execute(statement)

    book(db, HALF_A, "2025-06-01 00:00:00+00:00", "2025-06-01 03:00:00+00:00")
    book(db, HALF_A, "2025-06-01 00:00:00+00:00", "2025-06-01 03:00:00+00:00", reservation_id=2)
    assert rows(db) == 2


def test_statements__unknown_dialect__refused():
    with pytest.raises(ValueError):
        statements_for("mysql")
    assert statements_for("postgresql") == statements_for("postgres")


def test_is_overlap_violation__other_errors__false():
    assert not is_overlap_violation(sqlite3.IntegrityError("UNIQUE constraint failed: x.y"))
    wrapped = RuntimeError("outer")
    wrapped.__cause__ = sqlite3.IntegrityError(OVERLAP_CONSTRAINT)
    assert is_overlap_violation(wrapped)
