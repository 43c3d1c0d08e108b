"""Holding a broadcast's unsent messages back, and letting them go again, from a benchmark's
side of the database: idle and broadcast windows can then alternate within one run, so the
host's drift over a run (the same requests cost ±30 % from one minute to the next on a
shared machine) falls on both alike.

Held rows wait until a date no round reaches; let go, they are due at once, in their order.
Nothing of the app is changed: the worker finds nothing due while they are held."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Self

from tortoise import Tortoise

from core import clock, database
from notifications.models import Delivery, Notification

FAR = datetime(2100, 1, 1, tzinfo=UTC)
SETTLE_SECONDS = 0.5  # a round under way when the rows were held finishes


class BroadcastHold:
    def __init__(self, database_url: str) -> None:
        self.config = database.tortoise_config(database_url)

    async def __aenter__(self) -> Self:
        await database.init(self.config)
        return self

    async def __aexit__(self, *exc) -> None:
        await Tortoise.close_connections()

    async def hold(self) -> int:
        """Every waiting row of every broadcast waits until FAR, the fan-out's rows too once
        it has written them; returns how many are held."""
        while await Notification.filter(fanout_pending=True).exists():
            await self._move_waiting()
            await asyncio.sleep(0.1)
        await self._move_waiting()
        await asyncio.sleep(SETTLE_SECONDS)
        return await Delivery.filter(next_attempt_at=FAR).count()

    async def release(self) -> int:
        return await Delivery.filter(next_attempt_at=FAR).update(next_attempt_at=clock.now())

    async def _move_waiting(self) -> None:
        await Delivery.filter(next_attempt_at__isnull=False, next_attempt_at__lt=FAR).update(
            next_attempt_at=FAR
        )
