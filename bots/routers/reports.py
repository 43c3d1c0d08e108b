"""/report: photo → location → category → (same as a report nearby?) → description → confirm.

Photos are checked when they arrive (size, type, that the API can decode them), a caption
becomes the description, and the draft outlives detours (`keeps_draft`): /report offers to go
on with it, and a failed send keeps it. /myreports and /nearby are in reports_mine.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)

import bots.routers.reports_texts  # noqa: F401 - registers the texts
from api.executor import OperationError
from bots.client import ResidentApi
from bots.commands import register_command
from bots.flows import Flow, Step, drop_draft, leave_flow, register_flow, save_draft
from bots.flows import draft as read_draft
from bots.formatting import day_text, distance_text, parse_moment
from bots.keyboards import add_main_row, button_texts, home, location_keyboard
from bots.routers import reports_mine
from bots.routers.reports_photos import PhotoRefused, check_photo, download_photos
from core.i18n import t

MAX_DESCRIPTION = 4000
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class ReportFlow(StatesGroup):
    photo = State()
    location = State()
    category = State()
    duplicate = State()
    description = State()
    confirm = State()


def _inline(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data) for text, data in row]
            for row in rows
        ]
    )


def _skip_keyboard(lang: str) -> InlineKeyboardMarkup:
    return _inline([(t("bot.reports.skip_photo", lang), "report:skip")])


def _location_keyboard(lang: str):
    return location_keyboard("bot.reports.location_button", lang, "bot.cancel_button")


def _confirm_keyboard(lang: str) -> InlineKeyboardMarkup:
    return _inline(
        [
            (t("bot.reports.send_button", lang), "report:send"),
            (t("bot.reports.cancel_button", lang), "report:cancel"),
        ]
    )


FLOW = register_flow(
    Flow(
        name="report",
        states=ReportFlow,
        steps={
            ReportFlow.photo: Step("bot.reports.expected_photo", _skip_keyboard),
            ReportFlow.location: Step("bot.reports.expected_location", _location_keyboard),
            ReportFlow.category: Step("bot.reports.pick_category"),
            ReportFlow.duplicate: Step("bot.reports.pick_duplicate"),
            ReportFlow.description: Step("bot.reports.expected_description"),
            ReportFlow.confirm: Step("bot.reports.press_send", _confirm_keyboard),
        },
        cancelled_key="bot.reports.cancelled",
        keeps_draft=True,
    )
)


# --- start, or go on with a kept draft ------------------------------------------------------


async def start_report(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    kept = await read_draft(state, FLOW)
    if kept:
        summary = _draft_summary(kept, lang)
        await message.answer(
            t("bot.reports.draft_found", lang, summary=summary),
            reply_markup=_inline(
                [
                    (t("bot.reports.resume_button", lang), "report:resume"),
                    (t("bot.reports.fresh_button", lang), "report:fresh"),
                ]
            ),
        )
        return
    await _begin(message, state, api, lang)


async def _begin(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    limits = (await api.data("ReportIntake"))["reportPhotoLimits"]
    await drop_draft(state, FLOW)
    await state.set_state(ReportFlow.photo)
    await save_draft(state, FLOW, photos=[])
    await message.answer(
        t("bot.reports.ask_photo", lang, max=limits["maxPhotos"]),
        reply_markup=_skip_keyboard(lang),
    )


def _draft_summary(kept: dict, lang: str) -> str:
    parts = []
    if kept.get("photos"):
        parts.append(t("bot.reports.draft_photos", lang, count=len(kept["photos"])))
    if "lat" in kept:
        parts.append(t("bot.reports.draft_place", lang))
    if kept.get("category"):
        parts.append(kept["category_name"])
    if kept.get("description"):
        parts.append(t("bot.reports.draft_description", lang))
    separator = "、" if lang == "ja" else ", "
    return separator.join(parts) or t("bot.reports.draft_empty", lang)


async def resume(query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str) -> None:
    kept = await read_draft(state, FLOW)
    if not kept:
        await _begin(query.message, state, api, lang)
        return
    await _next_step(query.message, state, api, lang, kept)


async def start_fresh(query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str) -> None:
    await _begin(query.message, state, api, lang)


async def _next_step(
    message: Message, state: FSMContext, api: ResidentApi, lang: str, kept: dict
) -> None:
    """The first step the draft still lacks."""
    if "lat" not in kept:
        await state.set_state(ReportFlow.location)
        await message.answer(
            t("bot.reports.ask_location", lang), reply_markup=_location_keyboard(lang)
        )
    elif not kept.get("category"):
        await _ask_category(message, state, api, lang, t("bot.reports.ask_category", lang))
    elif not kept.get("description"):
        await _ask_description(message, state, lang)
    else:
        await _ask_confirm(message, state, lang)


# --- photos -----------------------------------------------------------------------------------


async def add_photo(
    message: Message, state: FSMContext, api: ResidentApi, bot: Bot, lang: str
) -> None:
    kept = await read_draft(state, FLOW)
    photos = kept.get("photos", [])
    try:
        limits = (await api.data("ReportIntake"))["reportPhotoLimits"]
        if len(photos) >= limits["maxPhotos"]:
            raise PhotoRefused(t("bot.reports.too_many_photos", lang, max=limits["maxPhotos"]))
        file_id = await check_photo(message, api, bot, limits, lang)
    except PhotoRefused as refused:
        await message.answer(refused.text + "\n" + await _current_hint(state, lang))
        return
    changes: dict = {"photos": [*photos, file_id]}
    if message.caption and not kept.get("description"):
        changes["description"] = message.caption.strip()[:MAX_DESCRIPTION]
    kept = await save_draft(state, FLOW, **changes)
    received = t(
        "bot.reports.photo_received", lang, count=len(kept["photos"]), max=limits["maxPhotos"]
    )
    current = await state.get_state()
    if current == ReportFlow.photo.state:
        await state.set_state(ReportFlow.location)
        await message.answer(
            received + "\n" + t("bot.reports.ask_location", lang),
            reply_markup=_location_keyboard(lang),
        )
    elif current == ReportFlow.confirm.state or (
        current == ReportFlow.description.state and kept.get("description")
    ):
        await _ask_confirm(message, state, lang, received)
    else:
        step = FLOW.step(current)
        keyboard = step.keyboard(lang) if step and step.keyboard else None
        await message.answer(
            received + "\n" + await _current_hint(state, lang), reply_markup=keyboard
        )


async def _current_hint(state: FSMContext, lang: str) -> str:
    step = FLOW.step(await state.get_state())
    return t(step.hint_key, lang) if step else ""


async def skip_photo(query: CallbackQuery, state: FSMContext, lang: str) -> None:
    await state.set_state(ReportFlow.location)
    await query.message.answer(
        t("bot.reports.ask_location", lang), reply_markup=_location_keyboard(lang)
    )


async def not_an_image(message: Message, lang: str, state: FSMContext) -> None:
    await message.answer(
        t("bot.reports.not_an_image", lang) + "\n" + await _current_hint(state, lang)
    )


# --- location, category, duplicates ------------------------------------------------------------


async def take_location(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    lat, lng = message.location.latitude, message.location.longitude
    area = (await api.data("ReportIntake"))["reportServiceArea"]
    if not (area["minLat"] <= lat <= area["maxLat"] and area["minLng"] <= lng <= area["maxLng"]):
        await message.answer(
            t("bot.reports.outside_area", lang), reply_markup=_location_keyboard(lang)
        )
        return
    await save_draft(state, FLOW, lat=lat, lng=lng)
    await _ask_category(message, state, api, lang, t("bot.reports.ask_category", lang))


async def _ask_category(
    message: Message, state: FSMContext, api: ResidentApi, lang: str, text: str
) -> None:
    await state.set_state(ReportFlow.category)
    categories = (await api.data("ReportCategories"))["reportCategories"]
    buttons = [(f"{c['icon']} {c['name']}".strip(), f"report:cat:{c['code']}") for c in categories]
    rows = [buttons[index : index + 2] for index in range(0, len(buttons), 2)]
    await message.answer(text, reply_markup=_inline(*rows))


async def choose_category(
    query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str
) -> None:
    code = (query.data or "").removeprefix("report:cat:")
    categories = {c["code"]: c for c in (await api.data("ReportCategories"))["reportCategories"]}
    if code not in categories:
        await query.message.answer(t("bot.reports.pick_category", lang))
        return
    chosen = categories[code]
    kept = await save_draft(
        state, FLOW, category=code, category_name=f"{chosen['icon']} {chosen['name']}".strip()
    )
    found = (
        await api.data("ReportDuplicates", categoryCode=code, lat=kept["lat"], lng=kept["lng"])
    )["reportDuplicates"][:3]
    if not found:
        await _after_category(query.message, state, lang, kept)
        return
    await state.set_state(ReportFlow.duplicate)
    await query.message.answer(
        _duplicates_text(found, lang),
        reply_markup=_duplicates_keyboard(found, lang),
        link_preview_options=_NO_PREVIEW,
    )


def _duplicates_text(found: list[dict], lang: str) -> str:
    lines = [t("bot.reports.duplicates", lang)]
    for number, candidate in enumerate(found, 1):
        report = candidate["report"]
        line = t(
            "bot.reports.duplicate_line",
            lang,
            number=number,
            receipt=report["receiptNumber"],
            status=report["statusLabel"],
            day=day_text(parse_moment(report["createdAt"]), lang),
            distance=distance_text(candidate["distanceM"], lang),
        )
        if report["isMine"]:
            line += " " + t("bot.reports.duplicate_mine", lang)
        elif report["isFollowing"]:
            line += " " + t("bot.reports.duplicate_following", lang)
        lines.append(line)
        if report["description"]:
            lines.append("  " + _snippet(report["description"], 60))
        if report["address"]:
            lines.append("  " + report["address"])
    lines += ["", t("bot.reports.duplicates_question", lang)]
    return "\n".join(lines)


def _duplicates_keyboard(found: list[dict], lang: str) -> InlineKeyboardMarkup:
    rows = []
    for number, candidate in enumerate(found, 1):
        report = candidate["report"]
        if report["isMine"] or report["isFollowing"]:
            rows.append(
                [(t("bot.reports.same_button", lang, number=number), f"report:same:{report['id']}")]
            )
        else:
            rows.append(
                [
                    (
                        t("bot.reports.follow_button", lang, number=number),
                        f"report:follow:{report['id']}",
                    )
                ]
            )
    rows.append([(t("bot.reports.new_button", lang), "report:new")])
    return _inline(*rows)


def _snippet(text: str, length: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


async def follow_instead(
    query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str
) -> None:
    report_id = (query.data or "").removeprefix("report:follow:")
    followed = (await api.data("FollowReport", id=report_id))["followReport"]
    await _finish(state)
    await query.message.answer(
        t(
            "bot.reports.followed",
            lang,
            receipt=followed["receiptNumber"],
            status=followed["statusLabel"],
        ),
        reply_markup=home(lang),
    )


async def same_as_known(
    query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str
) -> None:
    report = (await api.data("Report", id=(query.data or "").removeprefix("report:same:")))[
        "report"
    ]
    await _finish(state)
    await query.message.answer(
        t(
            "bot.reports.already_known",
            lang,
            receipt=report["receiptNumber"],
            status=report["statusLabel"],
        ),
        reply_markup=home(lang),
    )


async def not_a_duplicate(query: CallbackQuery, state: FSMContext, lang: str) -> None:
    await _after_category(query.message, state, lang, await read_draft(state, FLOW))


async def _after_category(message: Message, state: FSMContext, lang: str, kept: dict) -> None:
    if kept.get("description"):  # a caption said it already
        await _ask_confirm(message, state, lang)
    else:
        await _ask_description(message, state, lang)


# --- description, confirmation, sending -----------------------------------------------------------


async def _ask_description(message: Message, state: FSMContext, lang: str) -> None:
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
    await _ask_confirm(message, state, lang)


async def _ask_confirm(message: Message, state: FSMContext, lang: str, before: str = "") -> None:
    await state.set_state(ReportFlow.confirm)
    kept = await read_draft(state, FLOW)
    description = kept["description"]
    summary = t(
        "bot.reports.confirm",
        lang,
        category=kept["category_name"],
        place=t("bot.reports.map_link", lang, url=map_url(kept["lat"], kept["lng"])),
        photos=len(kept.get("photos", [])),
        description=_snippet(description, 300) if len(description) > 300 else description,
    )
    await message.answer(
        (before + "\n" if before else "") + summary,
        reply_markup=_confirm_keyboard(lang),
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
        await query.message.answer(refused.text, reply_markup=_confirm_keyboard(lang))
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
    await _finish(state)
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
        index = int(field.split(".")[1]) if field.count(".") == 1 and field[7:].isdigit() else None
        photos = kept.get("photos", [])
        if index is not None and index < len(photos):
            await save_draft(state, FLOW, photos=photos[:index] + photos[index + 1 :])
        await _ask_confirm(message, state, lang, text)
    else:
        await message.answer(text, reply_markup=_confirm_keyboard(lang))


async def cancel(query: CallbackQuery, state: FSMContext, lang: str) -> None:
    await _finish(state)
    await query.message.answer(t("bot.reports.cancelled", lang), reply_markup=home(lang))


async def _finish(state: FSMContext) -> None:
    await leave_flow(state)
    await drop_draft(state, FLOW)


def create_router() -> Router:
    register_command("report", "bot.cmd.report")
    register_command("myreports", "bot.cmd.myreports")
    register_command("nearby", "bot.cmd.nearby")
    add_main_row(("bot.reports.button", False), order=20)
    router = Router(name="reports")
    router.message.register(start_report, Command("report"))
    router.message.register(start_report, F.text.in_(button_texts("bot.reports.button")))
    router.callback_query.register(resume, F.data == "report:resume")
    router.callback_query.register(start_fresh, F.data == "report:fresh")
    in_flow = StateFilter(ReportFlow)
    is_image = F.photo | F.document.mime_type.startswith("image/")
    router.message.register(add_photo, in_flow, is_image)
    router.message.register(not_an_image, in_flow, F.document)
    router.callback_query.register(skip_photo, ReportFlow.photo, F.data == "report:skip")
    router.message.register(take_location, ReportFlow.location, F.location)
    router.callback_query.register(
        choose_category, ReportFlow.category, F.data.startswith("report:cat:")
    )
    router.callback_query.register(
        follow_instead, ReportFlow.duplicate, F.data.regexp(r"^report:follow:[0-9a-f-]{36}$")
    )
    router.callback_query.register(
        same_as_known, ReportFlow.duplicate, F.data.regexp(r"^report:same:[0-9a-f-]{36}$")
    )
    router.callback_query.register(not_a_duplicate, ReportFlow.duplicate, F.data == "report:new")
    router.message.register(take_description, ReportFlow.description, F.text)
    router.callback_query.register(send_report, ReportFlow.confirm, F.data == "report:send")
    router.callback_query.register(cancel, in_flow, F.data == "report:cancel")
    reports_mine.register(router)
    return router
