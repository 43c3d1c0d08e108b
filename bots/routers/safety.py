"""安否確認 in the bot: the safety-check buttons (safe / at a shelter / I need help), /anpi,
and the "I need help" flow that asks for the place.

Callback data carries the alert (and the shelter) by id, so a press works in any app process
and the buttons on an alert's own message (disaster.safety.asks: "sf:<S|A|H>:<32 hex>") work
while the check is open; answering again replaces the answer (one per person per alert). Only "I need help" waits
in the FSM: for the location or a few words, then optionally a few words.
"""

from __future__ import annotations

import base64
import uuid

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

import bots.routers.safety_texts  # noqa: F401 - registers the texts
from bots.client import ResidentApi
from bots.commands import register_command
from bots.flows import Flow, Step, draft, leave_flow, register_flow, save_draft
from bots.keyboards import home, location_keyboard
from core.i18n import t

STATUS_CODES = {"S": "SAFE", "A": "AT_SHELTER", "H": "NEED_HELP"}
_ID = r"[A-Za-z0-9_-]{22}"
SHELTER_CHOICES = 6


class SafetyHelp(StatesGroup):
    place = State()
    note = State()


HELP_FLOW = register_flow(
    Flow(
        name="safety_help",
        states=SafetyHelp,
        steps={
            SafetyHelp.place: Step(
                "bot.safety.ask_place",
                lambda lang: location_keyboard("bot.geo.send_location", lang, "bot.cancel_button"),
            ),
            SafetyHelp.note: Step("bot.safety.ask_note", None),
        },
        cancelled_key="bot.safety.help_cancelled",
    )
)


def short_id(value: str) -> str:
    return base64.urlsafe_b64encode(uuid.UUID(value).bytes).decode().rstrip("=")


def long_id(value: str) -> str:
    return str(uuid.UUID(bytes=base64.urlsafe_b64decode(value + "==")))


def safety_buttons(alert_id: str, lang: str) -> list[list[InlineKeyboardButton]]:
    """The same buttons an alert's Telegram message carries (disaster.safety.asks)."""
    alert = uuid.UUID(alert_id).hex
    return [
        [
            InlineKeyboardButton(
                text=t(f"bot.safety.button.{status}", lang), callback_data=f"sf:{code}:{alert}"
            )
            for code, status in STATUS_CODES.items()
        ]
    ]


def ask_text(check: dict, lang: str) -> str:
    """The ask, and the resident's own answer so far."""
    lines = [t("bot.safety.ask", lang)]
    own = [a for a in check["answers"] if a["status"]][:1]
    if own:
        lines.append(t("bot.safety.answered", lang, status=own[0]["statusLabel"]))
    return "\n".join(lines)


async def anpi(message: Message, api: ResidentApi, lang: str) -> None:
    checks = (await api.data("SafetyChecks"))["safetyChecks"]
    if not checks:
        await message.answer(t("bot.safety.none", lang), reply_markup=home(lang))
        return
    check = checks[0]
    alert = check["alert"]
    text = f"{alert['headline'] or alert['event']}\n\n{ask_text(check, lang)}"
    await message.answer(
        text, reply_markup=InlineKeyboardMarkup(inline_keyboard=safety_buttons(alert["id"], lang))
    )


async def pressed(query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str) -> None:
    _, code, alert = (query.data or "").split(":")
    alert_id = str(uuid.UUID(hex=alert))
    status = STATUS_CODES[code]
    if status == "SAFE":
        await api.data("ReportSafety", alertId=alert_id, status=status)
        await query.message.answer(t("bot.safety.recorded_safe", lang), reply_markup=home(lang))
    elif status == "AT_SHELTER":
        await _choose_shelter(query, api, alert_id, lang)
    else:
        await leave_flow(state)
        await state.set_state(SafetyHelp.place)
        await save_draft(state, HELP_FLOW, alert=alert_id)
        keyboard = location_keyboard("bot.geo.send_location", lang, "bot.cancel_button")
        await query.message.answer(t("bot.safety.ask_place", lang), reply_markup=keyboard)


async def _choose_shelter(query: CallbackQuery, api: ResidentApi, alert_id: str, lang: str) -> None:
    places = await _open_shelters(api)
    if not places:
        keyboard = InlineKeyboardMarkup(inline_keyboard=safety_buttons(alert_id, lang))
        await query.message.answer(t("bot.safety.no_open_shelter", lang), reply_markup=keyboard)
        return
    alert = short_id(alert_id)
    rows = [
        [
            InlineKeyboardButton(
                text=place["name"], callback_data=f"ss:{alert}:{short_id(place['id'])}"
            )
        ]
        for place in places
    ]
    await query.message.answer(
        t("bot.safety.choose_shelter", lang),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
    )


async def _open_shelters(api: ResidentApi) -> list[dict]:
    """Open shelters nearest the resident's shared location first, else the city's."""
    known = await api.data("SafetyChecks")
    location = known["sharedLocation"]
    if location is not None:
        hits = await api.data(
            "NearestShelters", lat=location["lat"], lng=location["lng"], limit=SHELTER_CHOICES * 2
        )
        found = [h["shelter"] for h in hits["nearestShelters"] if h["status"] in ("OPEN", "FULL")]
        if found:
            return found[:SHELTER_CHOICES]
    board = (await api.data("OpenShelters"))["shelterStatus"]
    return [entry["shelter"] for entry in board][:SHELTER_CHOICES]


async def at_shelter(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    _, alert, shelter = (query.data or "").split(":")
    data = await api.data(
        "ReportSafety", alertId=long_id(alert), status="AT_SHELTER", shelterId=long_id(shelter)
    )
    name = data["reportSafety"][0]["shelter"]["name"]
    await query.message.answer(
        t("bot.safety.recorded_shelter", lang, shelter=name), reply_markup=home(lang)
    )


async def help_location(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    location = message.location
    wanted = await draft(state, HELP_FLOW)
    await api.data(
        "ReportSafety",
        alertId=wanted["alert"],
        status="NEED_HELP",
        lat=location.latitude,
        lng=location.longitude,
    )
    await save_draft(state, HELP_FLOW, lat=location.latitude, lng=location.longitude)
    await state.set_state(SafetyHelp.note)
    await message.answer(t("bot.safety.ask_note", lang), reply_markup=home(lang))


async def help_text(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    wanted = await draft(state, HELP_FLOW)
    place = {"lat": wanted["lat"], "lng": wanted["lng"]} if "lat" in wanted else {}
    await api.data(
        "ReportSafety",
        alertId=wanted["alert"],
        status="NEED_HELP",
        note=(message.text or "").strip()[:200],
        **place,
    )
    await leave_flow(state)
    await message.answer(t("bot.safety.recorded_help", lang), reply_markup=home(lang))


def create_router() -> Router:
    register_command("anpi", "bot.cmd.anpi")
    router = Router(name="safety")
    router.message.register(anpi, Command("anpi"))
    router.callback_query.register(pressed, F.data.regexp(r"^sf:[SAH]:[0-9a-f]{32}$"))
    router.callback_query.register(at_shelter, F.data.regexp(rf"^ss:{_ID}:{_ID}$"))
    router.message.register(help_location, StateFilter(SafetyHelp.place), F.location)
    router.message.register(help_text, StateFilter(SafetyHelp.place, SafetyHelp.note), F.text)
    return router
