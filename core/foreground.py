"""Requests first: an app's background loops give way to the requests it is answering.

On one event loop a broadcast's steps and the API's requests take turns, so while both want
the loop every request also waits behind the broadcast. A background loop runs each step
through `Foreground.step`: when requests were being answered meanwhile, it then rests as long
as the loop's thread spent on CPU during the step (times `give_way`). Its share of a busy loop
falls to about half (less when the requests want more), it still advances every step, and an
idle API costs it nothing. CPU time, not wall time: waiting on the network or the database
costs the requests nothing, so it earns no rest.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

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
        cpu, started = time.thread_time(), self.started
        result = await work()
        if self.answering_now or self.started != started:
            rest = (time.thread_time() - cpu) * self.give_way
            self.rested += rest
            BACKGROUND_REST.inc(rest)
            await asyncio.sleep(rest)
        return result
