"""Writers of block rows take turns per area and day, so they fail cleanly, not by deadlock.

The database alone refuses double booking (booking.constraints). But on PostgreSQL an
exclusion constraint checks a row after inserting it, so two transactions inserting
conflicting rows at the same moment can each wait for the other; the deadlock detector
then aborts one of them a second later. Transactions that write block rows therefore
first queue on a transaction-scoped advisory lock for the area (the root of the space
tree: a whole gym and its halves are one area) and the day. The constraint still decides;
the lock only orders the contenders. On SQLite, where one writer runs at a time, the
transaction instead becomes the writer at its first statement (as BEGIN IMMEDIATE would),
so its checks read what its insert will see.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime
from typing import TypeVar
from weakref import WeakValueDictionary

from tortoise import connections

from booking.models import SpaceBlock
from booking.spaces import ancestors
from core.database import dialect

T = TypeVar("T")
RETRYABLE_STATES = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
ATTEMPTS = 3


def area_of(space_id: int, tree: dict[int, int | None]) -> int:
    """The space at the root of `space_id`'s tree."""
    found = ancestors(space_id, tree)
    return found[-1] if found else space_id


def area_key(area_id: int, day: date) -> int:
    """A signed 64-bit advisory lock key for (area, day), apart from other users' keys."""
    digest = hashlib.blake2b(f"booking-area:{area_id}:{day.isoformat()}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


async def become_writer() -> None:
    """On SQLite, take the write lock now; PostgreSQL needs nothing (it locks rows)."""
    if dialect() == "sqlite":  # written out: it runs in every hold, and changes no row
        await connections.get("default").execute_query(
            f"UPDATE {SpaceBlock._meta.db_table} SET active = 0 WHERE id = -1"
        )


async def lock_area(area_id: int, day: date) -> None:
    """Call first in a transaction that writes block rows in this area on this local day."""
    if dialect() == "sqlite":
        await become_writer()
        return
    await connections.get("default").execute_query(
        "SELECT pg_advisory_xact_lock($1)", [area_key(area_id, day)]
    )


_turns: WeakValueDictionary[tuple[int, datetime], asyncio.Lock] = WeakValueDictionary()


@contextlib.asynccontextmanager
async def hold_turn(space_id: int, starts_at: datetime) -> AsyncIterator[None]:
    """Holds of one space and start time take turns in this process, so each reads what the
    one before it wrote. Only an optimisation: `lock_area` orders the writers of an area
    across processes, and the database refuses overlaps (booking.constraints)."""
    key = (space_id, starts_at)
    turn = _turns.get(key)
    if turn is None:
        turn = _turns[key] = asyncio.Lock()
    async with turn:
        yield


def is_retryable(error: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if getattr(current, "sqlstate", None) in RETRYABLE_STATES:
            return True
        current = current.__cause__ or current.__context__
    return False


async def retrying(work: Callable[[], Awaitable[T]]) -> T:
    """Run a transaction again when the database aborted it to break a deadlock."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await work()
        except Exception as error:
            if attempt == ATTEMPTS or not is_retryable(error):
                raise
    raise AssertionError("unreachable")
