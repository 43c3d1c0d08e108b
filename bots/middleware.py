"""Gives every handler the resident behind the Telegram user and the API client."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from accounts.service import resident_for_telegram
from bots.client import ApiClient


class ResidentMiddleware(BaseMiddleware):
    def __init__(self, api: ApiClient) -> None:
        self.api = api

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user = data.get("event_from_user")
        chat = data.get("event_chat")
        if user is None or user.is_bot:
            return None
        resident = await resident_for_telegram(
            user_id=user.id,
            chat_id=chat.id if chat else user.id,
            display_name=user.full_name,
            language_code=user.language_code,
        )
        data["resident"] = resident
        data["api"] = self.api.for_resident(resident)
        data["lang"] = resident.language
        return await handler(event, data)
