"""Facility booking in the chat: find a facility (by its name, a room, a kind of space or the
location) → a space → a day (two weeks a page) → for rooms by the hour, how long → a slot →
hold → pay. /mybookings and /lotteries are in booking_mine.

Everything a press needs is in its callback data, so these keyboards work in any process and
never depend on a state; only the search words are awaited in the FSM.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, KeyboardButton, Message, ReplyKeyboardMarkup

from api.executor import OperationError
from bots.client import ResidentApi
from bots.commands import register_command
from bots.flows import Flow, Step, leave_flow, register_flow
from bots.formatting import clock_text, day_text, parse_moment, span_text, yen
from bots.keyboards import add_main_row, button_texts
from bots.menu import expired
from bots.routers import booking_mine
from bots.routers.booking_views import button, hours_text, rows, send_checkout
from core.clock import TOKYO
from core.clock import now as current_time
from core.i18n import t

PAGE_DAYS = 14
LOOK_AHEAD_DAYS = 92
MAX_SEARCH = 100
HOLDING = ("HELD", "PENDING_PAYMENT")


class BookingSearch(StatesGroup):
    query = State()


def _search_keyboard(lang: str) -> ReplyKeyboardMarkup:
    share = KeyboardButton(text=t("bot.booking.share_location", lang), request_location=True)
    cancel = KeyboardButton(text=t("bot.cancel_button", lang))
    return ReplyKeyboardMarkup(
        keyboard=[[share], [cancel]], resize_keyboard=True, one_time_keyboard=True
    )


SEARCH_FLOW = register_flow(
    Flow(
        name="booking_search",
        states=BookingSearch,
        steps={BookingSearch.query: Step("bot.booking.expected_search", _search_keyboard)},
        cancelled_key="bot.nothing_to_cancel",
    )
)


def _today() -> date:
    return current_time().astimezone(TOKYO).date()


# --- search → facility → space ---------------------------------------------------------------


async def ask_search(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(BookingSearch.query)
    await message.answer(t("bot.booking.ask_search", lang), reply_markup=_search_keyboard(lang))


async def search_by_location(
    message: Message, state: FSMContext, api: ResidentApi, lang: str
) -> None:
    near = {"latitude": message.location.latitude, "longitude": message.location.longitude}
    facilities = (await api.data("Facilities", near=near))["facilities"]
    await _show_facilities(message, state, facilities, lang, words=None)


async def search_by_words(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    words = (message.text or "").strip()[:MAX_SEARCH]
    facilities = (await api.data("Facilities", search=words))["facilities"]
    await _show_facilities(message, state, facilities, lang, words=words)


async def _show_facilities(
    message: Message, state: FSMContext, facilities: list[dict], lang: str, words: str | None
) -> None:
    if not facilities:  # stay in the search: the next words are a new search
        if words is None:
            text = t("bot.booking.none_near", lang)
        else:
            text = t("bot.booking.none_found", lang, words=words)
        await message.answer(text, reply_markup=_search_keyboard(lang))
        return
    await leave_flow(state)
    buttons = []
    for facility in facilities:
        distance = facility.get("distanceMeters")
        label = facility["name"] + (f" ({distance / 1000:.1f} km)" if distance is not None else "")
        buttons.append(button(label, f"bk:f:{facility['id']}"))
    await message.answer(t("bot.booking.pick_facility", lang), reply_markup=rows(buttons))


async def pick_space(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    facility = (await api.data("Facility", id=(query.data or "").split(":")[2]))["facility"]
    buttons = [
        button(f"{space['name']} {_price_text(space, lang)}", f"bk:s:{space['id']}:0")
        for space in facility["spaces"]
    ]
    await query.message.answer(
        t("bot.booking.pick_space", lang, facility=facility["name"]), reply_markup=rows(buttons)
    )


def _price_text(space: dict, lang: str) -> str:
    if space["isFree"]:
        return f"({t('bot.booking.free', lang)})"
    unit = t("bot.booking.per_hour", lang) if space["priceUnit"] == "PER_HOUR" else ""
    return yen(space["residentPriceYen"]) + unit


# --- day (a page of two weeks) → length → slot ----------------------------------------------------


async def pick_day(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    _, _, space_id, offset_text = (query.data or "").split(":")
    offset = min(int(offset_text), LOOK_AHEAD_DAYS)
    first = _today() + timedelta(days=offset)
    last = first + timedelta(days=PAGE_DAYS - 1)
    data = await api.data("SpaceDay", spaceId=space_id, **{"from": str(first), "to": str(last)})
    days = sorted(
        {parse_moment(slot["start"]).astimezone(TOKYO).date() for slot in data["availability"]}
    )
    buttons = [button(day_text(d, lang), f"bk:d:{space_id}:{d:%Y%m%d}") for d in days]
    paging = []
    if offset > 0:
        paging.append(
            button(t("bot.booking.earlier", lang), f"bk:s:{space_id}:{max(0, offset - PAGE_DAYS)}")
        )
    if offset + PAGE_DAYS < LOOK_AHEAD_DAYS:
        paging.append(button(t("bot.booking.later", lang), f"bk:s:{space_id}:{offset + PAGE_DAYS}"))
    keyboard = rows(buttons, 3)
    if paging:
        keyboard.inline_keyboard.append(paging)
    key = "bot.booking.pick_date" if days else "bot.booking.no_dates_here"
    text = t(
        key,
        lang,
        space=data["space"]["name"],
        first=day_text(first, lang),
        last=day_text(last, lang),
    )
    await query.message.answer(text, reply_markup=keyboard if keyboard.inline_keyboard else None)


def _day(code: str) -> date | None:
    try:
        return datetime.strptime(code, "%Y%m%d").date()
    except ValueError:
        return None


async def pick_length_or_slot(
    query: CallbackQuery, api: ResidentApi, raw_state: str | None, lang: str
) -> None:
    _, _, space_id, day_code = (query.data or "").split(":")
    day = _day(day_code)
    if day is None:
        await expired(query, raw_state, lang)
        return
    data = await _space_day(api, space_id, day)
    grid = data["space"]["grid"]
    if grid["kind"] == "FIXED" or grid["maxMinutes"] == grid["minMinutes"]:
        await _show_slots(query.message, data, space_id, day, grid["minMinutes"], lang)
        return
    lengths = range(grid["minMinutes"], grid["maxMinutes"] + 1, grid["stepMinutes"])
    choices = [
        button(hours_text(minutes, lang), f"bk:t:{space_id}:{day_code}:{minutes}")
        for minutes in lengths
        if _bookable(grid, data["availability"], minutes)
    ]
    if not choices:
        await query.message.answer(t("bot.booking.no_slots", lang))
        return
    await query.message.answer(
        t("bot.booking.pick_length", lang, space=data["space"]["name"], day=day_text(day, lang)),
        reply_markup=rows(choices, 3),
    )


async def pick_slot(
    query: CallbackQuery, api: ResidentApi, raw_state: str | None, lang: str
) -> None:
    _, _, space_id, day_code, minutes = (query.data or "").split(":")
    day = _day(day_code)
    if day is None or int(minutes) <= 0:
        await expired(query, raw_state, lang)
        return
    data = await _space_day(api, space_id, day)
    await _show_slots(query.message, data, space_id, day, int(minutes), lang)


async def _space_day(api: ResidentApi, space_id: str, day: date) -> dict:
    return await api.data("SpaceDay", spaceId=space_id, **{"from": str(day), "to": str(day)})


async def _show_slots(
    message: Message,
    data: dict,
    space_id: str,
    day: date,
    minutes: int | None,
    lang: str,
    before: str = "",
) -> None:
    choices = _bookable(data["space"]["grid"], data["availability"], minutes)
    if not choices:
        await message.answer((before + "\n" if before else "") + t("bot.booking.no_slots", lang))
        return
    buttons = [
        button(
            f"{label + ' ' if label else ''}{clock_text(start)}–{clock_text(end)} {yen(price)}",
            f"bk:h:{space_id}:{int(start.timestamp())}:{int(end.timestamp())}",
        )
        for start, end, label, price in choices
    ]
    text = t("bot.booking.pick_slot", lang, space=data["space"]["name"], day=day_text(day, lang))
    await message.answer((before + "\n" if before else "") + text, reply_markup=rows(buttons, 2))


def _bookable(
    grid: dict, slots: list[dict], minutes: int | None
) -> list[tuple[datetime, datetime, str | None, int]]:
    """Fixed periods as they are; interval cells joined into bookings of `minutes`."""
    parsed = [
        (parse_moment(s["start"]), parse_moment(s["end"]), s["label"], s["priceYen"]) for s in slots
    ]
    if grid["kind"] == "FIXED":
        return parsed
    cells_needed = (minutes or grid["minMinutes"]) // grid["stepMinutes"]
    choices = []
    for index in range(len(parsed) - cells_needed + 1):
        run = parsed[index : index + cells_needed]
        if all(run[i][1] == run[i + 1][0] for i in range(len(run) - 1)):
            choices.append((run[0][0], run[-1][1], None, sum(cell[3] for cell in run)))
    return choices


# --- hold and pay -----------------------------------------------------------------------------


async def hold(query: CallbackQuery, api: ResidentApi, raw_state: str | None, lang: str) -> None:
    _, _, space_id, start_text, end_text = (query.data or "").split(":")
    try:
        start = datetime.fromtimestamp(int(start_text), TOKYO)
        end = datetime.fromtimestamp(int(end_text), TOKYO)
    except (ValueError, OverflowError, OSError):
        await expired(query, raw_state, lang)
        return
    mine = (await api.data("MyReservations"))["myReservations"]
    own = next(
        (
            r
            for r in mine
            if r["status"] in HOLDING
            and r["spaceId"] == space_id
            and (parse_moment(r["start"]), parse_moment(r["end"])) == (start, end)
        ),
        None,
    )
    if own is not None:  # the resident's own hold: show it again, never a second one
        await _checkout(query.message, api, own, lang, again=True)
        return
    try:
        held = (
            await api.data(
                "HoldSlot", spaceId=space_id, start=start.isoformat(), end=end.isoformat()
            )
        )["holdSlot"]
    except OperationError as error:
        if error.code != "SLOT_TAKEN":
            raise
        await _taken(query.message, api, error, space_id, start, end, mine, lang)
        return
    await _checkout(query.message, api, held, lang)


async def _taken(
    message: Message,
    api: ResidentApi,
    error: OperationError,
    space_id: str,
    start: datetime,
    end: datetime,
    mine: list[dict],
    lang: str,
) -> None:
    """Someone has the slot: say whether it is the resident's own booking, and offer the rest."""
    day = start.astimezone(TOKYO).date()
    data = await _space_day(api, space_id, day)
    overlapping = next(
        (
            r
            for r in mine
            if r["facilityId"] == data["space"]["facilityId"]
            and parse_moment(r["start"]) < end
            and parse_moment(r["end"]) > start
        ),
        None,
    )
    if overlapping is not None:
        when = span_text(parse_moment(overlapping["start"]), parse_moment(overlapping["end"]), lang)
        before = t(
            "bot.booking.overlaps_mine",
            lang,
            receipt=overlapping["receiptNumber"],
            space=f"{overlapping['facilityName']} {overlapping['spaceName']}",
            when=when,
        )
    else:
        before = error.message
    minutes = int((end - start).total_seconds() // 60)
    await _show_slots(message, data, space_id, day, minutes, lang, before)


async def _checkout(
    message: Message, api: ResidentApi, held: dict, lang: str, *, again: bool = False
) -> None:
    """Get the payment link; when payment cannot be offered now, release the hold at once
    rather than leave a hold nobody can pay for."""
    try:
        checkout = (await api.data("CheckoutReservation", id=held["id"]))["checkoutReservation"]
    except OperationError as error:
        if error.code not in ("PAYMENT_UNAVAILABLE", "PAYMENT_NOT_CONFIGURED"):
            raise
        await api.data("CancelReservation", id=held["id"])
        await message.answer(error.message + "\n" + t("bot.booking.hold_released", lang))
        return
    await send_checkout(message, held, checkout, lang, current_time(), again=again)


def create_router() -> Router:
    register_command("book", "bot.cmd.book")
    register_command("mybookings", "bot.cmd.mybookings")
    register_command("lotteries", "bot.cmd.lotteries")
    add_main_row(("bot.booking.button", False), order=30)
    router = Router(name="booking")
    router.message.register(ask_search, Command("book"))
    router.message.register(ask_search, F.text.in_(button_texts("bot.booking.button")))
    router.message.register(search_by_location, StateFilter(BookingSearch.query), F.location)
    router.message.register(search_by_words, StateFilter(BookingSearch.query), F.text)
    for pattern, handler in (
        (r"^bk:f:\d{1,12}$", pick_space),
        (r"^bk:s:\d{1,12}:\d{1,3}$", pick_day),
        (r"^bk:d:\d{1,12}:\d{8}$", pick_length_or_slot),
        (r"^bk:t:\d{1,12}:\d{8}:\d{1,4}$", pick_slot),
        (r"^bk:h:\d{1,12}:\d{1,12}:\d{1,12}$", hold),
    ):
        router.callback_query.register(handler, F.data.regexp(pattern))
    booking_mine.register(router)
    return router
