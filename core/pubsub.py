"""In-process publish/subscribe for GraphQL subscriptions.

One process serves its own websocket clients. With several app processes on PostgreSQL,
each process publishes what it changes; a process only sees its own changes.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

_QUEUE_SIZE = 1_000


class Broker:
    def __init__(self) -> None:
        self._subscribers: dict[str, set[asyncio.Queue]] = defaultdict(set)

    def publish(self, topic: str, message: Any) -> None:
        for queue in list(self._subscribers.get(topic, ())):
            if queue.full():  # a stalled client loses its oldest message, not the server's memory
                queue.get_nowait()
            queue.put_nowait(message)

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[asyncio.Queue]:
        queue: asyncio.Queue = asyncio.Queue(maxsize=_QUEUE_SIZE)
        self._subscribers[topic].add(queue)
        try:
            yield queue
        finally:
            self._subscribers[topic].discard(queue)
            if not self._subscribers[topic]:
                del self._subscribers[topic]


broker = Broker()
