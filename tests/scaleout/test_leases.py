"""Leases for periodic jobs: one holder at a time, renewed while it lives, taken over once it
lapses, handed back at a graceful stop."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import time_machine

from core import clock
from core.instances import leases
from core.models import Lease

MINUTE = timedelta(minutes=1)


async def test_acquire__one_holder_at_a_time_renewed_by_itself(app):
    assert await leases.acquire("job", MINUTE, holder="a")
    assert not await leases.acquire("job", MINUTE, holder="b")
    assert await leases.acquire("job", MINUTE, holder="a")  # renewal
    row = await Lease.get(name="job")
    assert row.holder == "a" and row.expires_at > clock.now() + timedelta(seconds=50)


async def test_acquire__lapsed__the_next_instance_takes_over(app):
    assert await leases.acquire("job", MINUTE, holder="a")
    with time_machine.travel(clock.now() + timedelta(seconds=59), tick=False):
        assert not await leases.acquire("job", MINUTE, holder="b")
    with time_machine.travel(clock.now() + timedelta(seconds=61), tick=False):
        assert await leases.acquire("job", MINUTE, holder="b")
        assert not await leases.acquire("job", MINUTE, holder="a")  # the old holder is out
    assert (await Lease.get(name="job")).holder == "b"


async def test_release__hands_it_back_at_once_only_by_its_holder(app):
    assert await leases.acquire("job", MINUTE, holder="a")
    await leases.release("job", holder="b")
    assert not await leases.acquire("job", MINUTE, holder="b")
    await leases.release("job", holder="a")
    assert await leases.acquire("job", MINUTE, holder="b")


async def test_acquire__many_at_once__exactly_one_wins(app):
    results = await asyncio.gather(
        *(leases.acquire("race", MINUTE, holder=f"h{n}") for n in range(12))
    )
    assert results.count(True) == 1
    assert (await Lease.get(name="race")).holder == f"h{results.index(True)}"


async def test_run_leased__rounds_on_one_instance_taken_over_after_a_graceful_stop(app):
    rounds: list[str] = []

    def counting(holder: str):
        async def round_() -> None:
            rounds.append(holder)

        return round_

    first = asyncio.create_task(leases.run_leased("jobs", counting("a"), every=0.05, holder="a"))
    await asyncio.sleep(0.02)
    second = asyncio.create_task(leases.run_leased("jobs", counting("b"), every=0.05, holder="b"))
    await asyncio.sleep(0.5)
    assert rounds and set(rounds) == {"a"}

    first.cancel()
    await asyncio.gather(first, return_exceptions=True)
    taken_over_at = len(rounds)
    await asyncio.sleep(0.5)
    second.cancel()
    await asyncio.gather(second, return_exceptions=True)

    assert set(rounds[taken_over_at:]) == {"b"}
    assert len(rounds) > taken_over_at + 2


async def test_run_leased__a_failing_round_is_logged_and_the_next_one_runs(app, caplog):
    calls = 0

    async def flaky() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("the payment provider is away")

    task = asyncio.create_task(leases.run_leased("flaky", flaky, every=0.05, holder="a"))
    await asyncio.sleep(0.4)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert calls >= 2
    assert "flaky: round failed" in caplog.text
