"""Channels: how a rendered message reaches an address, and how a failed send is classified.

A sender raises one of these exceptions; anything else is a technical failure whose outcome
is unknown (never retried: the provider may have the message already)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from core.errors import RetryLater
from notifications.models import Channel, Lane

__all__ = [
    "AddressGone",
    "Outgoing",
    "Rejected",
    "RetryLater",  # the provider asks to wait retry_after seconds (Telegram 429, FCM 429)
    "SendFailure",
    "Sender",
    "TemporaryFailure",
]


class SendFailure(Exception):
    """Base of the classified failures."""


class TemporaryFailure(SendFailure):
    """Not delivered this time, known not sent (connection refused, 5xx): retried with backoff."""


class AddressGone(SendFailure):
    """The address cannot receive any more (bot blocked, token unregistered, mailbox gone):
    the channel is switched off for this resident and nothing more is tried there."""


class Rejected(SendFailure):
    """The provider refuses this message for good (malformed): not retried."""


@dataclass(frozen=True)
class Outgoing:
    """One message rendered for one address."""

    delivery_id: int
    address: str
    title: str
    body: str
    lane: Lane
    link: str = ""
    data: dict[str, str] = field(default_factory=dict)


class Sender(Protocol):
    """A channel as the delivery worker uses it."""

    channel: Channel
    # The most messages one round claims (a batch); also bounds what is in flight.
    batch_size: int

    def rate_per_second(self, lane: Lane) -> int: ...

    async def send_all(self, messages: Sequence[Outgoing]) -> list[BaseException | None]:
        """Send each message; the outcome per message, None when delivered."""
        ...

    async def address_gone(self, resident_id: int, address: str) -> None:
        """Switch the channel off for this resident's address (the provider said it is gone)."""
        ...


async def send_concurrently(
    send, messages: Sequence[Outgoing], limit: int
) -> list[BaseException | None]:
    """Run `send(message)` for each message, at most `limit` at a time, in the given order."""
    gate = asyncio.Semaphore(limit)

    async def one(message: Outgoing) -> BaseException | None:
        async with gate:
            try:
                await send(message)
            except Exception as exc:  # noqa: BLE001 - the outcome is recorded per message
                return exc
            return None

    return list(await asyncio.gather(*(one(message) for message in messages)))
