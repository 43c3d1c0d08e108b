"""aiogram's HTTP session to the Bot API, keeping the models it reads answers with.

aiogram validates each answer with `Response[method.__returning__]`, a parametrized generic
pydantic model. pydantic holds those only weakly, so once the garbage collector has taken one
the next call builds it again: 10 to 15 ms on the event loop (the schema of a Message and all
it contains), every few dozen messages while an alert is sent (bench/telegram_round.py), a
stall for every request the process is answering. This session keeps each one it used for
the life of the process: one per return type of the methods the app calls, a few dozen.
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
