from __future__ import annotations

from tests.conftest import forget_other_dialect, make_settings
from tests.fakes.telegram import FakeTelegramServer


async def test_polling_mode__without_public_url__answers_start(tmp_path, database_url):
    from app import create_app

    async with FakeTelegramServer() as tg:
        settings = make_settings(
            tmp_path, database_url, TELEGRAM_BOT_TOKEN=tg.token, TELEGRAM_API_BASE=tg.base_url
        )
        forget_other_dialect()
        application = create_app(settings, start_workers=False)
        async with application.router.lifespan_context(application):
            user = tg.updates.user(language_code="en", first_name="Poll", last_name=None)
            mark = tg.mark()
            tg.feed_update(tg.updates.command("start", user=user))
            call = await tg.wait_for(
                "sendMessage", lambda c: c.params["chat_id"] == user.id, after=mark, timeout=10
            )
        assert call.params["text"].startswith("Hello Poll.")
        assert tg.webhook is None
