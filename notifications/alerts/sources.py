"""Reads an alert document from a file or an http(s) URL, within a size limit."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import httpx

MAX_BYTES = 10_000_000
TIMEOUT = httpx.Timeout(20.0)


class SourceError(OSError):
    """The document could not be read; the text says why."""


async def read_source(source: str) -> bytes:
    if urlsplit(source).scheme in ("http", "https"):
        return await fetch(source)
    path = Path(source)
    if not path.is_file():
        raise SourceError(f"{source}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise SourceError(f"{source}: larger than {MAX_BYTES} bytes")
    return path.read_bytes()


async def fetch(url: str, client: httpx.AsyncClient | None = None) -> bytes:
    async with _client(client) as http:
        try:
            async with http.stream("GET", url) as response:
                if response.status_code != 200:
                    raise SourceError(f"{url}: HTTP {response.status_code}")
                return await _limited(response, url)
        except httpx.HTTPError as error:
            raise SourceError(f"{url}: {error}") from None


async def _limited(response: httpx.Response, url: str) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise SourceError(f"{url}: larger than {MAX_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class _client:
    """The caller's client, or a fresh one closed afterwards."""

    def __init__(self, client: httpx.AsyncClient | None) -> None:
        self.given = client
        self.own: httpx.AsyncClient | None = None

    async def __aenter__(self) -> httpx.AsyncClient:
        if self.given is not None:
            return self.given
        self.own = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=True)
        return self.own

    async def __aexit__(self, *exc: object) -> None:
        if self.own is not None:
            await self.own.aclose()
