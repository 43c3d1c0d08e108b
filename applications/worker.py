"""The applications jobs in the app's process, every hour, on the one instance that holds
their lease (core.instances.leases). Each step also only deletes what is still due, so a round run
twice (a lease taken over mid-round) changes nothing more."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from applications.privacy.jobs import run_jobs
from core.instances import leases
from core.settings import Settings

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 3600
LEASE = "applications.jobs"


async def run_forever(settings: Settings) -> None:
    await leases.run_leased(LEASE, lambda: run_jobs(settings), every=INTERVAL_SECONDS)


@contextlib.asynccontextmanager
async def app_lifespan(settings: Settings, start_workers: bool) -> AsyncIterator[None]:
    task = (
        asyncio.create_task(run_forever(settings), name="applications") if start_workers else None
    )
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
