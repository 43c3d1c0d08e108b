"""Area locks and retries that keep concurrent writers of block rows from deadlocking."""

from __future__ import annotations

from datetime import date

import pytest

from booking.locking import area_key, area_of, is_retryable, retrying


class DeadlockDetected(Exception):
    sqlstate = "40P01"


def test_area__the_root_of_the_space_tree():
    tree = {1: None, 2: 1, 3: 1, 4: 2, 9: None}

    assert [area_of(space, tree) for space in (1, 2, 3, 4, 9)] == [1, 1, 1, 1, 9]


def test_area_key__signed_64_bit_and_distinct_per_area_and_day():
    keys = {area_key(area, date(2026, 12, day)) for area in range(1, 30) for day in range(1, 29)}

    assert len(keys) == 29 * 28
    assert all(-(2**63) <= key < 2**63 for key in keys)


async def test_retrying__again_after_a_deadlock_then_gives_up():
    calls = []

    async def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("transaction aborted") from DeadlockDetected()
        return "done"

    async def always() -> None:
        raise DeadlockDetected()

    assert await retrying(flaky) == "done" and len(calls) == 3
    with pytest.raises(DeadlockDetected):
        await retrying(always)


async def test_retrying__other_errors_are_not_retried():
    calls = []

    async def broken() -> None:
        calls.append(1)
        raise ValueError("no")

    with pytest.raises(ValueError):
        await retrying(broken)
    assert len(calls) == 1 and not is_retryable(ValueError("no"))
