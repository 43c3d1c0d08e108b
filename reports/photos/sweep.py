"""The periodic sweep of orphan photo files.

A photo's files are written before the transaction that records them commits (so the
record never names a missing file); when that transaction never commits (a crash, a
failure that could not clean up), the files stay with no record. The sweep removes files
that no ReportPhoto names once they are older than GRACE, far longer than any upload's
transaction can take. One instance sweeps at a time (the lease `reports.photo-sweep`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from core import clock
from core.instances import leases
from core.settings import Settings
from reports.intake import photo_storage
from reports.models import ReportPhoto
from reports.storage import PhotoStorage

log = logging.getLogger(__name__)

GRACE = timedelta(hours=1)
EVERY_SECONDS = 3600.0
LEASE = "reports.photo-sweep"
_BATCH = 500


async def sweep_orphans(storage: PhotoStorage, *, grace: timedelta = GRACE) -> int:
    """Remove photo files older than `grace` that no report photo names; how many."""
    candidates = await storage.keys_older_than(clock.now() - grace)
    removed = 0
    for start in range(0, len(candidates), _BATCH):
        batch = candidates[start : start + _BATCH]
        named = set(await ReportPhoto.filter(key__in=batch).values_list("key", flat=True))
        named |= set(
            await ReportPhoto.filter(thumb_key__in=batch).values_list("thumb_key", flat=True)
        )
        for key in batch:
            if key not in named and await storage.delete(key):
                removed += 1
    if removed:
        log.info("removed %d orphan photo files", removed)
    return removed


async def _sweep_forever(storage: PhotoStorage) -> None:
    await leases.run_leased(LEASE, lambda: sweep_orphans(storage), every=EVERY_SECONDS)


@contextlib.asynccontextmanager
async def app_lifespan(settings: Settings, start_workers: bool) -> AsyncIterator[None]:
    """The app's hook (app.SHARED_LIFESPANS): sweep where the shared loops run."""
    if not start_workers:
        yield
        return
    task = asyncio.create_task(_sweep_forever(photo_storage(settings)), name="photo-sweep")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
