"""Which sessions are still open, as every request asks: cheaply.

An access token names its session (`sid`, the refresh-token family). Log-out and the
revocation of a family end the session; the next request with any access token of that
session is refused. The answer is kept per session for a short while, so a busy session
costs one query per SESSION_CACHE_SECONDS, not one per request; a revocation made by
this process takes effect at once, one made by another process within that time.

`SessionCache` is the only state: a shared store (Redis) can replace it behind the same
three methods when several processes must see revocations at once.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable

from accounts.models import RefreshToken

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


def revoked(sids: Iterable[uuid.UUID]) -> None:
    cache.revoke(sids)


async def is_open(sid: uuid.UUID) -> bool:
    known = cache.get(sid)
    if known is not None:
        return known
    found = await RefreshToken.filter(family=sid, revoked_at__isnull=True).exists()
    cache.put(sid, found)
    return found
