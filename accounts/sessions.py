"""Which sessions are still open, as every request asks: cheaply.

An access token names its session (`sid`, the refresh-token family). Log-out and the
revocation of a family end the session; the next request with any access token of that
session is refused. The answer is kept per session for a short while, so a busy session
costs one query per SESSION_CACHE_SECONDS, not one per request; a revocation made by
this process takes effect at once.

With several instances (REDIS_URL set) a revocation is also marked in Redis for as long
as another process may hold the session as open in its cache; a process asks Redis
before trusting such an entry, so a log-out on one instance ends the session on all of
them at once. Without Redis (the embedded default) there is one process and no mark.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable

import redis

from accounts.models import RefreshToken
from core.instances import redis_client

log = logging.getLogger(__name__)

_REVOKED_KEY = "madoguchi:sessions:revoked:"

SESSION_CACHE_SECONDS = 30.0


class SessionCache:
    def __init__(self, ttl: float = SESSION_CACHE_SECONDS, maxsize: int = 100_000) -> None:
        self.ttl = ttl
        self.maxsize = maxsize
        self._entries: OrderedDict[uuid.UUID, tuple[bool, float]] = OrderedDict()

    def get(self, sid: uuid.UUID) -> bool | None:
        entry = self._entries.get(sid)
        if entry is None:
            return None
        is_open, until = entry
        if until < time.monotonic():
            del self._entries[sid]
            return None
        return is_open

    def put(self, sid: uuid.UUID, is_open: bool) -> None:
        self._entries[sid] = (is_open, time.monotonic() + self.ttl)
        self._entries.move_to_end(sid)
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)

    def revoke(self, sids: Iterable[uuid.UUID]) -> None:
        for sid in sids:
            self.put(sid, False)


cache = SessionCache()


def opened(sid: uuid.UUID) -> None:
    cache.put(sid, True)


async def revoked(sids: Iterable[uuid.UUID]) -> None:
    """Call after the revocation is stored: this process and (with Redis) every other."""
    sids = list(sids)
    cache.revoke(sids)
    client = redis_client.current()
    if client is None or not sids:
        return
    # Outlives any other process's cached "open" for these sessions (then it asks the database).
    seconds = math.ceil(cache.ttl) + 5
    try:
        async with client.pipeline(transaction=False) as pipe:
            for sid in sids:
                pipe.set(_REVOKED_KEY + sid.hex, b"1", ex=seconds)
            await pipe.execute()
    except redis.RedisError:  # stored in the database: the others see it when their cache lapses
        log.warning("Redis unreachable: a log-out reaches the other instances within %ss", seconds)


async def is_open(sid: uuid.UUID) -> bool:
    known = cache.get(sid)
    if known is False:
        return False
    if known is True and not await _revoked_elsewhere(sid):
        return True
    found = await RefreshToken.filter(family=sid, revoked_at__isnull=True).exists()
    cache.put(sid, found)
    return found


async def _revoked_elsewhere(sid: uuid.UUID) -> bool:
    """Whether another instance may have revoked it (asked of Redis; the database decides)."""
    client = redis_client.current()
    if client is None:
        return False
    try:
        return bool(await client.exists(_REVOKED_KEY + sid.hex))
    except redis.RedisError:
        log.warning("Redis unreachable for a session check; asking the database")
        return True
