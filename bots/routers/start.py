"""/start, /help, /cancel, /language, /link."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from api.executor import OperationError
from bots.client import ResidentApi
from bots.commands import help_text, register_command
from bots.flows import Flow, drop_kept_drafts
from bots.keyboards import button_texts, home, register_button
from bots.routers.situation import NO_PREVIEW, disaster_lead
from core.i18n import t


async def start(message: Message, api: ResidentApi, lang: str) -> None:
    me = (await api.data("Me"))["me"]
    text = t("bot.start", lang, name=me["displayName"]) + "\n\n" + help_text(lang)
    lead = await disaster_lead(api, lang)
    if lead is None:
        await message.answer(text, reply_markup=home(lang))
        return
    buttons = InlineKeyboardMarkup(inline_keyboard=lead.buttons) if lead.buttons else home(lang)
    await message.answer(
        f"{lead.text}\n\n{text}", reply_markup=buttons, link_preview_options=NO_PREVIEW
    )


async def help_(message: Message, lang: str) -> None:
    await message.answer(help_text(lang), reply_markup=home(lang))


async def cancel(message: Message, state: FSMContext, left_flow: Flow | None, lang: str) -> None:
    dropped = await drop_kept_drafts(state)
    flow = left_flow or (dropped[0] if dropped else None)
    key = flow.cancelled_key if flow is not None else "bot.nothing_to_cancel"
    await message.answer(t(key, lang), reply_markup=home(lang))


async def choose_language(message: Message, lang: str) -> None:
    buttons = [
        InlineKeyboardButton(text="日本語", callback_data="lang:ja"),
        InlineKeyboardButton(text="English", callback_data="lang:en"),
    ]
    await message.answer(
        t("bot.choose_language", lang), reply_markup=InlineKeyboardMarkup(inline_keyboard=[buttons])
    )


async def set_language(query: CallbackQuery, api: ResidentApi) -> None:
    language = (query.data or "").split(":", 1)[1]
    await api.data("SetLanguage", language=language)
    await query.message.answer(t("bot.language_set", language), reply_markup=home(language))


async def link(message: Message, command: CommandObject, api: ResidentApi, lang: str) -> None:
    if not command.args:
        await message.answer(t("bot.link_usage", lang))
        return
    try:
        data = await api.data("RedeemTelegramLinkCode", code=command.args.strip()[:64])
    except OperationError as error:
        await message.answer(error.message)
        return
    await message.answer(t("bot.linked", lang, name=data["redeemTelegramLinkCode"]["displayName"]))


def create_router() -> Router:
    register_command("start", "bot.cmd.start")
    register_command("help", "bot.cmd.help")
    register_command("cancel", "bot.cmd.cancel")
    register_command("language", "bot.cmd.language")
    register_command("link", "bot.cmd.link")
    register_button("bot.cancel_button")
    router = Router(name="start")
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    router.message.register(cancel, Command("cancel"))
    router.message.register(cancel, F.text.in_(button_texts("bot.cancel_button")))
    router.message.register(choose_language, Command("language"))
    router.callback_query.register(set_language, F.data.in_({"lang:ja", "lang:en"}))
    router.message.register(link, Command("link"))
    return router
