"""Delivers the outbox: in-process, in the app's lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from core import clock
from core.errors import RetryLater
from core.observability import register_queue
from notifications import service
from notifications.models import Channel, OutboxMessage

log = logging.getLogger(__name__)

__all__ = ["OutboxWorker", "RetryLater", "Sender"]

register_queue("outbox", service.outbox_reading)


# channel -> async send(address, text). The bot registers Telegram when it runs.
Sender = Callable[[str, str], Awaitable[None]]


class OutboxWorker:
    def __init__(self, senders: dict[Channel, Sender], interval: float = 1.0) -> None:
        self.senders = senders
        self.interval = interval
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run_once(self) -> int:
        """Deliver what is due; returns how many were sent."""
        sent = 0
        for message in await service.due_messages(clock.now()):
            if await self._deliver(message):
                sent += 1
        return sent

    async def _deliver(self, message: OutboxMessage) -> bool:
        sender = self.senders.get(message.channel)
        if sender is None or not await service.claim(message):
            return False
        notification = message.notification
        text = service.render(notification, notification.resident.language)
        try:
            await sender(message.address, text)
        except RetryLater as exc:
            await service.mark_failed(message, str(exc), exc.retry_after)
            return False
        except Exception as exc:  # noqa: BLE001 - one failed delivery never stops the others
            log.warning("delivery %s failed: %s", message.id, exc)
            await service.mark_failed(message, f"{type(exc).__name__}: {exc}")
            return False
        await service.mark_sent(message)
        return True

    async def run(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox round failed")
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), self.interval)
            except TimeoutError:
                pass
