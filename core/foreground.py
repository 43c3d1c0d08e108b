"""Requests first: an app's background loops give way to the requests it is answering.

On one event loop a broadcast's steps and the API's requests take turns, so while both want
the loop every request also waits behind the broadcast. A background loop runs each step
through `Foreground.step`: when requests were being answered meanwhile, it then rests as long
as the step itself kept the loop's thread on the CPU (times `give_way`). Its share of a busy
loop falls to about half, it still advances every step, and an idle API costs it nothing.

CPU time, not wall time: waiting on the network or the database costs the requests nothing,
so it earns no rest. And the step's own CPU time, not the thread's: on a loop that requests
keep full, a step's thread time is mostly theirs (a delivery round of tens of milliseconds
took a second, all of it on the CPU), and resting that long starved the alert. The step's
coroutine is driven through `_Metered`, which times each stretch it runs between two
suspensions; tasks the step starts are timed when their coroutines are wrapped in `metered`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Coroutine, Generator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from core.observability import BACKGROUND_REST

T = TypeVar("T")

GIVE_WAY = 1.0


class Foreground:
    """The requests this app is answering; background steps rest when they share the loop."""

    def __init__(self, give_way: float = GIVE_WAY) -> None:
        self.give_way = give_way
        self.answering_now = 0
        self.started = 0  # requests begun since the app started
        self.rested = 0.0  # seconds background steps rested for them

    @contextmanager
    def answering(self) -> Iterator[None]:
        self.answering_now += 1
        self.started += 1
        try:
            yield
        finally:
            self.answering_now -= 1

    async def step(self, work: Callable[[], Awaitable[T]]) -> T:
        """One step of a background loop, then its rest if requests shared the loop with it."""
        meter, started = _Meter(), self.started
        token = _meter.set(meter)
        try:
            result = await _Metered(_coroutine(work()), meter)
        finally:
            _meter.reset(token)
        if self.answering_now or self.started != started:
            rest = meter.cpu * self.give_way
            self.rested += rest
            BACKGROUND_REST.inc(rest)
            await asyncio.sleep(rest)
        return result


class _Meter:
    """The CPU time of one background step, across the tasks it started."""

    __slots__ = ("cpu",)

    def __init__(self) -> None:
        self.cpu = 0.0


_meter: ContextVar[_Meter | None] = ContextVar("background_step_meter", default=None)


async def in_turn(turn: int, start: Callable[[], Awaitable[T]]) -> T:
    """`start()` after `turn` turns of the event loop: what a step starts at once goes a part
    per turn, the requests that came meanwhile between two parts (a turn runs every callback
    ready when it began, ahead of them: bench/disaster_broadcast.py --callbacks)."""
    for _ in range(turn):
        await asyncio.sleep(0)
    return await start()


def metered(coroutine: Coroutine[Any, Any, T]) -> Awaitable[T]:
    """A coroutine a background step runs as a task of its own (asyncio.gather, ensure_future),
    timed for the step's rest; anywhere else, the coroutine itself."""
    meter = _meter.get()
    return coroutine if meter is None else _Metered(coroutine, meter)


class _Metered:
    """Awaits a coroutine and adds the CPU time of each stretch it runs (from being resumed to
    its next suspension) to the meter. What else the loop runs meanwhile is not counted."""

    __slots__ = ("coroutine", "meter")

    def __init__(self, coroutine: Coroutine[Any, Any, T], meter: _Meter) -> None:
        self.coroutine = coroutine
        self.meter = meter

    def __await__(self) -> Generator[Any, Any, Any]:
        coroutine, meter = self.coroutine, self.meter
        sent: Any = None
        thrown: BaseException | None = None
        while True:
            began = time.thread_time()
            try:
                if thrown is None:
                    suspended_on = coroutine.send(sent)
                else:
                    suspended_on = coroutine.throw(thrown)
            except StopIteration as done:
                meter.cpu += time.thread_time() - began
                return done.value
            except BaseException:
                meter.cpu += time.thread_time() - began
                raise
            meter.cpu += time.thread_time() - began
            sent, thrown = None, None
            try:
                sent = yield suspended_on
            except GeneratorExit:
                coroutine.close()
                raise
            except BaseException as exc:  # noqa: BLE001 - cancellation too: thrown into the coroutine
                thrown = exc


async def _coroutine(awaitable: Awaitable[T]) -> T:
    return await awaitable
