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
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)

from api.executor import OperationError
from bots.client import ResidentApi
from bots.keyboards import MAIN_BUTTONS, main_keyboard
from bots.routers.booking_texts import clock_text, day_text, span_text, yen
from core.clock import TOKYO
from core.clock import now as current_time
from core.i18n import t

DAYS_SHOWN = 14
LOOK_AHEAD_DAYS = 60


class BookingSearch(StatesGroup):
    query = State()


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _rows(buttons: list[InlineKeyboardButton], per_row: int = 1) -> InlineKeyboardMarkup:
    rows = [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


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
        buttons.append(_button(label, f"bk:f:{facility['id']}"))
    await message.answer(t("bot.booking.pick_facility", lang), reply_markup=_rows(buttons))


async def pick_space(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    facility = (await api.data("Facility", id=query.data.split(":")[2]))["facility"]
    buttons = [
        _button(f"{space['name']} {_price_text(space, lang)}", f"bk:s:{space['id']}")
        for space in facility["spaces"]
    ]
    await query.answer()
    await query.message.answer(
        t("bot.booking.pick_space", lang, facility=facility["name"]), reply_markup=_rows(buttons)
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
    days = sorted(
        {_parse(slot["start"]).astimezone(TOKYO).date() for slot in data["availability"]}
    )[:DAYS_SHOWN]
    await query.answer()
    space_name = data["space"]["name"]
    if not days:
        await query.message.answer(t("bot.booking.no_dates", lang, space=space_name))
        return
    buttons = [
        _button(
            day_text(datetime(d.year, d.month, d.day, 12, tzinfo=TOKYO), lang),
            f"bk:d:{space_id}:{d:%Y%m%d}",
        )
        for d in days
    ]
    await query.message.answer(
        t("bot.booking.pick_date", lang, space=space_name), reply_markup=_rows(buttons, 3)
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
        _button(
            f"{label + ' ' if label else ''}{clock_text(start)}–{clock_text(end)} {yen(price)}",
            f"bk:h:{space_id}:{int(start.timestamp())}:{int(end.timestamp())}",
        )
        for start, end, label, price in choices
    ]
    when = day_text(datetime(day.year, day.month, day.day, 12, tzinfo=TOKYO), lang)
    await query.message.answer(
        t("bot.booking.pick_slot", lang, space=data["space"]["name"], day=when),
        reply_markup=_rows(buttons, 2),
    )


def _bookable(grid: dict, slots: list[dict]) -> list[tuple[datetime, datetime, str | None, int]]:
    """Fixed periods as they are; interval cells as bookings of the shortest length."""
    parsed = [(_parse(s["start"]), _parse(s["end"]), s["label"], s["priceYen"]) for s in slots]
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
    await _send_checkout(query.message, held, checkout, lang)


async def _send_checkout(message: Message, held: dict, checkout: dict, lang: str) -> None:
    when = span_text(_parse(held["start"]), _parse(held["end"]), lang)
    space = f"{held['facilityName']} {held['spaceName']}"
    if checkout["url"] is None:
        await message.answer(
            t(
                "bot.booking.confirmed_free",
                lang,
                receipt=held["receiptNumber"],
                space=space,
                when=when,
            )
        )
        return
    until = _parse(checkout["expiresAt"])
    text = t(
        "bot.booking.held",
        lang,
        receipt=held["receiptNumber"],
        space=space,
        when=when,
        amount=yen(held["amountYen"]),
        until=clock_text(until),
    )
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=t("bot.booking.pay_button", lang), url=checkout["url"])],
            [_button(t("bot.booking.cancel_button", lang), f"bk:c:{held['id']}")],
        ]
    )
    await message.answer(text, reply_markup=keyboard)


