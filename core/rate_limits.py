"""Rate limits every instance counts together: `limits`' async Redis storage when REDIS_URL is
set, this process's memory otherwise (the embedded default, exactly as before).

A `Counter` keeps its own memory storage, so two apps in one process (tests) never share
counts; once `use_redis` has run (the app's lifespan, core.instances), every counter of the
process counts in Redis instead, on the process's Redis pool. While Redis does not answer,
a counter counts in memory again (per process, as on the embedded default) rather than
refuse or fail the request: the service stays up, the limit is only looser for that time.

`SweptMemoryStorage`: in-process storage for `limits`' counter strategies, without a thread
per 10 ms.

limits' MemoryStorage forgets expired counters from a `threading.Timer` that it starts
again, after each run, whenever a counter changes: under a steady stream of requests the
process starts a hundred threads a second, and each walks every key holding the GIL —
in a profile of the API under load that cost more than the limiter's own arithmetic.

Here expired counters are dropped by the request that increments: counters are created
in time order with the same lifetime, so the oldest ones expire first and the sweep stops
at the first live one (amortised O(1)). Reading a counter still ignores an expired one,
as limits' storage does. For the counter strategies (fixed window, sliding window
counter); the moving window keeps its own events and is not served by this class.
"""

from __future__ import annotations

import logging
import time
from typing import Literal

import redis
import redis.asyncio
from limits import RateLimitItem, storage, strategies
from limits.aio import storage as aio_storage
from limits.aio import strategies as aio_strategies

log = logging.getLogger(__name__)

KEY_PREFIX = "madoguchi:limits"

Kind = Literal["sliding-window", "moving-window"]

_SYNC = {
    "sliding-window": strategies.SlidingWindowCounterRateLimiter,
    "moving-window": strategies.MovingWindowRateLimiter,
}
_ASYNC = {
    "sliding-window": aio_strategies.SlidingWindowCounterRateLimiter,
    "moving-window": aio_strategies.MovingWindowRateLimiter,
}

_shared: aio_storage.RedisStorage | None = None
_shared_moving: aio_strategies.MovingWindowRateLimiter | None = None


def use_redis(client: redis.asyncio.Redis) -> None:
    """Count in Redis from now on, over `client`'s connection pool."""
    global _shared
    _shared = aio_storage.RedisStorage(
        "async+redis://",
        implementation="redispy",
        key_prefix=KEY_PREFIX,
        connection_pool=client.connection_pool,  # type: ignore[arg-type]  # passed to redis-py
    )


def use_memory() -> None:
    global _shared
    _shared = None


def is_shared() -> bool:
    return _shared is not None


def shared_moving_window() -> aio_strategies.MovingWindowRateLimiter | None:
    """A moving-window limiter on the shared storage (None without Redis): for paces that
    every instance must keep together, such as a provider's messages per second."""
    global _shared_moving
    if _shared is None:
        return None
    if _shared_moving is None or _shared_moving.storage is not _shared:
        _shared_moving = aio_strategies.MovingWindowRateLimiter(_shared)
    return _shared_moving


class Counter:
    """Hits against limits, shared between instances when Redis is in use."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        # The counter strategies on the swept storage below; the moving window keeps its own events.
        self.memory = SweptMemoryStorage() if kind == "sliding-window" else storage.MemoryStorage()
        self._local = _SYNC[kind](self.memory)
        self._remote: tuple[aio_storage.RedisStorage, aio_strategies.RateLimiter] | None = None

    def _shared_limiter(self) -> aio_strategies.RateLimiter | None:
        if _shared is None:
            return None
        if self._remote is None or self._remote[0] is not _shared:
            self._remote = (_shared, _ASYNC[self.kind](_shared))
        return self._remote[1]

    async def hit(self, item: RateLimitItem, key: str) -> bool:
        """Count one hit; False when it is over the limit (and so not counted)."""
        shared = self._shared_limiter()
        if shared is not None:
            try:
                return await shared.hit(item, key)
            except redis.RedisError:
                log.warning("Redis unreachable: rate limits count in this process meanwhile")
        return self._local.hit(item, key)

    async def test(self, item: RateLimitItem, key: str) -> bool:
        """Whether one more hit would pass, without counting it."""
        shared = self._shared_limiter()
        if shared is not None:
            try:
                return await shared.test(item, key)
            except redis.RedisError:
                log.warning("Redis unreachable: rate limits count in this process meanwhile")
        return self._local.test(item, key)

    async def seconds_to_reset(self, item: RateLimitItem, key: str) -> int:
        shared = self._shared_limiter()
        reset_at = None
        if shared is not None:
            try:
                reset_at, _ = await shared.get_window_stats(item, key)
            except redis.RedisError:
                log.warning("Redis unreachable: rate limits count in this process meanwhile")
        if reset_at is None:
            reset_at, _ = self._local.get_window_stats(item, key)
        return max(1, int(reset_at - time.time()))

    def reset_memory(self) -> None:
        self.memory.reset()


class SweptMemoryStorage(storage.MemoryStorage):
    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        self._drop_expired()
        self.get(key)
        with self.locks[key]:
            self.storage[key] += amount
            if self.storage[key] == amount:  # a new counter goes last: the oldest stay first
                self.expirations.pop(key, None)
                self.expirations[key] = time.time() + expiry
        return self.storage.get(key, 0)

    def decr(self, key: str, amount: int = 1) -> int:
        self.get(key)
        with self.locks[key]:
            self.storage[key] = max(self.storage[key] - amount, 0)
        return self.storage.get(key, 0)

    def _drop_expired(self) -> None:
        now = time.time()
        expirations = self.expirations
        while expirations:
            key, expires_at = next(iter(expirations.items()))
            if expires_at > now:
                return
            self.storage.pop(key, None)
            expirations.pop(key, None)
            self.locks.pop(key, None)
