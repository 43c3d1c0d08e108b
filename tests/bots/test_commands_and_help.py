"""The command menu (setMyCommands, per language), /help and /start name everything the bot
does, from one registry, and nothing it does not do."""

from __future__ import annotations

from bots.commands import commands
from bots.dispatcher import create_dispatcher
from bots.keyboards import MAIN_BUTTONS
from core.i18n import t
from tests.bots.chat import sent_markup


def test_every_router_registers_its_commands():
    create_dispatcher(executor=None)  # building the routers registers their commands
    names = [command.name for command in commands()]
    for expected in ("start", "help", "cancel", "report", "myreports", "nearby", "book"):
        assert expected in names
    assert {"mybookings", "lotteries", "language", "link"} <= set(names)


async def test_start_up__command_menu_in_japanese_english_and_default(bot):
    names = [command.name for command in commands()]
    japanese = bot.tg.my_commands(language_code="ja")
    english = bot.tg.my_commands(language_code="en")
    default = bot.tg.my_commands()
    assert [c["command"] for c in japanese] == names == [c["command"] for c in english]
    assert japanese == default
    assert {c["command"]: c["description"] for c in english}["book"] == (
        "Find a free slot and book"
    )
    assert {c["command"]: c["description"] for c in japanese}["report"] == (
        "道路などの不具合を通報"
    )


async def test_help__lists_every_command_and_button(bot):
    for lang in ("ja", "en"):
        user = bot.user(lang)
        await bot.send(bot.updates.command("help", user=user))
        text = bot.last_reply(user)["text"]
        for command in commands():
            assert f"/{command.name} — {t(command.description_key, lang)}" in text
        for row in MAIN_BUTTONS:
            for key, _ in row:
                assert t(key, lang) in text
        keyboard = sent_markup(bot, user)["keyboard"]
        assert [b["text"] for row in keyboard for b in row][:2] == [
            t("bot.geo.button_location", lang),
            t("bot.geo.button_aed", lang),
        ]


async def test_start__greets_and_names_only_what_exists(bot):
    user = bot.user("ja", first_name="花子", last_name="山田")
    await bot.send(bot.updates.command("start", user=user))
    text = bot.last_reply(user)["text"]
    assert text.startswith("花子 山田さん、こんにちは。")
    assert "/book" in text and "/report" in text and "/apply" in text
