"""The bot's commands: one registry feeds /help and the command menu Telegram shows
(`setMyCommands`, per language), so a router's command is listed the moment it is registered."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot
from aiogram.types import BotCommand

from bots.keyboards import MAIN_BUTTONS
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t


@dataclass(frozen=True)
class CommandSpec:
    name: str
    description_key: str


_COMMANDS: dict[str, CommandSpec] = {}


def register_command(name: str, description_key: str) -> None:
    """A command of the bot, in the order registered; its description is also its /help line."""
    _COMMANDS.setdefault(name, CommandSpec(name, description_key))


def commands() -> list[CommandSpec]:
    return list(_COMMANDS.values())


def is_known(name: str) -> bool:
    return name in _COMMANDS


def help_text(lang: str) -> str:
    lines = [t("bot.help.commands", lang)]
    lines += [f"/{c.name} — {t(c.description_key, lang)}" for c in commands()]
    buttons = [t(key, lang) for row in MAIN_BUTTONS for key, _ in row]
    if buttons:
        lines += ["", t("bot.help.buttons", lang)]
        lines += [f"{text}" for text in buttons]
    return "\n".join(lines)


async def publish_commands(bot: Bot) -> None:
    """The command menu in each language, and the default language's for everyone else."""
    for lang in (*LANGUAGES, None):
        shown = lang or DEFAULT_LANGUAGE
        menu = [
            BotCommand(command=c.name, description=t(c.description_key, shown)) for c in commands()
        ]
        await bot.set_my_commands(menu, language_code=lang)
