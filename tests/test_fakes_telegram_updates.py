"""Updates reach the bot from the fake: getUpdates, polling, webhooks, and the builders."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.exceptions import TelegramBadRequest, TelegramConflictError
from aiogram.filters import CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from tests.fakes.telegram import FakeTelegramServer
from tests.fakes.telegram_updates import TelegramUpdates

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="予約する", callback_data="book:42")]]
)


@pytest.fixture
async def tg():
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
def bot(tg: FakeTelegramServer) -> Bot:
    return tg.bot()


async def test_answer_callback_query__only_once_for_a_fed_query(bot: Bot, tg: FakeTelegramServer):
    update = tg.updates.callback_query("book:42")
    tg.feed_update(update)
    query_id = update["callback_query"]["id"]

    assert await bot.answer_callback_query(query_id, text="受け付けました") is True
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)


async def test_webhook__must_be_https_and_blocks_get_updates(bot: Bot, tg: FakeTelegramServer):
    with pytest.raises(TelegramBadRequest, match="HTTPS"):
        await bot.set_webhook("http://city.example.jp/hook")
    await bot.set_webhook("https://city.example.jp/hook", secret_token="s3cret")

    info = await bot.get_webhook_info()
    with pytest.raises(TelegramConflictError):
        await bot.get_updates(timeout=0)
    await bot.delete_webhook()

    assert info.url == "https://city.example.jp/hook"
    assert tg.webhook is None
    assert await bot.get_updates(timeout=0) == []


async def test_get_updates__long_poll_returns_when_an_update_arrives(
    bot: Bot, tg: FakeTelegramServer
):
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    tg.feed_update(tg.updates.text_message("hello"))

    updates = await asyncio.wait_for(poll, timeout=2)
    again = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)

    assert [u.message.text for u in updates] == ["hello"]
    assert again == []


async def test_polling__dispatcher_handles_a_command(bot: Bot, tg: FakeTelegramServer):
    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def greet(message: Message) -> None:
        await message.answer(f"ようこそ {message.from_user.first_name}")

    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot, handle_signals=False, close_bot_session=False, polling_timeout=1
        )
    )
    hanako = tg.updates.user(first_name="花子")
    tg.feed_update(tg.updates.command("start", user=hanako))

    call = await tg.wait_for("sendMessage", lambda c: c.params["chat_id"] == hanako.id)
    await dispatcher.stop_polling()
    await asyncio.wait_for(polling, timeout=5)

    assert call.params["text"] == "ようこそ 花子"


async def test_feed_update__callback_query_handler_answers(bot: Bot, tg: FakeTelegramServer):
    dispatcher = Dispatcher()

    @dispatcher.callback_query(F.data.startswith("book:"))
    async def book(query: CallbackQuery) -> None:
        await query.answer("予約しました")
        await query.message.edit_text("予約済み")

    sent = await bot.send_message(tg.updates.default_user.id, "空きあり", reply_markup=KEYBOARD)
    update = tg.updates.callback_query("book:42", message=tg.sent_messages(sent.chat.id)[0])
    tg.feed_update(update)
    await dispatcher.feed_update(bot, Update.model_validate(update, context={"bot": bot}))

    answered = tg.calls_to("answerCallbackQuery")[0]
    assert answered.params["text"] == "予約しました"
    assert tg.sent_messages(sent.chat.id)[0]["text"] == "予約済み"


async def test_polling__second_poller_ends_the_first_with_conflict(
    bot: Bot, tg: FakeTelegramServer
):
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=0))

    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await asyncio.wait_for(first, timeout=2)
    assert await second == []


def test_builders__command_has_a_bot_command_entity():
    updates = TelegramUpdates()
    taro = updates.user(first_name="太郎", language_code="en")

    update = Update.model_validate(updates.command("start", "link-3f2a", user=taro))

    assert update.message.text == "/start link-3f2a"
    assert update.message.entities[0].type == "bot_command"
    assert update.message.entities[0].length == len("/start")
    assert update.message.from_user.language_code == "en"
    assert update.message.chat.id == taro.id and update.message.chat.type == "private"


def test_builders__ids_increase_and_users_differ():
    updates = TelegramUpdates()
    hanako, taro = updates.user(), updates.user()

    first = updates.text_message("a", user=hanako)
    second = updates.text_message("b", user=hanako)
    other = updates.text_message("c", user=taro)

    assert hanako.id != taro.id
    assert second["update_id"] == first["update_id"] + 1
    assert (first["message"]["message_id"], second["message"]["message_id"]) == (1, 2)
    assert other["message"]["message_id"] == 1


def test_builders__location_photo_contact_and_callback_parse_as_aiogram_types():
    updates = TelegramUpdates()

    location = Update.model_validate(
        updates.location_message(35.68, 139.76, horizontal_accuracy=12.5)
    )
    photo = Update.model_validate(
        updates.photo_message("AgACbig", width=2000, height=1500, caption="穴")
    )
    contact = Update.model_validate(updates.contact_message("+81-90-1234-5678"))
    document = Update.model_validate(
        updates.document_message("BQACheic", file_name="IMG_1.HEIC", mime_type="image/heic")
    )
    press = Update.model_validate(updates.callback_query("shelter:12"))

    assert location.message.location.horizontal_accuracy == 12.5
    assert photo.message.photo[-1].file_id == "AgACbig"
    assert [p.width for p in photo.message.photo] == [90, 320, 800, 2000]
    assert photo.message.caption == "穴"
    assert contact.message.contact.user_id == updates.default_user.id
    assert press.callback_query.data == "shelter:12"
    assert document.message.document.mime_type == "image/heic"
    assert document.message.document.file_name == "IMG_1.HEIC"
    assert press.callback_query.message.from_user.is_bot


async def test_fed_user_messages_share_the_chat_numbering_with_the_bot(
    bot: Bot, tg: FakeTelegramServer
):
    user_update = tg.updates.text_message("こんにちは")
    tg.feed_update(user_update)

    reply = await bot.send_message(tg.updates.default_user.id, "はい")

    assert reply.message_id == user_update["message"]["message_id"] + 1
