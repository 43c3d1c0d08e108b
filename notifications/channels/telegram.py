"""Telegram: the bot's messages to residents' private chats, within Telegram's limits.

Telegram allows about 30 messages a second per bot and one a second per chat; alerts may go
faster (up to 1,000 a second, paid in Stars) with `allow_paid_broadcast` when the city has
switched it on."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import ClientConnectorError, ClientError, ClientSession, ClientTimeout
from aiohttp.payload import BytesPayload

from core.bot_api import TelegramSession
from core.settings.delivery import DeliverySettings
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
_JSON = "application/json"
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


class GatedSession(TelegramSession):
    """The bot's session whose requests pass the ledger's gate with their last byte
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
        self._bodies = _Bodies()

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
        try:
            await self._send_message(message)
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

    async def _send_message(self, message: Outgoing) -> None:
        """sendMessage with a JSON body made of the part every recipient of the text shares
        (built once by aiogram's types) and the chat id; the answer is read as aiogram reads
        it only when it is not a plain success, so its errors are aiogram's. Sending a city
        its alert, aiogram's per-call models (the method's, the returned Message) were most of
        the CPU a message cost (bench/telegram_round.py)."""
        session = await self.bot.session.create_session()
        body = BytesPayload(self._bodies.body(message, self.paid(message.lane)), content_type=_JSON)
        try:
            async with session.post(self._url, data=body, timeout=self._timeout) as response:
                status, raw = response.status, await response.text()
        except TimeoutError as exc:
            raise TelegramNetworkError(_method(message), "Request timeout error") from exc
        except ClientError as exc:
            raise TelegramNetworkError(_method(message), f"{type(exc).__name__}: {exc}") from exc
        if status == HTTPStatus.OK and _succeeded(raw):
            return
        self.bot.session.check_response(self.bot, _method(message), status, raw)

    @property
    def _url(self) -> str:
        return self.bot.session.api.api_url(token=self.bot.token, method="sendMessage")

    @property
    def _timeout(self) -> ClientTimeout:
        return ClientTimeout(total=self.bot.session.timeout)


class _Bodies:
    """sendMessage bodies: all but the chat id is the same for every recipient of a text."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._shared: dict[tuple, bytes] = {}

    def body(self, message: Outgoing, paid: bool) -> bytes:
        key = (message.lane, message.title, message.body, message.actions, paid)
        shared = self._shared.get(key)
        if shared is None:
            if len(self._shared) >= self.size:
                self._shared.clear()
            shared = self._shared[key] = _shared_fields(message, paid)
        return b'{"chat_id":' + str(int(message.address)).encode() + b"," + shared


def _shared_fields(message: Outgoing, paid: bool) -> bytes:
    """The body's fields after the chat id, as JSON text without its opening brace."""
    fields: dict[str, Any] = {"text": _text(message)}
    if paid:
        fields["allow_paid_broadcast"] = True
    if message.actions:
        fields["reply_markup"] = _keyboard(message).model_dump(mode="json", exclude_none=True)
    return json.dumps(fields, ensure_ascii=False).encode()[1:]


def _succeeded(raw: str) -> bool:
    try:
        answer = json.loads(raw)
    except ValueError:
        return False
    return isinstance(answer, dict) and answer.get("ok") is True


def _method(message: Outgoing) -> SendMessage:
    """The call as aiogram's model, for its errors (only when a send failed)."""
    return SendMessage(chat_id=int(message.address), text=_text(message))


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
