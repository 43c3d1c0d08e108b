"""The process's Redis connection pool, when REDIS_URL is set (redis-py's asyncio client).

Opened and closed by the app's lifespan (and by commands that need it); `current()` is
None on the embedded default, and everything that uses Redis falls back to memory then.
"""

from __future__ import annotations

import logging

import redis.asyncio

log = logging.getLogger(__name__)

_client: redis.asyncio.Redis | None = None
_url: str = ""


def open_client(url: str) -> redis.asyncio.Redis:
    """The pool for `url` (one per process; opening the same URL again returns it)."""
    global _client, _url
    if _client is not None and _url == url:
        return _client
    _client = redis.asyncio.from_url(
        url,
        socket_connect_timeout=5,
        socket_timeout=10,
        health_check_interval=15,
        retry_on_timeout=True,
    )
    _url = url
    return _client


def current() -> redis.asyncio.Redis | None:
    return _client


async def close_client() -> None:
    global _client, _url
    client, _client, _url = _client, None, ""
    if client is not None:
        await client.aclose()


async def is_reachable() -> bool:
    if _client is None:
        return True
    try:
        return bool(await _client.ping())
    except redis.RedisError:
        log.warning("Redis health check failed", exc_info=True)
        return False
