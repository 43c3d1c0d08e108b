"""Booking in the chat, continued: /mybookings with pay and cancel buttons, /lotteries."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import CallbackQuery, Message

from api.executor import OperationError
from bots.client import ResidentApi
from bots.keyboards import main_keyboard
from bots.routers.booking_views import (
    button,
    clock_text,
    day_text,
    parse,
    rows,
    send_checkout,
    span_text,
    yen,
)
from core.i18n import t


async def pay(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    reservation_id = query.data.split(":")[2]
    await query.answer()
    try:
        held = (await api.data("Reservation", id=reservation_id))["reservation"]
        checkout = (await api.data("CheckoutReservation", id=reservation_id))["checkoutReservation"]
    except OperationError as error:
        await query.message.answer(error.message)
        return
    await send_checkout(query.message, held, checkout, lang)


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
            when=span_text(parse(item["start"]), parse(item["end"]), lang),
            receipt=item["receiptNumber"],
            amount=yen(item["amountYen"]),
        )
        buttons = [button(t("bot.booking.cancel_button", lang), f"bk:c:{item['id']}")]
        if item["status"] == "HELD":
            buttons.insert(0, button(t("bot.booking.pay_button", lang), f"bk:p:{item['id']}"))
        await message.answer(text, reply_markup=rows(buttons, 2))


async def ask_cancel(query: CallbackQuery, api: ResidentApi, lang: str) -> None:
    reservation_id = query.data.split(":")[2]
    await query.answer()
    try:
        item = (await api.data("Reservation", id=reservation_id))["reservation"]
    except OperationError as error:
        await query.message.answer(error.message)
        return
    keyboard = rows([button(t("bot.booking.yes_cancel", lang), f"bk:cy:{reservation_id}")])
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
            when=span_text(parse(item["start"]), parse(item["end"]), lang),
            closes=_moment_text(parse(item["entriesCloseAt"]), lang),
            draw=day_text(parse(item["drawAt"]), lang),
            count=item["entryCount"],
        )
        if item["myEntry"]:
            keyboard = None
            text += "\n" + t("bot.booking.entered_already", lang)
        else:
            keyboard = rows([button(t("bot.booking.enter_button", lang), f"bk:l:{item['id']}")])
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
