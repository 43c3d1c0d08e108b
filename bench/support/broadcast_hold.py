"""Holding a broadcast's unsent messages back, and letting them go again: idle and broadcast
windows can then alternate within one benchmark run, so the host's drift over a run (the same
requests cost ±25 % from one minute to the next on a shared machine) falls on both alike.

The benchmark's server process adds the two routes below to the app it serves; they run on
its event loop with its own database connections, as any of its writes (a SQLite file has
one writer: a second process's write makes the server's read-then-write transactions fail).
Held rows wait until a date no round reaches; let go, they are due at once, in their order.
Nothing of the app is changed: the worker finds nothing due while they are held."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from core import clock
from notifications.models import Delivery, Notification

FAR = datetime(2100, 1, 1, tzinfo=UTC)
SETTLE_SECONDS = 0.5  # a round under way when the rows were held finishes
HOLD_PATH = "/bench/broadcast/hold"
RELEASE_PATH = "/bench/broadcast/release"


async def hold() -> int:
    """Every waiting row of every broadcast waits until FAR, the fan-out's rows too once it
    has written them; returns how many are held."""
    while await Notification.filter(fanout_pending=True).exists():
        await _move_waiting()
        await asyncio.sleep(0.1)
    await _move_waiting()
    await asyncio.sleep(SETTLE_SECONDS)
    return await Delivery.filter(next_attempt_at=FAR).count()


async def release() -> int:
    """The held rows are due now; returns how many."""
    return await Delivery.filter(next_attempt_at=FAR).update(next_attempt_at=clock.now())


async def _move_waiting() -> None:
    await Delivery.filter(next_attempt_at__isnull=False, next_attempt_at__lt=FAR).update(
        next_attempt_at=FAR
    )


async def _hold(request: Request) -> JSONResponse:
    return JSONResponse({"held": await hold()})


async def _release(request: Request) -> JSONResponse:
    return JSONResponse({"released": await release()})


def routes() -> list[Route]:
    return [
        Route(HOLD_PATH, _hold, methods=["POST"]),
        Route(RELEASE_PATH, _release, methods=["POST"]),
    ]
