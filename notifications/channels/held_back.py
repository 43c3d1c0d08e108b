"""Requests held one byte short of complete until the ledger marks their message in flight.

An HTTP server acts on a request only once it has all of it (its whole Content-Length).
A channel's aiohttp session writes each request but its last byte, passes the ledger's gate
(notifications.channels.before_write) and only then writes that byte, from the gate, in the
step the mark's commit comes back. So a sender killed before the mark leaves an unfinished
request the provider drops, and a row marked in flight had its request complete at the
provider: the ledger can take such a row as delivered when its sender died (ledger.py)."""

from __future__ import annotations

from typing import Any

from aiohttp import ClientRequest, ClientResponse
from aiohttp.client_middlewares import ClientHandlerType
from aiohttp.payload import BytesPayload

from notifications.channels import IncompleteRequest, NotSent, before_write, request_written


class HeldBackPayload(BytesPayload):
    """A request body written all but its last byte; the gate writes that byte."""

    async def write_with_length(self, writer: Any, content_length: int | None) -> None:
        body = self._value if content_length is None else self._value[:content_length]
        await writer.write(body[:-1])
        await before_write(lambda: _write_now(writer, body[-1:]))
        request_written()

    async def write(self, writer: Any) -> None:
        await self.write_with_length(writer, None)


def _write_now(writer: Any, data: bytes) -> None:
    """Hand bytes to the connection at once (the event loop sends them without awaiting)."""
    transport = writer.transport
    if transport is None or transport.is_closing():
        raise ConnectionResetError("the connection closed")
    transport.write(data)


async def hold_back_last_byte(request: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    """aiohttp client middleware: the request's body goes out as a HeldBackPayload."""
    body = request.body
    if isinstance(body, BytesPayload) and body.size:
        held = HeldBackPayload(await body.as_bytes(), content_type=body.content_type)
        await request.update_body(held)
    else:
        await before_write()  # no body to hold back: the gate before the whole request
    return await handler(request)


def gate_answer(exc: BaseException) -> NotSent | IncompleteRequest | None:
    """The gate's refusal or failure, raised in aiohttp's body writer and wrapped on the way
    out by aiohttp (and aiogram), if that is what `exc` is."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, NotSent | IncompleteRequest):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None
