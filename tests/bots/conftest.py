"""The bot under test: the app with its real aiogram dispatcher, the Bot API faked on loopback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import forget_other_dialect
from tests.fakes.telegram import FakeTelegramServer
from tests.fakes.telegram_updates import TelegramUser
from tests.support.bot import WEBHOOK_SECRET, bot_settings, close_bot_session


@dataclass
class BotHarness:
    app: Any
    http: httpx.AsyncClient
    tg: FakeTelegramServer

    @property
    def updates(self):
        return self.tg.updates

    def user(self, language_code: str = "ja", **kwargs: Any) -> TelegramUser:
        user = self.tg.updates.user(language_code=language_code, **kwargs)
        self.tg.add_chat(user.private_chat())
        return user

    async def send(self, update: dict, secret: str | None = WEBHOOK_SECRET) -> httpx.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        if isinstance(update.get("update_id"), int):
            self.tg.remember_update(update)
        return await self.http.post("/telegram/webhook", json=update, headers=headers)

    def replies(self, user: TelegramUser) -> list[dict]:
        return [m for m in self.tg.sent_messages(user.id) if m.get("from", {}).get("is_bot")]

    def last_reply(self, user: TelegramUser) -> dict:
        replies = self.replies(user)
        assert replies, "the bot sent nothing"
        return replies[-1]


@pytest.fixture
async def bot(tmp_path, database_url):
    from app import create_app

    async with FakeTelegramServer() as tg:
        settings = bot_settings(tmp_path, database_url, tg)
        forget_other_dialect()
        application = create_app(settings, start_workers=False)
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
                yield BotHarness(app=application, http=http, tg=tg)
            await close_bot_session(application)