async def pay(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    reservation_id = query.data.split(":")[2]
    await query.answer()
    try:
        held = (await api.data("Reservation", id=reservation_id))["reservation"]
        checkout = (await api.data("CheckoutReservation", id=reservation_id))["checkoutReservation"]
    except OperationError as error:
        await query.message.answer(error.message)
        return
    await _send_checkout(query.message, held, checkout, lang)


# --- my bookings and cancelling ---------------------------------------------------------------


async def my_bookings(message: Message, api: ResidentApi, lang: str) -> None:
    reservations = (await api.data("MyReservations"))["myReservations"]
    if not reservations:
        await message.answer(t("bot.booking.none_booked", lang), reply_markup=main_keyboard(lang))
        return
    for item in reservations:
        text = t(
            "bot.booking.booking_line",
            lang,
            status=t(f"bot.booking.status.{item['status']}", lang),
            facility=item["facilityName"],
            space=item["spaceName"],
            when=span_text(_parse(item["start"]), _parse(item["end"]), lang),
            receipt=item["receiptNumber"],
            amount=yen(item["amountYen"]),
        )
        buttons = [_button(t("bot.booking.cancel_button", lang), f"bk:c:{item['id']}")]
        if item["status"] == "HELD":
            buttons.insert(0, _button(t("bot.booking.pay_button", lang), f"bk:p:{item['id']}"))
        await message.answer(text, reply_markup=_rows(buttons, 2))


async def ask_cancel(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    reservation_id = query.data.split(":")[2]
    await query.answer()
    try:
        item = (await api.data("Reservation", id=reservation_id))["reservation"]
    except OperationError as error:
        await query.message.answer(error.message)
        return
    keyboard = _rows([_button(t("bot.booking.yes_cancel", lang), f"bk:cy:{reservation_id}")])
    await query.message.answer(
        t("bot.booking.confirm_cancel", lang, receipt=item["receiptNumber"]), reply_markup=keyboard
    )


async def cancel(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    await query.answer()
    try:
        done = (await api.data("CancelReservation", id=query.data.split(":")[2]))[
            "cancelReservation"
        ]
    except OperationError as error:
        await query.message.answer(error.message)
        return
    await query.message.answer(
        t(
            "bot.booking.cancelled",
            lang,
            receipt=done["receiptNumber"],
            refund=yen(done["refundYen"] or 0),
        )
    )


# --- lotteries ------------------------------------------------------------------------------------


async def lotteries(message: Message, api: ResidentApi, lang: str) -> None:
    found = (await api.data("Lotteries"))["lotteries"]
    if not found:
        await message.answer(t("bot.booking.no_lotteries", lang))
        return
    for item in found:
        text = t(
            "bot.booking.lottery_line",
            lang,
            facility=item["facilityName"],
            space=item["space"]["name"],
            when=span_text(_parse(item["start"]), _parse(item["end"]), lang),
            closes=_moment_text(_parse(item["entriesCloseAt"]), lang),
            draw=day_text(_parse(item["drawAt"]), lang),
            count=item["entryCount"],
        )
        if item["myEntry"]:
            keyboard = None
            text += "\n" + t("bot.booking.entered_already", lang)
        else:
            keyboard = _rows([_button(t("bot.booking.enter_button", lang), f"bk:l:{item['id']}")])
        await message.answer(text, reply_markup=keyboard)


def _moment_text(moment: datetime, lang: str) -> str:
    return f"{day_text(moment, lang)} {clock_text(moment)}"


async def enter_lottery(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    await query.answer()
    try:
        await api.data("EnterLottery", id=query.data.split(":")[2])
    except OperationError as error:
        await query.message.answer(error.message)
        return
    await query.message.answer(t("bot.booking.entered", lang))


BUTTON_KEY = "bot.booking.button"
if [(BUTTON_KEY, False)] not in MAIN_BUTTONS:
    MAIN_BUTTONS.append([(BUTTON_KEY, False)])


def create_router() -> Router:
    router = Router(name="booking")
    button_texts = {t(BUTTON_KEY, "ja"), t(BUTTON_KEY, "en")}
    router.message.register(ask_search, Command("book"))
    router.message.register(ask_search, F.text.in_(button_texts))
    router.message.register(my_bookings, Command("mybookings"))
    router.message.register(lotteries, Command("lotteries"))
    router.message.register(search_by_location, StateFilter(BookingSearch.query), F.location)
    router.message.register(
        search_by_name, StateFilter(BookingSearch.query), F.text, ~F.text.startswith("/")
    )
    for prefix, handler in (
        ("bk:f:", pick_space),
        ("bk:s:", pick_day),
        ("bk:d:", pick_slot),
        ("bk:h:", hold),
        ("bk:p:", pay),
        ("bk:c:", ask_cancel),
        ("bk:cy:", cancel),
        ("bk:l:", enter_lottery),
    ):
        router.callback_query.register(handler, F.data.startswith(prefix))
    return router
