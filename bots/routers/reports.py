"""/report: photo → location → category → (same as a report nearby?) → description → confirm.

Photos are checked when they arrive (size, type, that the API can decode them), a caption
becomes the description, and the draft outlives detours (`keeps_draft`): /report offers to go
on with it, and a failed send keeps it. /myreports and /nearby are in reports_mine.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, LinkPreviewOptions, Message

from bots.client import ResidentApi
from bots.commands import register_command
from bots.flows import draft as read_draft
from bots.flows import drop_draft, save_draft
from bots.formatting import day_text, distance_text, parse_moment
from bots.keyboards import add_main_row, button_texts, home
from bots.routers import reports_mine
from bots.routers.reports_confirm import (
    after_category,
    ask_confirm,
    ask_description,
    cancel,
    send_report,
    take_description,
)
from bots.routers.reports_flow import (
    FLOW,
    MAX_DESCRIPTION,
    ReportFlow,
    current_hint,
    finish,
    inline,
    report_location_keyboard,
    skip_keyboard,
    snippet,
)
from bots.routers.reports_photos import PhotoRefused, check_photo
from core.i18n import t

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def start_report(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    kept = await read_draft(state, FLOW)
    if kept:
        summary = _draft_summary(kept, lang)
        await message.answer(
            t("bot.reports.draft_found", lang, summary=summary),
            reply_markup=inline(
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
        reply_markup=skip_keyboard(lang),
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
            t("bot.reports.ask_location", lang), reply_markup=report_location_keyboard(lang)
        )
    elif not kept.get("category"):
        await _ask_category(message, state, api, lang, t("bot.reports.ask_category", lang))
    elif not kept.get("description"):
        await ask_description(message, state, lang)
    else:
        await ask_confirm(message, state, lang)


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
        await message.answer(refused.text + "\n" + await current_hint(state, lang))
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
            reply_markup=report_location_keyboard(lang),
        )
    elif current == ReportFlow.confirm.state or (
        current == ReportFlow.description.state and kept.get("description")
    ):
        await ask_confirm(message, state, lang, received)
    else:
        step = FLOW.step(current)
        keyboard = step.keyboard(lang) if step and step.keyboard else None
        await message.answer(
            received + "\n" + await current_hint(state, lang), reply_markup=keyboard
        )


async def skip_photo(query: CallbackQuery, state: FSMContext, lang: str) -> None:
    await state.set_state(ReportFlow.location)
    await query.message.answer(
        t("bot.reports.ask_location", lang), reply_markup=report_location_keyboard(lang)
    )


async def not_an_image(message: Message, lang: str, state: FSMContext) -> None:
    await message.answer(
        t("bot.reports.not_an_image", lang) + "\n" + await current_hint(state, lang)
    )


# --- location, category, duplicates ------------------------------------------------------------


async def take_location(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    lat, lng = message.location.latitude, message.location.longitude
    area = (await api.data("ReportIntake"))["reportServiceArea"]
    if not (area["minLat"] <= lat <= area["maxLat"] and area["minLng"] <= lng <= area["maxLng"]):
        await message.answer(
            t("bot.reports.outside_area", lang), reply_markup=report_location_keyboard(lang)
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
    await message.answer(text, reply_markup=inline(*rows))


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
        await after_category(query.message, state, lang, kept)
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
            lines.append("  " + snippet(report["description"], 60))
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
    return inline(*rows)


async def follow_instead(
    query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str
) -> None:
    report_id = (query.data or "").removeprefix("report:follow:")
    followed = (await api.data("FollowReport", id=report_id))["followReport"]
    await finish(state)
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
    await finish(state)
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
    await after_category(query.message, state, lang, await read_draft(state, FLOW))


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
