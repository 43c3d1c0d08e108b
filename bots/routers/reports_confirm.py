"""/report, last steps: the description, the confirmation, sending. A send that fails keeps
the draft, and goes back to the step the API refused."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, LinkPreviewOptions, Message

from api.executor import OperationError
from bots.client import ResidentApi
from bots.flows import draft as read_draft
from bots.flows import save_draft
from bots.keyboards import home
from bots.routers.reports_flow import (
    FLOW,
    MAX_DESCRIPTION,
    ReportFlow,
    confirm_keyboard,
    finish,
    snippet,
)
from bots.routers.reports_photos import PhotoRefused, download_photos
from core.i18n import t

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def after_category(message: Message, state: FSMContext, lang: str, kept: dict) -> None:
    if kept.get("description"):  # a caption said it already
        await ask_confirm(message, state, lang)
    else:
        await ask_description(message, state, lang)


# --- description, confirmation, sending -----------------------------------------------------------


async def ask_description(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(ReportFlow.description)
    await message.answer(t("bot.reports.ask_description", lang, max=f"{MAX_DESCRIPTION:,}"))


async def take_description(message: Message, state: FSMContext, lang: str) -> None:
    text = (message.text or "").strip()
    if len(text) > MAX_DESCRIPTION:
        await message.answer(
            t(
                "bot.reports.description_too_long",
                lang,
                length=len(text),
                max=f"{MAX_DESCRIPTION:,}",
            )
        )
        return
    if not text:
        await message.answer(t("bot.reports.ask_description", lang, max=f"{MAX_DESCRIPTION:,}"))
        return
    await save_draft(state, FLOW, description=text)
    await ask_confirm(message, state, lang)


async def ask_confirm(message: Message, state: FSMContext, lang: str, before: str = "") -> None:
    await state.set_state(ReportFlow.confirm)
    kept = await read_draft(state, FLOW)
    description = kept["description"]
    summary = t(
        "bot.reports.confirm",
        lang,
        category=kept["category_name"],
        place=t("bot.reports.map_link", lang, url=map_url(kept["lat"], kept["lng"])),
        photos=len(kept.get("photos", [])),
        description=snippet(description, 300) if len(description) > 300 else description,
    )
    await message.answer(
        (before + "\n" if before else "") + summary,
        reply_markup=confirm_keyboard(lang),
        link_preview_options=_NO_PREVIEW,
    )


def map_url(lat: float, lng: float) -> str:
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lng:.6f}#map=18/{lat:.6f}/{lng:.6f}"
    )


async def send_report(
    query: CallbackQuery, state: FSMContext, api: ResidentApi, bot: Bot, lang: str
) -> None:
    """A failure keeps the draft and the confirm step: nothing entered is lost."""
    kept = await read_draft(state, FLOW)
    try:
        uploads = await download_photos(bot, kept.get("photos", []), lang)
    except PhotoRefused as refused:
        await query.message.answer(refused.text, reply_markup=confirm_keyboard(lang))
        return
    report_input = {
        "categoryCode": kept["category"],
        "description": kept["description"],
        "lat": kept["lat"],
        "lng": kept["lng"],
        "photos": uploads,
    }
    try:
        filed = (await api.data("SubmitReport", input=report_input))["submitReport"]["report"]
    except OperationError as error:
        await _not_filed(query.message, state, error, lang)
        return
    await finish(state)
    await query.message.answer(
        t("bot.reports.filed", lang, receipt=filed["receiptNumber"]), reply_markup=home(lang)
    )


async def _not_filed(message: Message, state: FSMContext, error: OperationError, lang: str) -> None:
    """Keep the draft; when the API names what it refused, go back to that step."""
    text = error.message + "\n" + t("bot.reports.not_filed", lang)
    field = error.field or ""
    if field == "description":
        await save_draft(state, FLOW, description="")
        await state.set_state(ReportFlow.description)
        await message.answer(text + "\n" + t("bot.reports.expected_description", lang))
    elif field.startswith("photos"):
        kept = await read_draft(state, FLOW)
        index = (
            int(field.split(".")[1]) if field.count(".") == 1 and field[7:].isdecimal() else None
        )
        photos = kept.get("photos", [])
        if index is not None and index < len(photos):
            await save_draft(state, FLOW, photos=photos[:index] + photos[index + 1 :])
        await ask_confirm(message, state, lang, text)
    else:
        await message.answer(text, reply_markup=confirm_keyboard(lang))


async def cancel(query: CallbackQuery, state: FSMContext, lang: str) -> None:
    await finish(state)
    await query.message.answer(t("bot.reports.cancelled", lang), reply_markup=home(lang))
