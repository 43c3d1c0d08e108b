"""The fake Bot API answers a real aiogram Bot the way Telegram does."""

from __future__ import annotations

import io
import time

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import BotCommand, BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from PIL import Image

from tests.fakes.telegram import FakeTelegramServer

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


def png_bytes(width: int = 1600, height: int = 1200) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


async def test_fake_telegram__starts_fast_and_closes():
    started = time.perf_counter()
    async with FakeTelegramServer() as server:
        elapsed = time.perf_counter() - started
        assert server.base_url.startswith("http://127.0.0.1:")
    assert elapsed < 10  # a hang guard, not a speed test


async def test_get_me__returns_the_bot_user(bot: Bot, tg: FakeTelegramServer):
    me = await bot.get_me()

    assert me.id == 123456789
    assert me.is_bot
    assert me.username == tg.bot_user["username"]
    assert tg.calls_to("getMe")[0].ok


async def test_send_message__records_keyboard_and_echoes_it(bot: Bot, tg: FakeTelegramServer):
    first = await bot.send_message(1001, "こんにちは", reply_markup=KEYBOARD)
    second = await bot.send_message(1001, "again")
    other_chat = await bot.send_message(2002, "hello")

    assert (first.message_id, second.message_id, other_chat.message_id) == (1, 2, 1)
    assert first.from_user.id == tg.bot_user["id"]
    assert first.chat.id == 1001 and first.chat.type == "private"
    assert first.reply_markup.inline_keyboard[0][0].callback_data == "book:42"
    call = tg.calls_to("sendMessage")[0]
    assert call.params["chat_id"] == 1001
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "予約する", "callback_data": "book:42"}]]
    }
    assert [m["text"] for m in tg.sent_messages(1001)] == ["こんにちは", "again"]


async def test_send_message__html_is_parsed_into_text_and_entities(bot: Bot):
    message = await bot.send_message(1, "<b>避難所</b> まで 300 m", parse_mode="HTML")

    assert message.text == "避難所 まで 300 m"
    assert message.entities[0].type == "bold"
    assert (message.entities[0].offset, message.entities[0].length) == (0, 3)


async def test_send_message__unescaped_html_is_refused(bot: Bot):
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(1, "<b>1 < 2</b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(1, "<div>x</div>", parse_mode="HTML")


async def test_send_message__markdown_v2_reserved_character_is_refused(bot: Bot):
    with pytest.raises(TelegramBadRequest, match="reserved"):
        await bot.send_message(1, "残り 3.5 km", parse_mode="MarkdownV2")
    sent = await bot.send_message(
        1, r"残り 3\.5 km [地図](https://example.org/a.b)", parse_mode="MarkdownV2"
    )
    assert sent.text == "残り 3.5 km 地図"


async def test_send_message__empty_or_too_long_text_is_refused(bot: Bot):
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(1, "")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(1, "あ" * 4097)


async def test_inline_button__callback_data_over_64_bytes_is_refused(bot: Bot):
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="予" * 22)]]
    )

    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(1, "hi", reply_markup=markup)


async def test_inline_button__localhost_url_is_refused(bot: Bot):
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="pay", url="http://localhost:8000/pay")]]
    )

    with pytest.raises(TelegramBadRequest, match="Wrong HTTP URL"):
        await bot.send_message(1, "hi", reply_markup=markup)


async def test_rate_limit__aiogram_raises_retry_after_then_the_call_passes(
    bot: Bot, tg: FakeTelegramServer
):
    tg.rate_limit("sendMessage", times=1, retry_after=7)

    with pytest.raises(TelegramRetryAfter) as raised:
        await bot.send_message(5, "first")
    sent = await bot.send_message(5, "second")

    assert raised.value.retry_after == 7
    assert sent.message_id == 1
    assert [c.status for c in tg.calls_to("sendMessage", include_failed=True)] == [429, 200]
    assert tg.calls_to("sendMessage", include_failed=True)[0].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }


async def test_blocked_chat__answers_forbidden(bot: Bot, tg: FakeTelegramServer):
    tg.block_chat(77)

    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_message(77, "hello")


