"""Facility booking in the chat: find a facility by name or location → a day → a free slot
→ hold → the payment link; /mybookings to see and cancel; /lotteries to enter a lottery.
The confirmation arrives later as a notification, when Stripe's webhook does."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)

from api.executor import OperationError
from bots.client import ResidentApi
from bots.keyboards import MAIN_BUTTONS, main_keyboard
from bots.routers import booking_mine
from bots.routers.booking_views import (
    button,
    clock_text,
    day_text,
    parse,
    rows,
    send_checkout,
    yen,
)
from core.clock import TOKYO
from core.clock import now as current_time
from core.i18n import t

DAYS_SHOWN = 14
LOOK_AHEAD_DAYS = 60


class BookingSearch(StatesGroup):
    query = State()


def _today() -> date:
    return current_time().astimezone(TOKYO).date()


# --- search → facility → space → day → slot --------------------------------------------


async def ask_search(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(BookingSearch.query)
    keyboard = ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=t("bot.booking.share_location", lang), request_location=True)]
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    await message.answer(t("bot.booking.ask_search", lang), reply_markup=keyboard)


async def search_by_location(
    message: Message, state: FSMContext, api: ResidentApi, lang: str
) -> None:
    near = {"latitude": message.location.latitude, "longitude": message.location.longitude}
    await _show_facilities(message, state, await api.data("Facilities", near=near), lang)


async def search_by_name(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    await _show_facilities(
        message, state, await api.data("Facilities", search=message.text.strip()), lang
    )


async def _show_facilities(message: Message, state: FSMContext, data: dict, lang: str) -> None:
    await state.clear()
    facilities = data["facilities"]
    if not facilities:
        await message.answer(t("bot.booking.none_found", lang), reply_markup=main_keyboard(lang))
        return
    buttons = []
    for facility in facilities:
        distance = facility.get("distanceMeters")
        label = facility["name"] + (f" ({distance / 1000:.1f} km)" if distance is not None else "")
        buttons.append(button(label, f"bk:f:{facility['id']}"))
    await message.answer(t("bot.booking.pick_facility", lang), reply_markup=rows(buttons))


async def pick_space(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    facility = (await api.data("Facility", id=query.data.split(":")[2]))["facility"]
    buttons = [
        button(f"{space['name']} {_price_text(space, lang)}", f"bk:s:{space['id']}")
        for space in facility["spaces"]
    ]
    await query.answer()
    await query.message.answer(
        t("bot.booking.pick_space", lang, facility=facility["name"]), reply_markup=rows(buttons)
    )


def _price_text(space: dict, lang: str) -> str:
    if space["isFree"]:
        return "（無料）" if lang == "ja" else "(free)"
    unit = {"ja": "/時間", "en": "/h"}[lang] if space["priceUnit"] == "PER_HOUR" else ""
    return yen(space["residentPriceYen"]) + unit


async def pick_day(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    space_id = query.data.split(":")[2]
    today = _today()
    data = await api.data(
        "SpaceDay",
        spaceId=space_id,
        **{"from": today.isoformat(), "to": (today + timedelta(days=LOOK_AHEAD_DAYS)).isoformat()},
    )
    days = sorted({parse(slot["start"]).astimezone(TOKYO).date() for slot in data["availability"]})[
        :DAYS_SHOWN
    ]
    await query.answer()
    space_name = data["space"]["name"]
    if not days:
        await query.message.answer(t("bot.booking.no_dates", lang, space=space_name))
        return
    buttons = [
        button(
            day_text(datetime(d.year, d.month, d.day, 12, tzinfo=TOKYO), lang),
            f"bk:d:{space_id}:{d:%Y%m%d}",
        )
        for d in days
    ]
    await query.message.answer(
        t("bot.booking.pick_date", lang, space=space_name), reply_markup=rows(buttons, 3)
    )


async def pick_slot(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    _, _, space_id, day_text_value = query.data.split(":")
    day = datetime.strptime(day_text_value, "%Y%m%d").date()
    data = await api.data(
        "SpaceDay", spaceId=space_id, **{"from": day.isoformat(), "to": day.isoformat()}
    )
    await query.answer()
    choices = _bookable(data["space"]["grid"], data["availability"])
    if not choices:
        await query.message.answer(t("bot.booking.no_slots", lang))
        return
    buttons = [
        button(
            f"{label + ' ' if label else ''}{clock_text(start)}–{clock_text(end)} {yen(price)}",
            f"bk:h:{space_id}:{int(start.timestamp())}:{int(end.timestamp())}",
        )
        for start, end, label, price in choices
    ]
    when = day_text(datetime(day.year, day.month, day.day, 12, tzinfo=TOKYO), lang)
    await query.message.answer(
        t("bot.booking.pick_slot", lang, space=data["space"]["name"], day=when),
        reply_markup=rows(buttons, 2),
    )


def _bookable(grid: dict, slots: list[dict]) -> list[tuple[datetime, datetime, str | None, int]]:
    """Fixed periods as they are; interval cells as bookings of the shortest length."""
    parsed = [(parse(s["start"]), parse(s["end"]), s["label"], s["priceYen"]) for s in slots]
    if grid["kind"] == "FIXED":
        return parsed
    cells_needed = grid["minMinutes"] // grid["stepMinutes"]
    choices = []
    for index in range(len(parsed) - cells_needed + 1):
        run = parsed[index : index + cells_needed]
        if all(run[i][1] == run[i + 1][0] for i in range(len(run) - 1)):
            choices.append((run[0][0], run[-1][1], None, sum(cell[3] for cell in run)))
    return choices


# --- hold and pay -------------------------------------------------------------------------


async def hold(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    _, _, space_id, start, end = query.data.split(":")
    variables = {
        "spaceId": space_id,
        "start": datetime.fromtimestamp(int(start), TOKYO).isoformat(),
        "end": datetime.fromtimestamp(int(end), TOKYO).isoformat(),
    }
    await query.answer()
    try:
        held = (await api.data("HoldSlot", **variables))["holdSlot"]
        checkout = (await api.data("CheckoutReservation", id=held["id"]))["checkoutReservation"]
    except OperationError as error:
        await query.message.answer(error.message)
        return
    await send_checkout(query.message, held, checkout, lang)


BUTTON_KEY = "bot.booking.button"
if [(BUTTON_KEY, False)] not in MAIN_BUTTONS:
    MAIN_BUTTONS.append([(BUTTON_KEY, False)])


def create_router() -> Router:
    router = Router(name="booking")
    button_texts = {t(BUTTON_KEY, "ja"), t(BUTTON_KEY, "en")}
    router.message.register(ask_search, Command("book"))
    router.message.register(ask_search, F.text.in_(button_texts))
    router.message.register(booking_mine.my_bookings, Command("mybookings"))
    router.message.register(booking_mine.lotteries, Command("lotteries"))
    router.message.register(search_by_location, StateFilter(BookingSearch.query), F.location)
    router.message.register(
        search_by_name, StateFilter(BookingSearch.query), F.text, ~F.text.startswith("/")
    )
    for prefix, handler in (
        ("bk:f:", pick_space),
        ("bk:s:", pick_day),
        ("bk:d:", pick_slot),
        ("bk:h:", hold),
        ("bk:p:", booking_mine.pay),
        ("bk:c:", booking_mine.ask_cancel),
        ("bk:cy:", booking_mine.cancel),
        ("bk:l:", booking_mine.enter_lottery),
    ):
        router.callback_query.register(handler, F.data.startswith(prefix))
    return router
