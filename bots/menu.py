"""The router included last (rule 4 and 5 of bots.flows): whatever no other handler took.

Inside a flow a message is told what the current step wants; outside one it gets a short
menu. A button press that no handler took is an expired choice.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message

from bots.flows import answer_quietly, command_name, flow_of, is_command
from bots.keyboards import home
from core.i18n import t


async def step_or_menu(message: Message, raw_state: str | None, lang: str) -> None:
    flow = flow_of(raw_state)
    step = flow.step(raw_state) if flow else None
    if step is not None:
        keyboard = step.keyboard(lang) if step.keyboard else None
        await message.answer(t(step.hint_key, lang), reply_markup=keyboard)
        return
    await message.answer(_outside_flow_text(message, lang), reply_markup=home(lang))


def _outside_flow_text(message: Message, lang: str) -> str:
    if is_command(message):
        return t("bot.unknown_command", lang, command=command_name(message)[:32])
    if message.photo or message.document:
        return t("bot.photo_outside_flow", lang)
    return t("bot.menu", lang)


async def expired(query: CallbackQuery, raw_state: str | None, lang: str) -> None:
    await answer_quietly(query, t("bot.expired", lang))
    if isinstance(query.message, Message) and query.message.reply_markup is not None:
        await _remove_keyboard(query.message)
    flow = flow_of(raw_state)
    step = flow.step(raw_state) if flow else None
    if step is not None:
        text = t("bot.expired_message", lang) + "\n" + t(step.hint_key, lang)
        keyboard = step.keyboard(lang) if step.keyboard else None
    else:
        text = t("bot.expired_message", lang) + "\n" + t("bot.expired_way_back", lang)
        keyboard = home(lang)
    chat_id = query.message.chat.id if query.message else query.from_user.id
    await query.bot.send_message(chat_id, text, reply_markup=keyboard)


async def _remove_keyboard(message: Message) -> None:
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramBadRequest:
        pass  # already gone, or too old to edit


def create_router() -> Router:
    router = Router(name="menu")
    router.message.register(step_or_menu)
    router.callback_query.register(expired, flags={"answers_itself": True, "keep_keyboard": True})
    return router