async def test_edit_message_text__edits_and_refuses_same_content(bot: Bot, tg: FakeTelegramServer):
    sent = await bot.send_message(9, "受付中", reply_markup=KEYBOARD)

    edited = await bot.edit_message_text("受付完了", chat_id=9, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("受付完了", chat_id=9, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=9, message_id=99)

    assert edited.text == "受付完了" and edited.edit_date is not None
    assert edited.reply_markup is None
    assert tg.sent_messages(9)[0]["text"] == "受付完了"


async def test_edit_reply_markup_and_delete(bot: Bot, tg: FakeTelegramServer):
    sent = await bot.send_message(9, "choose", reply_markup=KEYBOARD)

    edited = await bot.edit_message_reply_markup(chat_id=9, message_id=sent.message_id)
    assert edited.reply_markup is None
    assert await bot.delete_message(9, sent.message_id) is True
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(9, sent.message_id)
    assert tg.sent_messages(9) == []


async def test_send_location_and_venue(bot: Bot):
    location = await bot.send_location(3, latitude=35.6812, longitude=139.7671)
    venue = await bot.send_venue(
        3, 35.68, 139.76, title="丸の内小学校", address="千代田区丸の内1-1"
    )

    assert (location.location.latitude, location.location.longitude) == (35.6812, 139.7671)
    assert venue.venue.title == "丸の内小学校" and venue.location.longitude == 139.76
    with pytest.raises(TelegramBadRequest, match="latitude"):
        await bot.send_location(3, latitude=95.0, longitude=0.0)


async def test_download__registered_file(bot: Bot, tg: FakeTelegramServer):
    tg.add_file("AgACphoto1", b"\xff\xd8jpeg-bytes", file_path="photos/file_1.jpg")

    file = await bot.get_file("AgACphoto1")
    downloaded = await bot.download("AgACphoto1")

    assert file.file_path == "photos/file_1.jpg" and file.file_size == len(b"\xff\xd8jpeg-bytes")
    assert downloaded.read() == b"\xff\xd8jpeg-bytes"
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("unknown")


async def test_download__over_20_mb_refused_and_removed_files_gone(
    bot: Bot, tg: FakeTelegramServer
):
    tg.add_file("big", bytes(20 * 1024 * 1024 + 1))
    tg.add_file("gone", b"x")
    tg.remove_file("gone")

    with pytest.raises(TelegramBadRequest, match="file is too big"):
        await bot.get_file("big")
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.download("gone")


async def test_send_photo__upload_becomes_sizes_and_downloadable(bot: Bot, tg: FakeTelegramServer):
    content = png_bytes()
    message = await bot.send_photo(4, BufferedInputFile(content, "report.png"), caption="穴")

    largest = message.photo[-1]
    assert (largest.width, largest.height) == (1280, 960)
    assert message.caption == "穴"
    assert (await bot.download(largest.file_id)).read() == content
    assert tg.calls_to("sendPhoto")[0].params["photo"].filename == "report.png"
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await bot.send_photo(4, BufferedInputFile(b"not an image", "x.jpg"))


async def test_set_my_commands__stored_per_language_and_validated(bot: Bot, tg: FakeTelegramServer):
    await bot.set_my_commands(
        [BotCommand(command="shelter", description="近くの避難所")], language_code="ja"
    )

    assert tg.my_commands(language_code="ja") == [
        {"command": "shelter", "description": "近くの避難所"}
    ]
    assert tg.my_commands() == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad-Name", description="x")])


async def test_http__unknown_method_wrong_token_and_json_body(tg: FakeTelegramServer):
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{tg.base_url}/bot{tg.token}/sendTelepathy") as response:
            unknown = (response.status, await response.json())
        async with session.post(
            f"{tg.base_url}/bot{tg.token}/sendMessage", json={"chat_id": 8, "text": "json body"}
        ) as response:
            by_json = await response.json()

    assert unknown == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert by_json["result"]["text"] == "json body" and by_json["result"]["chat"]["id"] == 8
    wrong = Bot("42:wrong-token", session=AiohttpSession(api=tg.api_server))
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await wrong.get_me()
    finally:
        await wrong.session.close()


async def test_wait_for__times_out_with_the_calls_seen(tg: FakeTelegramServer):
    with pytest.raises(AssertionError, match="no matching sendMessage"):
        await tg.wait_for("sendMessage", timeout=0.05)
