"""The process's `Situation`, started with every serving app process (app.SERVING_LIFESPANS)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from core import pubsub
from core.pubsub import broker
from disaster.mode.situation import MODE_TOPIC, Situation
from notifications.alerts.service import ALERTS_TOPIC

_active: Situation | None = None


def current() -> Situation:
    if _active is None:
        raise RuntimeError("disaster mode is not running: start it with disaster.mode.runtime")
    return _active


@contextlib.asynccontextmanager
async def running() -> AsyncIterator[Situation]:
    global _active
    situation = Situation()
    async with (
        broker.subscribe(ALERTS_TOPIC) as alerts,
        broker.subscribe(MODE_TOPIC) as modes,
    ):
        situation.listen(alerts)
        situation.listen(modes)
        # This process's own changes count at once, before their events come back round.
        with (
            pubsub.on_sent_here(ALERTS_TOPIC, situation.changed),
            pubsub.on_sent_here(MODE_TOPIC, situation.changed),
        ):
            await situation.reload()
            previous, _active = _active, situation
            try:
                yield situation
            finally:
                _active = previous
                await situation.close()


def app_lifespan(settings: object, start_workers: bool) -> contextlib.AbstractAsyncContextManager:
    return running()
