"""A local SMTP server (aiosmtpd) in the test's event loop that keeps what it accepts.

async with FakeSmtpServer() as smtp:
    smtp.refuse("gone@example.jp")        # 550 at RCPT
    smtp.defer("busy@example.jp")         # 451 at RCPT
    smtp.accept("busy@example.jp")        # takes it again
    ...
    smtp.messages[-1]["Subject"]
"""

from __future__ import annotations

import asyncio
import email
from email.message import EmailMessage
from email.policy import default
from typing import Self

from aiosmtpd.smtp import SMTP


class _Handler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()
        self.deferred: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address.lower() in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address.lower() in self.deferred:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 2.0.0 Ok: queued"


class FakeSmtpServer:
    def __init__(self) -> None:
        self._handler = _Handler()
        self._server: asyncio.base_events.Server | None = None
        self.port = 0

    @property
    def messages(self) -> list[EmailMessage]:
        return self._handler.messages

    def refuse(self, address: str) -> None:
        self._handler.refused.add(address.lower())

    def defer(self, address: str) -> None:
        self._handler.deferred.add(address.lower())

    def accept(self, address: str) -> None:
        self._handler.refused.discard(address.lower())
        self._handler.deferred.discard(address.lower())

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    async def __aenter__(self) -> Self:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SMTP(self._handler, hostname="smtp.test", loop=loop), "127.0.0.1", 0
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
