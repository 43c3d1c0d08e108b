"""After filing: /myreports with each report's details (history, the city's notes, target
dates), follow / unfollow / reopen, and /nearby, the problems already reported near a place."""

from __future__ import annotations

import math

from aiogram import F, Router
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
from geopy.distance import geodesic

from bots.client import ResidentApi
from bots.flows import Flow, Step, leave_flow, register_flow
from bots.formatting import day_text, distance_text, moment_text, parse_moment
from bots.keyboards import location_keyboard
from core.i18n import t

NEARBY_METRES = 500
NEARBY_SHOWN = 10
_METRES_PER_DEGREE = 111_320
_ID = r"[0-9a-f-]{36}"
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class NearbySearch(StatesGroup):
    location = State()


NEARBY_FLOW = register_flow(
    Flow(
        name="nearby",
        states=NearbySearch,
        steps={
            NearbySearch.location: Step(
                "bot.reports.ask_nearby_location",
                lambda lang: location_keyboard(
                    "bot.reports.location_button", lang, "bot.cancel_button"
                ),
            )
        },
        cancelled_key="bot.nothing_to_cancel",
    )
)


def _numbered_buttons(ids: list[str]) -> InlineKeyboardMarkup | None:
    buttons = [
        InlineKeyboardButton(text=str(number), callback_data=f"rp:d:{report_id}")
        for number, report_id in enumerate(ids, 1)
    ]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def my_reports(message: Message, api: ResidentApi, lang: str) -> None:
    found = (await api.data("MyReports"))["myReports"]
    if not found:
        await message.answer(t("bot.reports.none", lang))
        return
    lines = [t("bot.reports.list_title", lang)]
    for number, report in enumerate(found, 1):
        lines.append(
            t(
                "bot.reports.list_line",
                lang,
                number=number,
                icon=report["category"]["icon"],
                receipt=report["receiptNumber"],
                category=report["category"]["name"],
                status=report["statusLabel"],
                day=day_text(parse_moment(report["createdAt"]), lang),
                following="" if report["isMine"] else t("bot.reports.following", lang),
            )
        )
    lines += ["", t("bot.reports.list_hint", lang)]
    await message.answer("\n".join(lines), reply_markup=_numbered_buttons([r["id"] for r in found]))


async def report_details(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    report = (await api.data("Report", id=(query.data or "")[5:]))["report"]
    await query.message.answer(
        details_text(report, lang),
        reply_markup=_detail_keyboard(report, lang),
        link_preview_options=_NO_PREVIEW,
    )


def details_text(report: dict, lang: str) -> str:
    place = report["address"] or f"{report['lat']:.5f}, {report['lng']:.5f}"
    lines = [
        t(
            "bot.reports.detail",
            lang,
            icon=report["category"]["icon"],
            category=report["category"]["name"],
            receipt=report["receiptNumber"],
            status=report["statusLabel"],
            day=day_text(parse_moment(report["createdAt"]), lang),
            place=place,
            department=report["departmentName"],
        )
    ]
    if report["description"]:
        lines.append(t("bot.reports.detail_description", lang, text=report["description"][:500]))
    if report["publicNote"]:
        lines.append(t("bot.reports.detail_note", lang, note=report["publicNote"]))
    lines += _target_lines(report, lang)
    if report["duplicateOf"]:
        receipt = report["duplicateOf"]["receiptNumber"]
        lines.append(t("bot.reports.detail_duplicate_of", lang, receipt=receipt))
    history = [_history_line(entry, lang) for entry in report["history"] if entry["public"]]
    if history:
        lines += ["", t("bot.reports.history_title", lang), *history]
    return "\n".join(lines)


def _target_lines(report: dict, lang: str) -> list[str]:
    lines = []
    for key, field in (
        ("bot.reports.detail_acknowledge_by", "acknowledgeBy"),
        ("bot.reports.detail_resolve_by", "resolveBy"),
    ):
        if report[field]:
            lines.append(t(key, lang, when=moment_text(parse_moment(report[field]), lang)))
    if lines and report["overdue"]:
        lines[-1] += t("bot.reports.detail_overdue", lang)
    return lines


def _history_line(entry: dict, lang: str) -> str:
    day = moment_text(parse_moment(entry["at"]), lang)
    if entry["toStatusLabel"]:
        line = t("bot.reports.history_status", lang, day=day, status=entry["toStatusLabel"])
        return line + (f" — {entry['note']}" if entry["note"] else "")
    return t("bot.reports.history_note", lang, day=day, actor=entry["actor"], note=entry["note"])


def _detail_keyboard(report: dict, lang: str) -> InlineKeyboardMarkup | None:
    buttons = []
    if not report["isMine"]:
        if report["isFollowing"]:
            buttons.append((t("bot.reports.unfollow_this", lang), f"rp:u:{report['id']}"))
        else:
            buttons.append((t("bot.reports.follow_this", lang), f"rp:f:{report['id']}"))
    if report["canReopen"]:
        buttons.append((t("bot.reports.reopen_this", lang), f"rp:o:{report['id']}"))
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data)] for text, data in buttons
        ]
    )


