"""Events for GraphQL subscriptions: published after the change commits, seen by every instance.

`publish(topic, data)` is the one way to publish (`publish_many` for thousands at once). Inside a database transaction the event
waits for the transaction to commit and is dropped if it rolls back, so a subscriber never
sees a change that did not happen; outside a transaction it goes at once. `data` is a small
JSON object (ids, coordinates): subscribers read the rest from the database.

How events reach the processes (core.instances.event_transports): in process on the embedded
default; through Redis pub/sub when REDIS_URL is set; else, on PostgreSQL, through
LISTEN/NOTIFY. With Redis or PostgreSQL the publishing process hears its own events
through the server too, so every process sees one topic's events in the same order.
Each process fans them out to its own subscribers (`broker.subscribe`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Protocol

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient

log = logging.getLogger(__name__)

_QUEUE_SIZE = 1_000
_PENDING = "_madoguchi_events_after_commit"
# Many events travel as one on this topic; every broker hands each to its own topic.
BATCH_TOPIC = "pubsub:batch"
# UTF-8 bytes of events per batch, well under PostgreSQL's 8,000-byte NOTIFY payload.
_BATCH_BYTES = 6_000


class Broker:
    """This process's subscribers, by topic."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[asyncio.Queue]] = defaultdict(set)

    def deliver(self, topic: str, data: dict[str, Any]) -> None:
        if topic == BATCH_TOPIC:
            for inner_topic, inner_data in _batched(data):
                self.deliver(inner_topic, inner_data)
            return
        for queue in list(self._subscribers.get(topic, ())):
            if queue.full():  # a stalled client loses its oldest message, not the server's memory
                queue.get_nowait()
            queue.put_nowait(data)

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


class Transport(Protocol):
    """Carries events from a publishing process to every process's broker."""

    def send(self, topic: str, data: dict[str, Any]) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class InProcess:
    """The embedded default: one process, its own broker."""

    def __init__(self, target: Broker) -> None:
        self.target = target

    def send(self, topic: str, data: dict[str, Any]) -> None:
        self.target.deliver(topic, data)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


_transport: Transport = InProcess(broker)
_sent_here: dict[str, list[Callable[[dict[str, Any]], None]]] = defaultdict(list)


@contextmanager
def on_sent_here(topic: str, callback: Callable[[dict[str, Any]], None]) -> Iterator[None]:
    """Call `callback` as soon as this process has sent an event on `topic` (after its
    commit), before the change's request is answered: the process reads its own writes
    even when its events come back through Redis or PostgreSQL a moment later."""
    _sent_here[topic].append(callback)
    try:
        yield
    finally:
        _sent_here[topic].remove(callback)


def publish(topic: str, data: dict[str, Any]) -> None:
    """Publish once the current transaction commits (at once outside a transaction)."""
    json.dumps(data)  # fail here, in every mode, on what another process could not read
    _publish_encodable(topic, data)


def _publish_encodable(topic: str, data: dict[str, Any]) -> None:
    transaction = _current_transaction()
    if transaction is None:
        _send(topic, data)
    else:
        _pending(transaction).append((topic, data))


def publish_many(events: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Publish each (topic, data) as `publish` does, carried a few thousand bytes at a time:
    a broadcast's thousands of events are then a few dozen over Redis or PostgreSQL, not a
    round trip each, and each subscriber still gets its own topic's event. Nothing is
    published when one of them is not JSON."""
    for batch in _in_batches([[topic, data] for topic, data in events]):
        _publish_encodable(BATCH_TOPIC, {"events": batch})


def _in_batches(events: list[list[Any]]) -> list[list[list[Any]]]:
    """The events in order, in batches of at most _BATCH_BYTES encoded (an event larger than
    that alone). Encoded whole, then in parts: one `json.dumps` per event cost 10 µs, most of
    a broadcast's fan-out step (bench/disaster_broadcast.py --callbacks)."""
    if not events:
        return []
    size = len(json.dumps(events, separators=(",", ":"), ensure_ascii=False).encode())
    if size <= _BATCH_BYTES or len(events) == 1:
        return [events]
    parts = max(2, math.ceil(size / _BATCH_BYTES))  # as many as the size needs
    step = math.ceil(len(events) / parts)
    return [
        batch
        for start in range(0, len(events), step)
        for batch in _in_batches(events[start : start + step])
    ]


def _batched(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """A batch's events, skipping what is not (topic, data): it may come from another process."""
    for event in data.get("events", ()):
        if isinstance(event, list) and len(event) == 2:
            topic, inner = event
            if isinstance(topic, str) and topic != BATCH_TOPIC and isinstance(inner, dict):
                yield topic, inner


def _send(topic: str, data: dict[str, Any]) -> None:
    _transport.send(topic, data)
    sent = _batched(data) if topic == BATCH_TOPIC else ((topic, data),)
    for sent_topic, sent_data in sent:
        for callback in _sent_here.get(sent_topic, ()):
            callback(sent_data)


def _current_transaction() -> TransactionalDBClient | None:
    try:
        client = connections.get("default")
    except Exception:  # noqa: BLE001 - no database configured: nothing to wait for
        return None
    return client if isinstance(client, TransactionalDBClient) else None


def _pending(transaction: TransactionalDBClient) -> list[tuple[str, dict[str, Any]]]:
    """The transaction's events, sent when its commit succeeds.

    Tortoise has no commit hook: the outermost transaction's client (what
    `connections.get` returns anywhere inside it, nested blocks included) gets a `commit`
    of its own that sends them after the real one. A rollback never calls it.
    """
    pending = getattr(transaction, _PENDING, None)
    if pending is not None:
        return pending
    pending = []
    setattr(transaction, _PENDING, pending)
    commit = transaction.commit

    async def commit_then_publish() -> None:
        await commit()
        for topic, data in pending:
            _send(topic, data)
        pending.clear()

    transaction.commit = commit_then_publish  # type: ignore[method-assign]
    return pending


async def start(transport: Transport) -> None:
    global _transport
    await transport.start()
    _transport = transport


async def stop() -> None:
    global _transport
    transport, _transport = _transport, InProcess(broker)
    await transport.stop()
