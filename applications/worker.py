"""The applications jobs in the app's process, every hour. Several instances may run them
at once: each step only deletes what is still due, so running twice changes nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from applications.privacy.jobs import run_jobs
from core.settings import Settings

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 3600


async def run_forever(settings: Settings) -> None:
    while True:
        try:
            await run_jobs(settings)
        except Exception:
            log.exception("applications jobs failed; trying again later")
        await asyncio.sleep(INTERVAL_SECONDS)


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