async def follow(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    followed = (await api.data("FollowReport", id=(query.data or "")[5:]))["followReport"]
    await query.message.answer(
        t(
            "bot.reports.followed",
            lang,
            receipt=followed["receiptNumber"],
            status=followed["statusLabel"],
        )
    )


async def unfollow(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    report_id = (query.data or "")[5:]
    report = (await api.data("Report", id=report_id))["report"]
    await api.data("UnfollowReport", id=report_id)
    await query.message.answer(t("bot.reports.unfollowed", lang, receipt=report["receiptNumber"]))


async def reopen(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    report = (await api.data("ReopenReport", id=(query.data or "")[5:]))["reopenReport"]
    await query.message.answer(
        t(
            "bot.reports.reopened",
            lang,
            receipt=report["receiptNumber"],
            status=report["statusLabel"],
        )
    )


# --- reports near a place -----------------------------------------------------------------------


async def ask_nearby(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(NearbySearch.location)
    step = NEARBY_FLOW.steps[NearbySearch.location]
    await message.answer(t(step.hint_key, lang), reply_markup=step.keyboard(lang))


async def nearby(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    await leave_flow(state)
    lat, lng = message.location.latitude, message.location.longitude
    d_lat = NEARBY_METRES / _METRES_PER_DEGREE
    d_lng = d_lat / max(math.cos(math.radians(lat)), 0.01)
    bbox = {
        "minLat": lat - d_lat,
        "maxLat": lat + d_lat,
        "minLng": lng - d_lng,
        "maxLng": lng + d_lng,
    }
    found = (await api.data("ReportsNearby", bbox=bbox))["reportsInArea"]
    near = sorted(
        ((geodesic((lat, lng), (r["lat"], r["lng"])).meters, r) for r in found),
        key=lambda pair: pair[0],
    )
    near = [(metres, r) for metres, r in near if metres <= NEARBY_METRES][:NEARBY_SHOWN]
    if not near:
        await message.answer(t("bot.reports.nearby_none", lang))
        return
    lines = [t("bot.reports.nearby_title", lang, radius=NEARBY_METRES)]
    for number, (metres, report) in enumerate(near, 1):
        mark = (
            " " + t("bot.reports.duplicate_mine", lang)
            if report["isMine"]
            else (" " + t("bot.reports.duplicate_following", lang) if report["isFollowing"] else "")
        )
        lines.append(
            t(
                "bot.reports.nearby_line",
                lang,
                number=number,
                icon=report["category"]["icon"],
                category=report["category"]["name"],
                status=report["statusLabel"],
                day=day_text(parse_moment(report["createdAt"]), lang),
                distance=distance_text(metres, lang),
                mark=mark,
            )
        )
    lines += ["", t("bot.reports.list_hint", lang)]
    await message.answer(
        "\n".join(lines), reply_markup=_numbered_buttons([r["id"] for _, r in near])
    )


def register(router: Router) -> None:
    router.message.register(my_reports, Command("myreports"))
    router.message.register(ask_nearby, Command("nearby"))
    router.message.register(nearby, StateFilter(NearbySearch.location), F.location)
    keep = {"keep_keyboard": True}
    router.callback_query.register(report_details, F.data.regexp(rf"^rp:d:{_ID}$"), flags=keep)
    router.callback_query.register(follow, F.data.regexp(rf"^rp:f:{_ID}$"))
    router.callback_query.register(unfollow, F.data.regexp(rf"^rp:u:{_ID}$"))
    router.callback_query.register(reopen, F.data.regexp(rf"^rp:o:{_ID}$"))
