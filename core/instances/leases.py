"""One instance at a time for a periodic job: a lease row in the database.

Every instance runs the same workers. Before a round, a job asks for its lease: the
instance that holds it (or finds it lapsed) gets it for `ttl` and runs the round; the
others skip theirs. The holder renews it at every round, so it keeps the job while it
lives; when it dies, its lease lapses and the next instance to ask takes the job over.
A graceful shutdown hands the lease back at once.

Work made of many items (outbox deliveries, broadcast recipients) is leased item by item
where it is claimed; this is for jobs that look over a whole table each round (booking's
draws and lapsed holds, the applications' retention, addresses, orphan files).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core import clock
from core.models import Lease

log = logging.getLogger(__name__)

# This process, as lease holders are named: host, pid and a random part (pids are reused).
INSTANCE = f"{socket.gethostname()[:120]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def acquire(name: str, ttl: timedelta, *, holder: str = INSTANCE) -> bool:
    """Take or renew the lease `name` for `ttl`; False while another live holder has it."""
    now = clock.now()
    renewed = await Lease.filter(Q(name=name) & (Q(holder=holder) | Q(expires_at__lt=now))).update(
        holder=holder, expires_at=now + ttl
    )
    if renewed:
        return True
    try:
        await Lease.create(name=name, holder=holder, expires_at=now + ttl)
    except IntegrityError:  # another instance has it (or took it just now)
        return False
    return True


async def release(name: str, *, holder: str = INSTANCE) -> None:
    """Hand the lease back (it lapses now) if this holder has it."""
    await Lease.filter(name=name, holder=holder).update(expires_at=clock.now())


def ttl_for(every: float) -> timedelta:
    """Long enough to outlast a round and the pause after it; short enough to take over."""
    return timedelta(seconds=every + max(60.0, every / 2))


async def run_leased(
    name: str, round_: Callable[[], Awaitable[Any]], *, every: float, holder: str = INSTANCE
) -> None:
    """Run `round_` every `every` seconds on whichever instance holds the lease `name`."""
    ttl = ttl_for(every)
    try:
        while True:
            try:
                if await acquire(name, ttl, holder=holder):
                    await round_()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s: round failed; trying again later", name)
            await asyncio.sleep(every)
    finally:
        await asyncio.shield(release_quietly(name, holder))


async def release_quietly(name: str, holder: str = INSTANCE) -> None:
    try:
        await release(name, holder=holder)
    except Exception:  # the database may be going away too: the lease lapses by itself
        log.info("%s: lease not handed back; it lapses by itself", name, exc_info=True)
