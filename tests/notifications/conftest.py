"""Notifications' tests: the app with its real worker; Telegram, FCM and SMTP on loopback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.bots.conftest import BotHarness, bot  # noqa: F401 - fixtures shared with the bot's tests
from tests.conftest import forget_other_dialect
from tests.fakes.fcm import FakeFcmServer
from tests.fakes.smtp import FakeSmtpServer
from tests.fakes.telegram import FakeTelegramServer
from tests.support.bot import bot_settings, close_bot_session
from tests.support.graphql import GraphQL

MAIL_FROM = "oshirase@city.example.jp"


@dataclass
class Channels:
    app: Any
    http: httpx.AsyncClient
    gql: GraphQL
    tg: FakeTelegramServer
    fcm: FakeFcmServer
    smtp: FakeSmtpServer

    @property
    def worker(self):
        return self.app.state.services.outbox


def channel_settings(tmp_path, database_url, tg, fcm, smtp, **env: str):
    return bot_settings(
        tmp_path,
        database_url,
        tg,
        FCM_CREDENTIALS=str(fcm.write_credentials(tmp_path)),
        FCM_API_BASE=fcm.base_url,
        FCM_IID_BASE=fcm.base_url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp.port),
        MAIL_FROM=MAIL_FROM,
        **env,
    )


@pytest.fixture
def channel_env() -> dict[str, str]:
    """Extra settings for the `channels` fixture (override in a module)."""
    return {}


@pytest.fixture
async def channels(tmp_path, database_url, channel_env):
    from app import create_app

    async with FakeTelegramServer() as tg, FakeFcmServer() as fcm, FakeSmtpServer() as smtp:
        settings = channel_settings(tmp_path, database_url, tg, fcm, smtp, **channel_env)
        forget_other_dialect()
        application = create_app(settings, start_workers=False)
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
                yield Channels(application, http, GraphQL(http), tg, fcm, smtp)
            await close_bot_session(application)
