"""How subscription events travel between instances: Redis pub/sub or PostgreSQL LISTEN/NOTIFY.

Both carry every event on one channel (``madoguchi:events`` / ``madoguchi_events``) as
``{"topic": …, "data": …}``; each process's broker hands them to its own subscribers. A
process sends its events in the order they were published, from one task, so one channel
keeps each publisher's order. Both are at-most-once: an event sent while a process is
reconnecting is missed by that process's subscribers (subscriptions are live views; a
client reloads what it shows when its connection comes back).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

import asyncpg
import redis.asyncio

from core.pubsub import Broker

log = logging.getLogger(__name__)

REDIS_CHANNEL = "madoguchi:events"
POSTGRES_CHANNEL = "madoguchi_events"
_RECONNECT_SECONDS = 1.0
_OUTGOING_LIMIT = 10_000
_START_SECONDS = 3.0


def _encode(topic: str, data: dict[str, Any]) -> str:
    return json.dumps({"topic": topic, "data": data}, separators=(",", ":"), ensure_ascii=False)


def _deliver(target: Broker, raw: str | bytes) -> None:
    try:
        event = json.loads(raw)
        topic, data = event["topic"], event["data"]
    except (ValueError, KeyError, TypeError):
        log.warning("an event that is not ours on the events channel was ignored")
        return
    if isinstance(topic, str) and isinstance(data, dict):
        target.deliver(topic, data)


async def _ready_or_warn(ready: asyncio.Event, server: str) -> None:
    """Start serving without events rather than not at all: the listener keeps trying, and
    /readyz tells the load balancer whether the server is there."""
    try:
        await asyncio.wait_for(ready.wait(), timeout=_START_SECONDS)
    except TimeoutError:
        log.warning("events: %s is not answering yet; subscriptions wait for it", server)


class _Sender:
    """Sends queued events one after another (the order they were published)."""

    def __init__(self) -> None:
        self.outgoing: asyncio.Queue[str] = asyncio.Queue(maxsize=_OUTGOING_LIMIT)
        self.task: asyncio.Task | None = None

    def send(self, topic: str, data: dict[str, Any]) -> None:
        try:
            self.outgoing.put_nowait(_encode(topic, data))
        except asyncio.QueueFull:
            log.error("events are not leaving this process (queue full): one dropped")

    async def drain(self) -> None:
        """Wait (briefly) for what was published before shutdown to leave."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.outgoing.join(), timeout=2)

    async def run(self, write) -> None:
        while True:
            message = await self.outgoing.get()
            try:
                for attempt in range(3):
                    try:
                        await write(message)
                        break
                    except Exception:  # the server is away: try again, then give up
                        if attempt == 2:
                            log.exception("an event could not be sent and was dropped")
                        else:
                            await asyncio.sleep(_RECONNECT_SECONDS)
            finally:
                self.outgoing.task_done()


class _Transport:
    """What both transports share: outgoing events leave from one sender task, incoming ones
    arrive on a listener task, and `start` returns once the listener is ready (or warns)."""

    label = ""  # in the tasks' names
    server = ""  # in the warning when the listener is slow to be ready

    def __init__(self, target: Broker) -> None:
        self.target = target
        self.sender = _Sender()
        self.listener: asyncio.Task | None = None
        self.ready = asyncio.Event()

    def send(self, topic: str, data: dict[str, Any]) -> None:
        self.sender.send(topic, data)

    async def start(self) -> None:
        self.listener = asyncio.create_task(self._listen(), name=f"events-{self.label}-listen")
        self.sender.task = asyncio.create_task(
            self.sender.run(self._write), name=f"events-{self.label}"
        )
        await _ready_or_warn(self.ready, self.server)

    async def stop(self) -> None:
        await self.sender.drain()
        for task in (self.sender.task, self.listener):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _write(self, message: str) -> None:
        raise NotImplementedError

    async def _listen(self) -> None:
        raise NotImplementedError


class RedisTransport(_Transport):
    label, server = "redis", "Redis"

    def __init__(self, client: redis.asyncio.Redis, target: Broker) -> None:
        super().__init__(target)
        self.client = client

    async def _write(self, message: str) -> None:
        await self.client.publish(REDIS_CHANNEL, message)

    async def _listen(self) -> None:
        while True:
            pubsub = self.client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(REDIS_CHANNEL)
                self.ready.set()
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        _deliver(self.target, message["data"])
            except asyncio.CancelledError:
                raise
            except Exception:  # connection lost: subscribe again
                log.warning("events: Redis subscription lost; reconnecting", exc_info=True)
                await asyncio.sleep(_RECONNECT_SECONDS)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()


class PostgresTransport(_Transport):
    """LISTEN on a connection of its own; NOTIFY from another (the pool stays the app's)."""

    label, server = "postgres", "PostgreSQL"

    def __init__(self, connect_kwargs: dict[str, Any], target: Broker) -> None:
        super().__init__(target)
        self.connect_kwargs = connect_kwargs
        self.notifier: asyncpg.Connection | None = None

    async def _write(self, message: str) -> None:
        if self.notifier is None or self.notifier.is_closed():
            self.notifier = await asyncpg.connect(**self.connect_kwargs)
        try:
            await self.notifier.execute("SELECT pg_notify($1, $2)", POSTGRES_CHANNEL, message)
        except (asyncpg.PostgresConnectionError, OSError):
            await self.notifier.close(timeout=1)
            self.notifier = None
            raise

    def _on_notification(self, _connection, _pid, _channel, payload: str) -> None:
        _deliver(self.target, payload)

    async def _listen(self) -> None:
        while True:
            connection = None
            try:
                connection = await asyncpg.connect(**self.connect_kwargs)
                lost = asyncio.Event()
                connection.add_termination_listener(lambda _connection, lost=lost: lost.set())
                await connection.add_listener(POSTGRES_CHANNEL, self._on_notification)
                self.ready.set()
                await lost.wait()
                log.warning("events: PostgreSQL LISTEN connection lost; reconnecting")
            except asyncio.CancelledError:
                raise
            except Exception:  # the server is away: try again
                log.warning("events: could not LISTEN; trying again", exc_info=True)
                await asyncio.sleep(_RECONNECT_SECONDS)
            finally:
                if connection is not None and not connection.is_closed():
                    with contextlib.suppress(Exception):
                        await connection.close(timeout=1)

    async def stop(self) -> None:
        await super().stop()
        if self.notifier is not None:
            with contextlib.suppress(Exception):
                await self.notifier.close(timeout=1)
