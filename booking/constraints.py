"""No double booking, enforced by the database itself.

The scheme
----------
Spaces form a tree (the whole gym, its halves). Two bookings clash when their
times overlap and one space contains the other (or they are the same space).
Each booking therefore writes one *block row* (`booking_space_block`) per space
it occupies: its own space and every part of it, at any depth. A booking of the
whole gym writes rows for the gym, half A and half B; a booking of half A writes
one row for half A. In a tree two spaces share a row space id exactly when one
contains the other, so "no two active rows of one space id overlap in time"
is the whole rule, and a single-table constraint can enforce it:

* PostgreSQL: an exclusion constraint over (space_id WITH =, tstzrange WITH &&)
  for active rows. It needs the btree_gist extension (in postgresql-contrib,
  shipped with the server; trusted, so the database owner may create it).
* SQLite: BEFORE INSERT / BEFORE UPDATE triggers that RAISE(ABORT) when an
  active row of the same space overlaps. SQLite has one writer at a time and the
  trigger runs inside the write, so two holds cannot both pass. Booking
  transactions should still start with BEGIN IMMEDIATE: the checks made before
  the insert (limits, expired holds) then read the state the insert will see,
  and concurrent writers wait for the lock instead of failing with
  SQLITE_BUSY_SNAPSHOT.

Both raise an integrity error naming OVERLAP_CONSTRAINT; `is_overlap_violation`
recognises it so the service can answer SLOT_TAKEN.

Intervals are half-open, so back-to-back bookings (9-12, 12-15) are allowed.
Rows stop blocking when `active` is false: the service clears it in the same
transaction that cancels, expires or refunds the reservation, and before
inserting a hold it releases holds whose `hold_expires_at` has passed (a
constraint cannot look at the clock). A lottery slot holds block rows too, so
first-come booking cannot take it while the lottery runs. When a space gains a
new part, existing future blocks of its ancestors must be copied onto the part.

On SQLite Tortoise stores datetimes as ISO text, possibly with differing UTC
offsets, so the triggers compare julianday() values (exact to the millisecond).
"""

from __future__ import annotations

BLOCK_TABLE = "booking_space_block"
OVERLAP_CONSTRAINT = "booking_space_block_no_overlap"
ORDER_CONSTRAINT = "booking_space_block_ordered"
OWNER_CONSTRAINT = "booking_space_block_one_owner"

POSTGRES_STATEMENTS: tuple[str, ...] = (
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE {BLOCK_TABLE} ADD CONSTRAINT {ORDER_CONSTRAINT}
    CHECK (ends_at > starts_at)""",
    f"""ALTER TABLE {BLOCK_TABLE} ADD CONSTRAINT {OWNER_CONSTRAINT}
    CHECK ((reservation_id IS NULL) <> (lottery_slot_id IS NULL))""",
    f"""ALTER TABLE {BLOCK_TABLE} ADD CONSTRAINT {OVERLAP_CONSTRAINT}
    EXCLUDE USING gist (space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (active)""",
)

POSTGRES_REVERSE_STATEMENTS: tuple[str, ...] = tuple(
    f"ALTER TABLE {BLOCK_TABLE} DROP CONSTRAINT IF EXISTS {name}"
    for name in (OVERLAP_CONSTRAINT, OWNER_CONSTRAINT, ORDER_CONSTRAINT)
)

_SQLITE_ROW_CHECKS = f"""
    SELECT RAISE(ABORT, '{ORDER_CONSTRAINT}')
    WHERE julianday(NEW.ends_at) <= julianday(NEW.starts_at);
    SELECT RAISE(ABORT, '{OWNER_CONSTRAINT}')
    WHERE (NEW.reservation_id IS NULL) = (NEW.lottery_slot_id IS NULL);"""


def _sqlite_overlap_check(skip_same_row: str) -> str:
    return f"""
    SELECT RAISE(ABORT, '{OVERLAP_CONSTRAINT}')
    WHERE NEW.active AND EXISTS (
        SELECT 1 FROM {BLOCK_TABLE} AS other
        WHERE other.space_id = NEW.space_id
          AND other.active
          AND julianday(other.ends_at) > julianday(NEW.starts_at)
          AND julianday(other.starts_at) < julianday(NEW.ends_at){skip_same_row}
    );"""


SQLITE_STATEMENTS: tuple[str, ...] = (
    f"""CREATE INDEX IF NOT EXISTS {BLOCK_TABLE}_active_end
    ON {BLOCK_TABLE} (space_id, julianday(ends_at)) WHERE active""",
    f"""CREATE TRIGGER {OVERLAP_CONSTRAINT}_insert
    BEFORE INSERT ON {BLOCK_TABLE}
    BEGIN{_SQLITE_ROW_CHECKS}{_sqlite_overlap_check("")}
    END""",
    f"""CREATE TRIGGER {OVERLAP_CONSTRAINT}_update
    BEFORE UPDATE OF space_id, starts_at, ends_at, active, reservation_id, lottery_slot_id
    ON {BLOCK_TABLE}
    BEGIN{_SQLITE_ROW_CHECKS}{_sqlite_overlap_check(chr(10) + "          AND other.id <> NEW.id")}
    END""",
)

SQLITE_REVERSE_STATEMENTS: tuple[str, ...] = (
    f"DROP TRIGGER IF EXISTS {OVERLAP_CONSTRAINT}_update",
    f"DROP TRIGGER IF EXISTS {OVERLAP_CONSTRAINT}_insert",
    f"DROP INDEX IF EXISTS {BLOCK_TABLE}_active_end",
)

_DIALECTS = {
    "postgres": (POSTGRES_STATEMENTS, POSTGRES_REVERSE_STATEMENTS),
    "sqlite": (SQLITE_STATEMENTS, SQLITE_REVERSE_STATEMENTS),
}


def statements_for(dialect: str) -> tuple[str, ...]:
    """The SQL that installs the constraints, for "postgres" or "sqlite"."""
    return _dialect(dialect)[0]


def reverse_statements_for(dialect: str) -> tuple[str, ...]:
    """The SQL that removes them again."""
    return _dialect(dialect)[1]


def is_overlap_violation(error: BaseException) -> bool:
    """True if `error` (driver or Tortoise IntegrityError) is the overlap refusal."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if OVERLAP_CONSTRAINT in str(current) or any(
            OVERLAP_CONSTRAINT in str(arg) for arg in current.args
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


def _dialect(dialect: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    key = "postgres" if dialect in ("postgres", "postgresql", "asyncpg", "psycopg") else dialect
    if key not in _DIALECTS:
        raise ValueError(f"no booking constraints for dialect {dialect!r}")
    return _DIALECTS[key]
