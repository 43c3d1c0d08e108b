"""Booking in the chat, continued: /mybookings (pay, cancel, past bookings) and /lotteries
(enter, and the results of one's entries)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bots.client import ResidentApi
from bots.formatting import day_text, moment_text, parse_moment, span_text, yen
from bots.keyboards import home
from bots.routers.booking_views import button, send_checkout, status_text, until_text, where
from core.clock import now as current_time
from core.i18n import t

_UUID = r"[0-9a-f-]{36}"
PAST_SHOWN = 10
ENDED = ("CANCELLED", "EXPIRED")


async def pay(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    reservation_id = (query.data or "").split(":")[2]
    held = (await api.data("Reservation", id=reservation_id))["reservation"]
    if held["status"] != "HELD":
        await _already(query.message, held, lang)
        return
    checkout = (await api.data("CheckoutReservation", id=reservation_id))["checkoutReservation"]
    await send_checkout(query.message, held, checkout, lang, current_time(), again=True)


# --- my bookings ------------------------------------------------------------------------------


async def my_bookings(message: Message, api: ResidentApi, lang: str) -> None:
    reservations = (await api.data("MyReservations"))["myReservations"]
    past = [button(t("bot.booking.past_button", lang), "bk:past")]
    if not reservations:
        await message.answer(
            t("bot.booking.none_booked", lang),
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[past]),
        )
        return
    now = current_time()
    lines = [t("bot.booking.mine_title", lang)]
    keyboard: list[list] = []
    for number, item in enumerate(reservations, 1):
        lines.append(_booking_line(number, item, lang))
        if item["status"] == "HELD" and item["holdExpiresAt"]:
            until = until_text(parse_moment(item["holdExpiresAt"]), lang, now)
            lines.append(t("bot.booking.pay_by", lang, until=until))
        elif item["cancellableUntil"]:
            until = moment_text(parse_moment(item["cancellableUntil"]), lang)
            lines.append(t("bot.booking.cancellable_until", lang, until=until))
        row = []
        if item["status"] == "HELD":
            row.append(
                button(t("bot.booking.pay_numbered", lang, number=number), f"bk:p:{item['id']}")
            )
        row.append(
            button(t("bot.booking.cancel_numbered", lang, number=number), f"bk:c:{item['id']}")
        )
        keyboard.append(row)
    keyboard.append(past)
    await message.answer(
        "\n".join(lines), reply_markup=InlineKeyboardMarkup(inline_keyboard=keyboard)
    )


def _booking_line(number: int, item: dict, lang: str) -> str:
    return t(
        "bot.booking.booking_line",
        lang,
        number=number,
        status=status_text(item["status"], lang),
        space=where(item),
        when=span_text(parse_moment(item["start"]), parse_moment(item["end"]), lang),
        receipt=item["receiptNumber"],
        amount=yen(item["amountYen"]),
    )


async def past_bookings(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    everything = (await api.data("MyReservations", includePast=True))["myReservations"]
    now = current_time()
    past = [r for r in everything if r["status"] in ENDED or parse_moment(r["end"]) <= now]
    past = sorted(past, key=lambda r: r["start"], reverse=True)[:PAST_SHOWN]
    if not past:
        await query.message.answer(t("bot.booking.none_past", lang), reply_markup=home(lang))
        return
    lines = [t("bot.booking.past_title", lang)]
    lines += [_booking_line(number, item, lang) for number, item in enumerate(past, 1)]
    await query.message.answer("\n".join(lines), reply_markup=home(lang))


# --- cancelling ------------------------------------------------------------------------------------


async def ask_cancel(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    reservation_id = (query.data or "").split(":")[2]
    item = (await api.data("Reservation", id=reservation_id))["reservation"]
    if item["status"] in ENDED:
        await _already(query.message, item, lang)
        return
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(t("bot.booking.yes_cancel", lang), f"bk:cy:{reservation_id}"),
                button(t("bot.booking.keep", lang), "bk:keep"),
            ]
        ]
    )
    when = span_text(parse_moment(item["start"]), parse_moment(item["end"]), lang)
    await query.message.answer(
        t(
            "bot.booking.confirm_cancel",
            lang,
            receipt=item["receiptNumber"],
            space=where(item),
            when=when,
        ),
        reply_markup=keyboard,
    )


async def cancel(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    reservation_id = (query.data or "").split(":")[2]
    item = (await api.data("Reservation", id=reservation_id))["reservation"]
    if item["status"] in ENDED:  # pressed twice, or lapsed meanwhile
        await _already(query.message, item, lang)
        return
    done = (await api.data("CancelReservation", id=reservation_id))["cancelReservation"]
    await query.message.answer(
        t(
            "bot.booking.cancelled",
            lang,
            receipt=done["receiptNumber"],
            refund=yen(done["refundYen"] or 0),
        ),
        reply_markup=home(lang),
    )


async def keep(query: CallbackQuery, lang: str) -> None:
    await query.message.answer(t("bot.booking.kept", lang), reply_markup=home(lang))


async def _already(message: Message, item: dict, lang: str) -> None:
    status = status_text(item["status"], lang)
    await message.answer(
        t("bot.booking.already_ended", lang, receipt=item["receiptNumber"], status=status),
        reply_markup=home(lang),
    )


# --- lotteries ------------------------------------------------------------------------------------


async def lotteries(message: Message, api: ResidentApi, lang: str) -> None:
    data = await api.data("LotteriesAndMine")
    lines: list[str] = []
    keyboard: list[list] = []
    open_ones = data["lotteries"]
    if open_ones:
        lines.append(t("bot.booking.lotteries_title", lang))
    for number, item in enumerate(open_ones, 1):
        lines.append(_lottery_line(number, item, lang))
        if not item["myEntry"]:
            keyboard.append(
                [button(t("bot.booking.enter_button", lang, number=number), f"bk:l:{item['id']}")]
            )
    if not open_ones:
        lines.append(t("bot.booking.no_lotteries", lang))
    results = [_result_line(entry, lang) for entry in data["myLotteryEntries"]]
    if results:
        lines += ["", t("bot.booking.results_title", lang), *results]
    for entry in data["myLotteryEntries"]:
        if entry["won"] and entry["reservationId"] and entry["payBy"]:
            keyboard.append(
                [button(t("bot.booking.pay_win", lang), f"bk:p:{entry['reservationId']}")]
            )
    markup = InlineKeyboardMarkup(inline_keyboard=keyboard) if keyboard else home(lang)
    await message.answer("\n".join(lines), reply_markup=markup)


def _lottery_line(number: int, item: dict, lang: str) -> str:
    mine = t("bot.booking.entered_already", lang) if item["myEntry"] else ""
    return t(
        "bot.booking.lottery_line",
        lang,
        number=number,
        space=f"{item['facilityName']} {item['space']['name']}",
        when=span_text(parse_moment(item["start"]), parse_moment(item["end"]), lang),
        closes=moment_text(parse_moment(item["entriesCloseAt"]), lang),
        draw=day_text(parse_moment(item["drawAt"]), lang),
        count=item["entryCount"],
        mine=mine,
    )


def _result_line(entry: dict, lang: str) -> str:
    lottery = entry["lottery"]
    common = {
        "space": f"{lottery['facilityName']} {lottery['space']['name']}",
        "when": span_text(parse_moment(lottery["start"]), parse_moment(lottery["end"]), lang),
    }
    if lottery["state"] == "CANCELLED":
        return t("bot.booking.result_cancelled", lang, **common)
    if lottery["state"] == "OPEN":
        draw = day_text(parse_moment(lottery["drawAt"]), lang)
        return t("bot.booking.result_waiting", lang, draw=draw, **common)
    if entry["won"]:
        line = t("bot.booking.result_won", lang, **common)
        if entry["payBy"]:
            line += t(
                "bot.booking.result_pay_by",
                lang,
                until=moment_text(parse_moment(entry["payBy"]), lang),
            )
        return line
    return t("bot.booking.result_lost", lang, position=entry["position"] or "-", **common)


async def enter_lottery(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    await api.data("EnterLottery", id=(query.data or "").split(":")[2])
    await query.message.answer(t("bot.booking.entered", lang), reply_markup=home(lang))


def register(router: Router) -> None:
    router.message.register(my_bookings, Command("mybookings"))
    router.message.register(lotteries, Command("lotteries"))
    for pattern, handler in (
        (rf"^bk:p:{_UUID}$", pay),
        (rf"^bk:c:{_UUID}$", ask_cancel),
        (rf"^bk:cy:{_UUID}$", cancel),
        (r"^bk:keep$", keep),
        (r"^bk:past$", past_bookings),
        (rf"^bk:l:{_UUID}$", enter_lottery),
    ):
        router.callback_query.register(handler, F.data.regexp(pattern))
