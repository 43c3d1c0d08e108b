"""The snapshots one app process answers from, and how they follow the database.

Every process polls one small row (`GeoState`) every few seconds: a new `data_version` (an
import changed rows, perhaps from the command line in another process) rebuilds the
snapshots in the background while the old ones keep answering; a new `open_version` (staff
opened or closed a site in some process) re-reads only the open/closed flags. This works the
same for one process on SQLite and for several processes sharing PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from tortoise.expressions import Q

from geo.models import GeoState, Shelter
from geo.snapshot import AedSnapshot, ShelterSnapshot

log = logging.getLogger(__name__)

POLL_SECONDS = 3.0


class GeoRuntime:
    def __init__(self) -> None:
        self.shelters = ShelterSnapshot.empty()
        self.aeds = AedSnapshot.empty()
        self.data_version: int | None = None
        self.open_version: int | None = None
        self._lock = asyncio.Lock()

    async def load(self) -> None:
        """Build both snapshots from the database (versions read first: a change made while
        building is seen by the next poll)."""
        async with self._lock:
            data_version, open_version = await _versions()
            shelters = await ShelterSnapshot.load()
            aeds = await AedSnapshot.load()
            self.shelters, self.aeds = shelters, aeds
            self.data_version, self.open_version = data_version, open_version
        log.info("geo index: %d places, %d AEDs", len(shelters), len(aeds))

    async def refresh(self) -> bool:
        """Catch up with the database if it changed; True if anything was re-read."""
        data_version, open_version = await _versions()
        if data_version != self.data_version:
            await self.load()
            return True
        if open_version != self.open_version:
            async with self._lock:
                changed = await Shelter.filter(
                    Q(is_open=False) | Q(opened=True) | Q(full=True)
                ).values_list("id", "is_open", "opened", "full")
                self.shelters.set_flags(changed)
                self.open_version = open_version
            return True
        return False

    def mark_open(self, db_id: int, is_open: bool, opened: bool, full: bool) -> None:
        """Show this process's own change at once (other processes see it when they poll)."""
        self.shelters.set_open(db_id, is_open, opened, full)

    async def follow(self, interval: float | None = None) -> None:
        while True:
            await asyncio.sleep(interval or POLL_SECONDS)
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("geo index refresh failed", exc_info=True)


async def _versions() -> tuple[int, int]:
    state = await GeoState.get_or_none(id=1)
    return (state.data_version, state.open_version) if state else (0, 0)


_active: GeoRuntime | None = None


def current() -> GeoRuntime:
    """The runtime the app started (see `running`)."""
    if _active is None:
        raise RuntimeError("the geo runtime is not running: start it with geo.runtime.running")
    return _active


@contextlib.asynccontextmanager
async def running(*, follow: bool = True) -> AsyncIterator[GeoRuntime]:
    """Load the snapshots, keep them following the database while the app runs."""
    global _active
    runtime = GeoRuntime()
    await runtime.load()
    previous, _active = _active, runtime
    task = asyncio.create_task(runtime.follow(), name="geo-refresh") if follow else None
    try:
        yield runtime
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        _active = previous


def app_lifespan(settings: object, start_workers: bool) -> contextlib.AbstractAsyncContextManager:
    """The app's hook (app.SERVING_LIFESPANS): every serving process follows the database
    (whatever RUN_WORKERS says); a quiet app in a test does not."""
    return running(follow=start_workers)
