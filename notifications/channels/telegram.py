"""Telegram: the bot's messages to residents' private chats, within Telegram's limits.

Telegram allows about 30 messages a second per bot and one a second per chat; alerts may go
faster (up to 1,000 a second, paid in Stars) with `allow_paid_broadcast` when the city has
switched it on."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiohttp import ClientConnectorError

from core.delivery_settings import DeliverySettings
from notifications.channels import (
    AddressGone,
    Outgoing,
    Rejected,
    RetryLater,
    TemporaryFailure,
    send_concurrently,
)
from notifications.models import Channel, Lane
from notifications.preferences.service import block_telegram

PER_CHAT_SECONDS = 1.0
_GONE = ("chat not found", "user is deactivated", "bot was blocked", "bot was kicked")


class ChatSpacing:
    """One message a second per chat, in this process."""

    def __init__(self, seconds: float = PER_CHAT_SECONDS) -> None:
        self.seconds = seconds
        self._next: dict[str, float] = {}

    def wait_for(self, chat: str) -> float:
        """Seconds until the chat may get another message (0 when it may now)."""
        return max(0.0, self._next.get(chat, 0.0) - time.time())

    def sent(self, chat: str) -> None:
        now = time.time()
        self._next[chat] = now + self.seconds
        if len(self._next) > 10_000:
            self._next = {c: t for c, t in self._next.items() if t > now}


class TelegramChannel:
    channel = Channel.TELEGRAM
    batch_size = 50

    def __init__(self, bot: Any, settings: DeliverySettings) -> None:
        self.bot = bot  # an aiogram Bot
        self.settings = settings
        self.spacing = ChatSpacing()

    def paid(self, lane: Lane) -> bool:
        return lane == Lane.ALERT and self.settings.telegram_paid_broadcast

    def rate_per_second(self, lane: Lane) -> int:
        if self.paid(lane):
            return self.settings.telegram_paid_rate_per_second
        return self.settings.telegram_rate_per_second

    def hold_back(self, address: str) -> float:
        return self.spacing.wait_for(address)

    async def address_gone(self, resident_id: int, address: str) -> None:
        await block_telegram(resident_id)

    async def send_all(self, messages: Sequence[Outgoing]) -> list[BaseException | None]:
        return await send_concurrently(self.send, messages, self.batch_size)

    async def send(self, message: Outgoing) -> None:
        self.spacing.sent(message.address)
        extra = {"allow_paid_broadcast": True} if self.paid(message.lane) else {}
        try:
            await self.bot.send_message(int(message.address), _text(message), **extra)
        except TelegramRetryAfter as exc:
            self.spacing.sent(message.address)
            raise RetryLater(exc.retry_after, "telegram 429: too many requests") from exc
        except TelegramForbiddenError as exc:
            raise AddressGone(f"telegram 403: {exc.message}") from exc
        except (TelegramBadRequest, TelegramNotFound) as exc:
            if any(reason in exc.message.lower() for reason in _GONE):
                raise AddressGone(f"telegram: {exc.message}") from exc
            raise Rejected(f"telegram 400: {exc.message}") from exc
        except (TelegramServerError, TelegramUnauthorizedError) as exc:
            raise TemporaryFailure(f"telegram: {exc.message}") from exc
        except TelegramNetworkError as exc:
            if isinstance(exc.__cause__, ClientConnectorError):
                raise TemporaryFailure(f"telegram unreachable: {exc.message}") from exc
            raise  # a timeout after the request left: the outcome is unknown


def _text(message: Outgoing) -> str:
    if message.lane == Lane.ALERT and message.title:
        return f"{message.title}\n\n{message.body}"
    return message.body
