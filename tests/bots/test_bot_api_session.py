"""The Bot API session keeps the models aiogram reads answers with: pydantic holds a
parametrized generic model only weakly, and building one again stalls the event loop."""

from __future__ import annotations

import gc
import weakref

from aiogram import Bot
from aiogram.methods.base import Response
from aiogram.types import Message
from pydantic import BaseModel

from core.bot_api import TelegramSession, keep_response_model
from notifications.channels.telegram import TelegramChannel
from tests.conftest import make_settings
from tests.fakes.telegram import FakeTelegramServer


class Answer(BaseModel):
    number: int


class OtherAnswer(BaseModel):
    number: int


def test_pydantic_lets_a_parametrized_answer_model_go_once_unreferenced():
    model = weakref.ref(Response[OtherAnswer])

    gc.collect()

    assert model() is None


def test_a_kept_answer_model_outlives_garbage_collection_and_is_the_one_aiogram_gets():
    model = weakref.ref(keep_response_model(Answer))

    gc.collect()

    assert model() is not None
    assert Response[Answer] is model()
    assert keep_response_model(Answer) is model()


async def test_a_send_through_the_session__its_answer_model_stays():
    async with FakeTelegramServer() as tg:
        bot = Bot(tg.token, session=TelegramSession(api=tg.api_server))
        try:
            sent = await bot.send_message(tg.updates.user().id, "警報")
        finally:
            await bot.session.close()
    model = weakref.ref(Response[Message])

    gc.collect()

    assert isinstance(sent, Message)
    assert model() is not None


def test_the_bot_and_the_telegram_channel_use_the_session(tmp_path):
    from bots.dispatcher import create_bot
    from core.settings.delivery import load_delivery

    settings = make_settings(
        tmp_path, "sqlite://:memory:", TELEGRAM_BOT_TOKEN="42:token", TELEGRAM_API_BASE="http://x"
    )
    bot = create_bot(settings)
    channel = TelegramChannel(bot, load_delivery({}))

    assert isinstance(bot.session, TelegramSession)
    assert isinstance(channel.bot.session, TelegramSession)
    assert bot.session.api.base == channel.bot.session.api.base
