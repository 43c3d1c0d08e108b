"""/start, /help, /language, /link."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from api.executor import OperationError
from bots.client import ResidentApi
from bots.keyboards import main_keyboard
from core.i18n import t


async def start(message: Message, api: ResidentApi, lang: str) -> None:
    me = (await api.data("Me"))["me"]
    await message.answer(
        t("bot.start", lang, name=me["displayName"]), reply_markup=main_keyboard(lang)
    )


async def help_(message: Message, lang: str) -> None:
    await message.answer(t("bot.help", lang), reply_markup=main_keyboard(lang))


async def choose_language(message: Message, lang: str) -> None:
    buttons = [
        InlineKeyboardButton(text="日本語", callback_data="lang:ja"),
        InlineKeyboardButton(text="English", callback_data="lang:en"),
    ]
    await message.answer(
        t("bot.choose_language", lang), reply_markup=InlineKeyboardMarkup(inline_keyboard=[buttons])
    )


async def set_language(query: CallbackQuery, api: ResidentApi) -> None:
    language = query.data.split(":", 1)[1]
    await api.data("SetLanguage", language=language)
    await query.answer()
    await query.message.answer(
        t("bot.language_set", language), reply_markup=main_keyboard(language)
    )


async def link(message: Message, command: CommandObject, api: ResidentApi, lang: str) -> None:
    if not command.args:
        await message.answer(t("bot.link_usage", lang))
        return
    try:
        data = await api.data("RedeemTelegramLinkCode", code=command.args.strip())
    except OperationError as error:
        await message.answer(error.message)
        return
    await message.answer(t("bot.linked", lang, name=data["redeemTelegramLinkCode"]["displayName"]))


def create_router() -> Router:
    router = Router(name="start")
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    router.message.register(choose_language, Command("language"))
    router.callback_query.register(set_language, F.data.in_({"lang:ja", "lang:en"}))
    router.message.register(link, Command("link"))
    return router
