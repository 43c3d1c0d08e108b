"""The app's bot in tests: its HTTP session closed without aiogram's wait."""

from __future__ import annotations


async def close_bot_session(application) -> None:
    """Close the bot's HTTP session ahead of the app's shutdown. Closing it, aiogram waits
    250 ms for TLS connections to close; the fake Bot API speaks plain HTTP, and a shutdown
    that finds the session closed skips the wait (a quarter second of every test with a
    bot). Call inside the app's lifespan, after the test."""
    telegram = application.state.services.bot
    if telegram is not None:
        session = await telegram.bot.session.create_session()  # the open one
        await session.close()
