"""A benchmark's HTTP clients: each a keep-alive connection of its own writing prepared
requests (a few tens of microseconds of the probe's CPU a request), or httpx."""

from __future__ import annotations

import asyncio
import json
import time

import httpx

JSON_HEADERS = {"Content-Type": "application/json"}


def graphql_body(query: str, point) -> bytes:
    variables = dict(zip(("lat", "lng"), point, strict=True))
    return json.dumps({"query": query, "variables": variables}).encode()


class HttpxClients:
    """The probe's clients on one httpx client (`--client httpx`): httpx costs about a
    millisecond of the probe's CPU a request, a core for four busy clients on a small host."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def timed(self, number: int, query: str, point) -> float:
        started = time.perf_counter()
        response = await self.http.post(
            "/graphql", content=graphql_body(query, point), headers=JSON_HEADERS
        )
        elapsed = time.perf_counter() - started
        check(response.status_code, response.content)
        return elapsed


class LeanClients:
    """Each of the probe's clients on a keep-alive HTTP/1.1 connection of its own, writing
    the request's bytes and reading the answer by its Content-Length (`--client lean`, the
    default): a few tens of microseconds of the probe's CPU a request, so the probe does not
    take the host's cores from the server it measures, as clients on other machines would not."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connections: dict[int, tuple[asyncio.StreamReader, asyncio.StreamWriter]] = {}
        self.requests: dict[tuple[str, tuple], bytes] = {}

    async def close(self) -> None:
        for _, writer in self.connections.values():
            writer.close()
        self.connections.clear()

    async def timed(self, number: int, query: str, point) -> float:
        request = self._request(query, point)
        reader, writer = await self._connection(number)
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        body = await reader.readexactly(_content_length(head))
        elapsed = time.perf_counter() - started
        check(int(head.split(b" ", 2)[1]), body)
        return elapsed

    def _request(self, query: str, point) -> bytes:
        key = (query, point)
        request = self.requests.get(key)
        if request is None:
            body = graphql_body(query, point)
            head = (
                f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            )
            request = self.requests[key] = head.encode() + body
        return request

    async def _connection(self, number: int):
        if number not in self.connections:
            self.connections[number] = await asyncio.open_connection("127.0.0.1", self.port)
        return self.connections[number]


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    raise RuntimeError(f"an answer without Content-Length: {head!r}")


def check(status: int, body: bytes) -> None:
    answer = json.loads(body)
    if status != 200 or answer.get("errors"):
        raise RuntimeError(f"request failed: {status} {answer}")
