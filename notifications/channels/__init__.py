"""Channels: how a rendered message reaches an address, and how a failed send is classified.

A sender raises one of these exceptions; anything else is a technical failure whose outcome
is unknown (never retried: the provider may have the message already)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

from core.errors import RetryLater
from core.foreground import in_turn, metered
from notifications.actions import Rows
from notifications.models import Channel, Lane

__all__ = [
    "AddressGone",
    "Finish",
    "Gate",
    "IncompleteRequest",
    "NotSent",
    "Outgoing",
    "Rejected",
    "RetryLater",  # the provider asks to wait retry_after seconds (Telegram 429, FCM 429)
    "SendFailure",
    "Sender",
    "TemporaryFailure",
]

# A round's sends start this many per turn of the event loop, the requests that came meanwhile
# between two turns: started together, a round of 50 ran 20 ms back to back ahead of every
# request (bench/disaster_broadcast.py --callbacks). As many as the in-flight gate marks in one
# statement (notifications.in_flight), so each turn's sends are marked together; the delivery
# worker starts a round's groups of that size a turn apart.
STARTS_PER_TURN = 10


class SendFailure(Exception):
    """Base of the classified failures."""


class TemporaryFailure(SendFailure):
    """Not delivered this time, known not sent (connection refused, 5xx): retried with backoff."""


class AddressGone(SendFailure):
    """The address cannot receive any more (bot blocked, token unregistered, mailbox gone):
    the channel is switched off for this resident and nothing more is tried there."""


class Rejected(SendFailure):
    """The provider refuses this message for good (malformed): not retried."""


class NotSent(Exception):
    """The message did not leave: its row was no longer this worker's to send."""


# Writes what a held-back request still lacks (its last bytes), without awaiting anything.
Finish = Callable[[], None]


class IncompleteRequest(TemporaryFailure):
    """The connection went before a held-back request's last bytes: the provider has not
    acted on it, so it is tried again."""


class Gate(Protocol):
    """What a message passes just before its request is complete (the ledger marks it in
    flight there); `left` tells that a message will not come to the gate any more.

    With `finish`, the gate completes the request itself in the same step as the mark's
    commit comes back, so as little as possible happens between the two."""

    async def passing(self, delivery_id: int, finish: Finish | None = None) -> bool: ...

    def written(self, delivery_id: int) -> None: ...

    def left(self, delivery_id: int) -> None: ...


_at_write: ContextVar[Callable[[Finish | None], Awaitable[None]] | None] = ContextVar(
    "at_write", default=None
)
_on_written: ContextVar[Callable[[], None] | None] = ContextVar("on_written", default=None)


async def before_write(finish: Finish | None = None) -> None:
    """A channel's HTTP client calls this immediately before completing a message's request:
    the message passes its gate there (once), or NotSent is raised and nothing more is
    written. `finish`, if given, is called by the gate to complete the request."""
    passing = _at_write.get()
    if passing is not None:
        _at_write.set(None)
        await passing(finish)
    elif finish is not None:
        finish()


@contextmanager
def outside_gate() -> Iterator[None]:
    """Requests made within (a sender fetching an access token) do not pass the message's gate."""
    passing, written = _at_write.set(None), _on_written.set(None)
    try:
        yield
    finally:
        _at_write.reset(passing)
        _on_written.reset(written)


def request_written() -> None:
    """A channel's HTTP client calls this once a message's request has been written."""
    written = _on_written.get()
    if written is not None:
        _on_written.set(None)
        written()


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
    actions: Rows = ()  # buttons, where the channel shows them (notifications.actions)


class Sender(Protocol):
    """A channel as the delivery worker uses it."""

    channel: Channel
    # The most messages one round claims (a batch); also bounds what is in flight.
    batch_size: int

    def rate_per_second(self, lane: Lane) -> int: ...

    async def send_all(
        self, messages: Sequence[Outgoing], gate: Gate | None = None
    ) -> list[BaseException | None]:
        """Send each message, each through the gate first; the outcome per message, None
        when delivered, NotSent when it did not pass the gate."""
        ...

    async def address_gone(self, resident_id: int, address: str) -> None:
        """Switch the channel off for this resident's address (the provider said it is gone)."""
        ...


async def send_concurrently(
    send,
    messages: Sequence[Outgoing],
    limit: int,
    gate: Gate | None = None,
    *,
    at_write: bool = False,
) -> list[BaseException | None]:
    """Run `send(message)` for each message, at most `limit` at a time, in the given order.
    Each passes `gate` before it is sent; with `at_write` the channel's client calls
    `before_write` at the last moment instead (the request built, its bytes about to go)."""
    slots = asyncio.Semaphore(limit)

    async def one(message: Outgoing) -> BaseException | None:
        async def passing(finish: Finish | None = None) -> None:
            if gate is None:
                if finish is not None:
                    finish()
            elif not await gate.passing(message.delivery_id, finish):
                raise NotSent(f"delivery {message.delivery_id} is not ours to send")

        async with slots:
            try:
                if at_write:
                    _at_write.set(passing)
                    if gate is not None:
                        _on_written.set(lambda: gate.written(message.delivery_id))
                else:
                    await passing()
                    if gate is not None:
                        gate.written(message.delivery_id)
                await send(message)
            except Exception as exc:  # noqa: BLE001 - the outcome is recorded per message
                return exc
            finally:
                if gate is not None:
                    gate.written(message.delivery_id)
                    gate.left(message.delivery_id)
            return None

    return list(
        await asyncio.gather(
            *(
                metered(in_turn(n // STARTS_PER_TURN, partial(one, message)))
                for n, message in enumerate(messages)
            )
        )
    )
