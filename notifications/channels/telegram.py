"""Telegram: the bot's messages to residents' private chats, within Telegram's limits.

Telegram allows about 30 messages a second per bot and one a second per chat; alerts may go
faster (up to 1,000 a second, paid in Stars) with `allow_paid_broadcast` when the city has
switched it on."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import ClientConnectorError, ClientSession

from core.delivery_settings import DeliverySettings
from notifications.channels import (
    AddressGone,
    Gate,
    Outgoing,
    Rejected,
    RetryLater,
    TemporaryFailure,
    send_concurrently,
)
from notifications.channels.held_back import gate_answer, hold_back_last_byte
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


class GatedSession(AiohttpSession):
    """aiogram's session whose requests pass the ledger's gate with their last byte
    unwritten (HeldBackPayload), and tell the gate once they are complete."""

    async def create_session(self) -> ClientSession:
        if self._should_reset_connector:
            await self.close()
        if self._session is None or self._session.closed:
            self._session = ClientSession(
                connector=self._connector_type(**self._connector_init),
                middlewares=(hold_back_last_byte,),
            )
            self._should_reset_connector = False
        return self._session


class TelegramChannel:
    channel = Channel.TELEGRAM
    batch_size = 50
    per_address_seconds = PER_CHAT_SECONDS  # kept across instances by the ledger

    def __init__(self, bot: Any, settings: DeliverySettings) -> None:
        # The bot's token and server, on a session of the channel's own.
        self.bot = Bot(bot.token, session=GatedSession(api=bot.session.api))
        self.settings = settings
        self.spacing = ChatSpacing()

    async def close(self) -> None:
        await self.bot.session.close()

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

    async def send_all(
        self, messages: Sequence[Outgoing], gate: Gate | None = None
    ) -> list[BaseException | None]:
        return await send_concurrently(self.send, messages, self.batch_size, gate, at_write=True)

    async def send(self, message: Outgoing) -> None:
        self.spacing.sent(message.address)
        paid = True if self.paid(message.lane) else None  # None: the field is left out
        markup = _keyboard(message) if message.actions else None
        try:
            await self.bot.send_message(
                int(message.address), _text(message), allow_paid_broadcast=paid, reply_markup=markup
            )
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
            if refused := gate_answer(exc):
                raise refused from exc
            if isinstance(exc.__cause__, ClientConnectorError):
                raise TemporaryFailure(f"telegram unreachable: {exc.message}") from exc
            raise  # a timeout after the request left: the outcome is unknown


def _keyboard(message: Outgoing) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=action.label, callback_data=action.data) for action in row]
            for row in message.actions
        ]
    )


def _text(message: Outgoing) -> str:
    if message.lane == Lane.ALERT and message.title:
        return f"{message.title}\n\n{message.body}"
    return message.body
