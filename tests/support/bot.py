"""The app's bot in tests: settings for the fake Bot API, and its HTTP session closed without
aiogram's wait."""

from __future__ import annotations

from core.settings import Settings
from tests.conftest import make_settings

WEBHOOK_SECRET = "webhook-secret-0123456789"


def bot_settings(tmp_path, database_url: str, tg, **env: str) -> Settings:
    """The test's settings with the bot on, talking to the fake Bot API `tg`."""
    return make_settings(
        tmp_path,
        database_url,
        TELEGRAM_BOT_TOKEN=tg.token,
        TELEGRAM_API_BASE=tg.base_url,
        TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
        PUBLIC_BASE_URL="https://city.example.jp",
        **env,
    )


async def close_bot_session(application) -> None:
    """Close the bot's HTTP session ahead of the app's shutdown. Closing it, aiogram waits
    250 ms for TLS connections to close; the fake Bot API speaks plain HTTP, and a shutdown
    that finds the session closed skips the wait (a quarter second of every test with a
    bot). Call inside the app's lifespan, after the test."""
    telegram = application.state.services.bot
    if telegram is not None:
        session = await telegram.bot.session.create_session()  # the open one
        await session.close()
