"""aiogram's HTTP session to the Bot API, keeping the models it reads answers with.

aiogram validates each answer with `Response[method.__returning__]`, a parametrized generic
pydantic model. pydantic holds those only weakly, so once no answer of that kind is alive the
garbage collector takes the model, and the next call builds it again on the event loop: 6 to
15 ms for the models carrying a Message or Updates. In the app those were the bot's long poll
(each getUpdates answer, its model built anew: bench/disaster_broadcast.py's server, counted),
its replies, and the answers the Telegram channel hands to aiogram (refusals, 429s); aiogram
sending in a tight loop (bench/telegram_round.py's baseline) rebuilt Response[Message] every
fifty messages. This session keeps each one it used for the life of the process: one per
return type of the methods the app calls, a few dozen at most.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods.base import Response, TelegramMethod, TelegramType

if TYPE_CHECKING:
    from aiogram import Bot

_kept: dict[Any, type] = {}


def keep_response_model(returning: Any) -> type:
    """The answer model for a method returning `returning`, held for good."""
    model = _kept.get(returning)
    if model is None:
        model = _kept[returning] = Response[returning]
    return model


class TelegramSession(AiohttpSession):
    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        keep_response_model(method.__returning__)
        return super().check_response(bot, method, status_code, content)
