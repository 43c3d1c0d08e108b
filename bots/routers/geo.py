"""Nearest evacuation sites and AEDs: share a location, choose a hazard, get five places.

The location travels in the buttons' callback data (not in per-process memory), so a press
works in whichever app process receives it. Only "AED near me" waits for a location, in the
FSM; if that state is lost, the location still gets the hazard buttons, which offer AEDs too.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
)

import geo.texts  # noqa: F401 - registers the texts
from api.executor import OperationError
from bots.client import ResidentApi
from bots.keyboards import main_keyboard
from core import clock
from core.i18n import t
from geo.hazards import Hazard

RESULTS = 5
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_ANY = "-"


class AedSearch(StatesGroup):
    waiting_for_location = State()


def _place(lat: float, lng: float) -> str:
    return f"{lat:.6f}:{lng:.6f}"


def hazard_keyboard(lat: float, lng: float, lang: str) -> InlineKeyboardMarkup:
    place = _place(lat, lng)
    buttons = [
        InlineKeyboardButton(
            text=t(f"geo.hazard.{h.name}", lang), callback_data=f"gs:{h.name}:{place}"
        )
        for h in Hazard
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            InlineKeyboardButton(
                text=t("geo.bot.any_hazard", lang), callback_data=f"gs:{_ANY}:{place}"
            )
        ]
    )
    rows.append(
        [InlineKeyboardButton(text=t("geo.bot.aed_here", lang), callback_data=f"ga:{place}")]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def remember_location(api: ResidentApi, message: Message) -> None:
    """Alerts where the resident just was reach them for a day (best effort)."""
    location = message.location
    await api.run("ShareLocation", lat=location.latitude, lng=location.longitude)


async def location_shared(message: Message, api: ResidentApi, lang: str) -> None:
    location = message.location
    await remember_location(api, message)
    await message.answer(
        t("geo.bot.choose_hazard", lang),
        reply_markup=hazard_keyboard(location.latitude, location.longitude, lang),
    )


async def hazard_chosen(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    parsed = _parse(query.data, 4)
    await query.answer()
    if parsed is None:
        return
    hazard_name, lat, lng = parsed[1], float(parsed[2]), float(parsed[3])
    hazard = None if hazard_name == _ANY else Hazard[hazard_name]
    try:
        data = await api.data(
            "NearestShelters", lat=lat, lng=lng, hazard=hazard and hazard.name, limit=RESULTS
        )
    except OperationError as error:
        await query.message.answer(error.message)
        return
    await query.message.answer(
        shelters_text(data, hazard, lang),
        link_preview_options=_NO_PREVIEW,
        reply_markup=main_keyboard(lang),
    )


async def aed_asked(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(AedSearch.waiting_for_location)
    button = KeyboardButton(text=t("geo.bot.send_location", lang), request_location=True)
    keyboard = ReplyKeyboardMarkup(
        keyboard=[[button]], resize_keyboard=True, one_time_keyboard=True
    )
    await message.answer(t("geo.bot.ask_location_for_aed", lang), reply_markup=keyboard)


async def aed_location_shared(
    message: Message, state: FSMContext, api: ResidentApi, lang: str
) -> None:
    await state.clear()
    await remember_location(api, message)
    await _answer_aeds(message, api, lang, message.location.latitude, message.location.longitude)


async def aed_here(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    parsed = _parse(query.data, 3)
    await query.answer()
    if parsed is not None:
        await _answer_aeds(query.message, api, lang, float(parsed[1]), float(parsed[2]))


async def _answer_aeds(
    message: Message, api: ResidentApi, lang: str, lat: float, lng: float
) -> None:
    try:
        data = await api.data(
            "NearestAeds", lat=lat, lng=lng, limit=RESULTS, availableAt=clock.now().isoformat()
        )
    except OperationError as error:
        await message.answer(error.message)
        return
    await message.answer(
        aeds_text(data, lang), link_preview_options=_NO_PREVIEW, reply_markup=main_keyboard(lang)
    )


def shelters_text(data: dict, hazard: Hazard | None, lang: str) -> str:
    hits = data["nearestShelters"]
    if hazard is None:
        title = t("geo.bot.shelters_any", lang)
    else:
        title = t("geo.bot.shelters_for", lang, hazard=t(f"geo.hazard.{hazard.name}", lang))
    lines = [title, ""]
    for number, hit in enumerate(hits, 1):
        site = hit["shelter"]
        state = t("geo.bot.open" if site["isOpen"] else "geo.bot.closed", lang)
        distance = distance_text(hit["distanceMeters"], lang)
        lines.append(
            t(
                "geo.bot.site",
                lang,
                number=number,
                name=site["name"],
                distance=distance,
                state=state,
            )
        )
        lines += [site["address"], hit["mapUrl"], ""] if site["address"] else [hit["mapUrl"], ""]
    if not hits:
        lines += [t("geo.bot.no_shelters", lang), ""]
    lines.append(data["geoAttribution"])
    return "\n".join(lines)


def aeds_text(data: dict, lang: str) -> str:
    hits = data["nearestAeds"]
    lines = [t("geo.bot.aeds_now", lang), ""]
    for number, hit in enumerate(hits, 1):
        aed = hit["aed"]
        distance = distance_text(hit["distanceMeters"], lang)
        lines.append(
            t(
                "geo.bot.aed",
                lang,
                number=number,
                name=aed["name"],
                placement=aed["placement"],
                distance=distance,
            )
        )
        lines += [aed["availability"], hit["mapUrl"], ""]
    if not hits:
        lines += [t("geo.bot.no_aeds", lang), ""]
    lines.append(data["geoAttribution"])
    return "\n".join(lines)


def distance_text(metres: float, lang: str) -> str:
    if metres < 1000:
        return t("geo.bot.metres", lang, value=f"{metres:,.0f}")
    return t("geo.bot.kilometres", lang, value=f"{metres / 1000:,.1f}")


def _parse(data: str | None, parts: int) -> list[str] | None:
    fields = (data or "").split(":")
    if len(fields) != parts:
        return None
    try:
        for value in fields[-2:]:
            float(value)
    except ValueError:
        return None
    if parts == 4 and fields[1] != _ANY and fields[1] not in Hazard.__members__:
        return None
    return fields


def _is_button(key: str):
    return F.text.in_({t(key, "ja"), t(key, "en")})


def create_router() -> Router:
    router = Router(name="geo")
    router.message.register(
        aed_location_shared, StateFilter(AedSearch.waiting_for_location), F.location
    )
    router.message.register(location_shared, F.location)
    router.message.register(aed_asked, _is_button("geo.bot.button_aed"))
    router.callback_query.register(hazard_chosen, F.data.startswith("gs:"))
    router.callback_query.register(aed_here, F.data.startswith("ga:"))
    return router
