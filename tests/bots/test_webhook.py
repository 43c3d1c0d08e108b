from __future__ import annotations

import logging

from accounts.models import Resident
from tests.bots.conftest import WEBHOOK_SECRET


async def test_start_up__registers_the_webhook_with_the_secret(bot):
    webhook = bot.tg.webhook
    assert webhook["url"] == "https://city.example.jp/telegram/webhook"
    assert webhook["secret_token"] == "webhook-secret-0123456789"


async def test_start__answers_in_japanese_and_creates_the_resident(bot):
    hanako = bot.user("ja", first_name="花子", last_name="山田")
    response = await bot.send(bot.updates.command("start", user=hanako))
    assert response.status_code == 200
    reply = bot.last_reply(hanako)
    assert reply["text"].startswith("花子 山田さん、こんにちは。")
    resident = await Resident.get(telegram_user_id=hanako.id)
    assert resident.language == "ja" and resident.telegram_chat_id == hanako.id


async def test_start__english_speaker_gets_english(bot):
    alex = bot.user("en", first_name="Alex", last_name=None)
    await bot.send(bot.updates.command("start", user=alex))
    assert bot.last_reply(alex)["text"].startswith("Hello Alex.")


async def test_webhook__wrong_or_missing_secret__refused_and_nothing_happens(bot):
    user = bot.user()
    wrong = await bot.send(bot.updates.command("start", user=user), secret="guess")
    missing = await bot.send(bot.updates.command("start", user=user), secret=None)
    assert wrong.status_code == 403 and missing.status_code == 403
    assert bot.replies(user) == []
    assert not await Resident.exists(telegram_user_id=user.id)


async def test_webhook__not_json__400(bot):
    response = await bot.http.post(
        "/telegram/webhook",
        content=b"{not json",
        headers={"X-Telegram-Bot-Api-Secret-Token": "webhook-secret-0123456789"},
    )
    assert response.status_code == 400


async def test_webhook__malformed_update__logged_and_200(bot, caplog):
    with caplog.at_level(logging.ERROR):
        response = await bot.send({"update_id": "not a number", "message": 5})
    assert response.status_code == 200
    assert any("failed" in record.getMessage() for record in caplog.records)


async def test_handler_failure__logged_user_told_and_200(bot, caplog):
    user = bot.user("en")
    bot.tg.fail_next("sendMessage", times=1, error_code=500, description="Internal Server Error")
    with caplog.at_level(logging.ERROR):
        response = await bot.send(bot.updates.command("help", user=user))
    assert response.status_code == 200
    assert any(record.getMessage() == "bot handler failed" for record in caplog.records)
    assert bot.last_reply(user)["text"] == "Sorry, something went wrong. Please try again later."


async def test_language__switch_with_buttons(bot):
    user = bot.user("ja")
    await bot.send(bot.updates.command("language", user=user))
    prompt = bot.last_reply(user)
    buttons = [b["callback_data"] for row in prompt["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["lang:ja", "lang:en"]
    await bot.send(bot.updates.callback_query("lang:en", message=prompt, user=user))
    assert bot.last_reply(user)["text"] == "Language set to English."
    await bot.send(bot.updates.command("help", user=user))
    assert bot.last_reply(user)["text"].startswith("Commands:")
    assert (await Resident.get(telegram_user_id=user.id)).language == "en"


async def test_link__joins_the_app_account(bot):
    from tests.support.graphql import GraphQL

    gql = GraphQL(bot.http)
    account = await gql.sign_up(name="二本松 次郎")
    code = (await gql.data("mutation { createTelegramLinkCode { code } }", auth=account.token))[
        "createTelegramLinkCode"
    ]["code"]
    user = bot.user("ja")
    await bot.send(bot.updates.command("link", args="WRONG999", user=user))
    assert bot.last_reply(user)["text"] == "連携コードが正しくないか、有効期限が切れています。"
    await bot.send(bot.updates.command("link", args=code, user=user))
    assert bot.last_reply(user)["text"] == "アプリのアカウント（二本松 次郎）と連携しました。"
    assert (await Resident.get(email=account.email)).telegram_user_id == user.id


async def test_webhook__over_nested_update_with_the_secret__400_then_real_ones_answered(bot):
    user = bot.user()
    nested = bot.updates.command("start", user=user)
    for _ in range(200):
        nested = {"update_id": 1, "message": {"reply_to_message": nested}}
    raw = ('{"update_id": 7, "message": ' + "[" * 50_000 + "]" * 50_000 + "}").encode()

    secret = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    refused = await bot.http.post("/telegram/webhook", json=nested, headers=secret)
    too_deep = await bot.http.post("/telegram/webhook", content=raw, headers=secret)
    await bot.send(bot.updates.command("start", user=user))

    assert refused.status_code == too_deep.status_code == 400
    assert bot.last_reply(user)["text"]
