"""Nearest evacuation sites and AEDs: share a location, choose a hazard, get five places.

The location travels in the buttons' callback data (not in per-process memory), so a press
works in whichever app process receives it, and these keyboards never expire. Only "AED near
me" waits for a location, in the FSM; if that state is lost, the location still gets the
hazard buttons, which offer AEDs too. Hazards and their names come from the API.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)

import bots.routers.geo_texts  # noqa: F401 - registers the texts
from bots.client import ResidentApi
from bots.flows import Flow, Step, leave_flow, register_flow
from bots.formatting import distance_text, moment_text
from bots.keyboards import add_main_row, location_keyboard
from bots.menu import expired
from bots.routers.situation import disaster_lead
from core import clock
from core.clock import TOKYO
from core.i18n import t

RESULTS = 5
AED_HOURS = (6, 12, 18, 22)
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_ANY = "-"
_PLACE = r"(-?\d{1,3}\.\d{6}):(-?\d{1,3}\.\d{6})"
_KEEP = {"keep_keyboard": True}


class AedSearch(StatesGroup):
    waiting_for_location = State()


AED_FLOW = register_flow(
    Flow(
        name="aed",
        states=AedSearch,
        steps={
            AedSearch.waiting_for_location: Step(
                "bot.geo.ask_location_for_aed",
                lambda lang: location_keyboard("bot.geo.send_location", lang, "bot.cancel_button"),
            )
        },
        cancelled_key="bot.nothing_to_cancel",
    )
)


def _place(lat: float, lng: float) -> str:
    return f"{lat:.6f}:{lng:.6f}"


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def hazard_keyboard(hazards: list[dict], lat: float, lng: float, lang: str) -> InlineKeyboardMarkup:
    place = _place(lat, lng)
    buttons = [_button(h["label"], f"gs:{h['hazard']}:{place}") for h in hazards]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button(t("bot.geo.any_hazard", lang), f"gs:{_ANY}:{place}")])
    rows.append([_button(t("bot.geo.aed_here", lang), f"ga:{place}")])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def remember_location(api: ResidentApi, message: Message) -> None:
    """Alerts where the resident just was reach them for a day (best effort)."""
    location = message.location
    await api.run("ShareLocation", lat=location.latitude, lng=location.longitude)


async def location_shared(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    """Rule 3 of bots.flows: a location no step asked for is a search for shelters."""
    await leave_flow(state)
    await remember_location(api, message)
    hazards = (await api.data("Hazards"))["hazards"]
    location = message.location
    keyboard = hazard_keyboard(hazards, location.latitude, location.longitude, lang)
    lead = await disaster_lead(api, lang, (location.latitude, location.longitude))
    if lead is None:
        await message.answer(t("bot.geo.choose_hazard", lang), reply_markup=keyboard)
        return
    keyboard.inline_keyboard[:0] = lead.buttons
    await message.answer(
        f"{lead.text}\n\n{t('bot.disaster.other_hazards', lang)}",
        reply_markup=keyboard,
        link_preview_options=_NO_PREVIEW,
    )


async def hazard_chosen(
    query: CallbackQuery, api: ResidentApi, raw_state: str | None, lang: str
) -> None:
    _, hazard, lat, lng = (query.data or "").split(":")
    hazards = {h["hazard"]: h["label"] for h in (await api.data("Hazards"))["hazards"]}
    if hazard != _ANY and hazard not in hazards:
        await expired(query, raw_state, lang)
        return
    data = await api.data(
        "NearestShelters",
        lat=float(lat),
        lng=float(lng),
        hazard=None if hazard == _ANY else hazard,
        limit=RESULTS,
    )
    title = (
        t("bot.geo.shelters_any", lang)
        if hazard == _ANY
        else t("bot.geo.shelters_for", lang, hazard=hazards[hazard])
    )
    hits = data["nearestShelters"]
    buttons = [_button(f"ℹ️ {n}", f"gd:{hit['shelter']['id']}") for n, hit in enumerate(hits, 1)]
    await query.message.answer(
        shelters_text(title, data, lang),
        link_preview_options=_NO_PREVIEW,
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[buttons]) if buttons else None,
    )


def kinds_text(shelter: dict, lang: str) -> str:
    kinds = []
    if shelter["isEvacuationSite"]:
        kinds.append(t("bot.geo.evacuation_site", lang))
    if shelter["isShelter"]:
        kinds.append(t("bot.geo.shelter", lang))
    return ("・" if lang == "ja" else ", ").join(kinds)


def _state_suffix(shelter: dict, lang: str) -> str:
    """開設中 only when staff opened it; the usual not-opened state goes unsaid in a list."""
    if shelter["status"] == "NOT_OPENED":
        return ""
    separator = "｜" if lang == "ja" else " · "
    return separator + t(f"bot.geo.status.{shelter['status']}", lang)


def shelters_text(title: str, data: dict, lang: str) -> str:
    hits = data["nearestShelters"]
    lines = [title, ""]
    for number, hit in enumerate(hits, 1):
        site = hit["shelter"]
        distance = distance_text(hit["distanceMeters"], lang)
        lines.append(t("bot.geo.site", lang, number=number, name=site["name"], distance=distance))
        lines.append(kinds_text(site, lang) + _state_suffix(site, lang))
        lines += [site["address"], hit["mapUrl"], ""] if site["address"] else [hit["mapUrl"], ""]
    if hits:
        lines += [t("bot.geo.details_hint", lang), ""]
    else:
        lines += [t("bot.geo.no_shelters", lang), ""]
    lines.append(data["geoAttribution"])
    return "\n".join(lines)


async def shelter_details(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    data = await api.data("Shelter", id=(query.data or "").removeprefix("gd:"))
    await query.message.answer(
        shelter_text(data, lang), link_preview_options=_NO_PREVIEW, reply_markup=None
    )


def shelter_text(data: dict, lang: str) -> str:
    site = data["shelter"]
    labels = {h["hazard"]: h["label"] for h in data["hazards"]}
    named = [labels.get(h, h) for h in site["hazards"]]
    lines = [f"{site['name']}（{site['kana']}）" if site["kana"] else site["name"]]
    lines.append(kinds_text(site, lang))
    lines.append(
        t("bot.geo.detail_status", lang, status=t(f"bot.geo.status.{site['status']}", lang))
    )
    if named:
        separator = "、" if lang == "ja" else ", "
        lines.append(t("bot.geo.detail_hazards", lang, hazards=separator.join(named)))
    else:
        lines.append(t("bot.geo.detail_no_hazards", lang))
    if site["capacity"] is not None:
        lines.append(t("bot.geo.detail_capacity", lang, capacity=f"{site['capacity']:,}"))
    else:
        lines.append(t("bot.geo.detail_no_capacity", lang))
    if site["address"]:
        lines.append(t("bot.geo.detail_address", lang, address=site["address"]))
    if site["notes"]:
        lines.append(t("bot.geo.detail_notes", lang, notes=site["notes"]))
    lines += [site["mapUrl"], "", data["geoAttribution"]]
    return "\n".join(lines)


async def aed_asked(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(AedSearch.waiting_for_location)
    keyboard = location_keyboard("bot.geo.send_location", lang, "bot.cancel_button")
    await message.answer(t("bot.geo.ask_location_for_aed", lang), reply_markup=keyboard)


async def aed_location_shared(
    message: Message, state: FSMContext, api: ResidentApi, lang: str
) -> None:
    await leave_flow(state)
    await remember_location(api, message)
    location = message.location
    await _answer_aeds(message, api, lang, location.latitude, location.longitude, None)


async def aeds_chosen(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    fields = (query.data or "").split(":")
    hour = int(fields[3]) // 100 if len(fields) == 4 else None
    await _answer_aeds(query.message, api, lang, float(fields[1]), float(fields[2]), hour)


def _next_time(hour: int) -> datetime:
    now = clock.now().astimezone(TOKYO)
    moment = datetime.combine(now.date(), time(hour), TOKYO)
    return moment if moment > now else moment + timedelta(days=1)


async def _answer_aeds(
    message: Message, api: ResidentApi, lang: str, lat: float, lng: float, hour: int | None
) -> None:
    moment = clock.now() if hour is None else _next_time(hour)
    data = await api.data(
        "NearestAeds", lat=lat, lng=lng, limit=RESULTS, availableAt=moment.isoformat()
    )
    if hour is None:
        title = t("bot.geo.aeds_now", lang)
    else:
        title = t("bot.geo.aeds_at", lang, when=moment_text(moment, lang))
    place = _place(lat, lng)
    times = [_button(f"🕘 {h}:00", f"ga:{place}:{h:02d}00") for h in AED_HOURS if h != hour]
    await message.answer(
        aeds_text(title, data, lang),
        link_preview_options=_NO_PREVIEW,
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[times]),
    )


def aeds_text(title: str, data: dict, lang: str) -> str:
    hits = data["nearestAeds"]
    lines = [title, ""]
    for number, hit in enumerate(hits, 1):
        aed = hit["aed"]
        distance = distance_text(hit["distanceMeters"], lang)
        lines.append(
            t(
                "bot.geo.aed",
                lang,
                number=number,
                name=aed["name"],
                placement=aed["placement"],
                distance=distance,
            )
        )
        lines += [aed["availability"], hit["mapUrl"], ""]
    if not hits:
        lines += [t("bot.geo.no_aeds", lang), ""]
    lines += [t("bot.geo.other_times", lang), "", data["geoAttribution"]]
    return "\n".join(lines)


def create_router() -> Router:
    add_main_row(("bot.geo.button_location", True), ("bot.geo.button_aed", False), order=0)
    router = Router(name="geo")
    router.message.register(
        aed_location_shared, StateFilter(AedSearch.waiting_for_location), F.location
    )
    router.message.register(location_shared, F.location)
    router.message.register(aed_asked, F.text.in_(_texts("bot.geo.button_aed")))
    router.callback_query.register(
        hazard_chosen, F.data.regexp(rf"^gs:([A-Z_]{{1,20}}|{_ANY}):{_PLACE}$"), flags=_KEEP
    )
    router.callback_query.register(
        aeds_chosen, F.data.regexp(rf"^ga:{_PLACE}(:(06|12|18|22)00)?$"), flags=_KEEP
    )
    router.callback_query.register(
        shelter_details, F.data.regexp(r"^gd:[0-9a-f-]{36}$"), flags=_KEEP
    )
    return router


def _texts(key: str) -> set[str]:
    return {t(key, "ja"), t(key, "en")}
