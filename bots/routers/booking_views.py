"""What the booking bot shows: its texts in Japanese and English, times, prices, buttons."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from core.clock import local
from core.i18n import register, t

_WEEKDAYS = {"ja": "月火水木金土日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def day_text(moment: datetime, lang: str) -> str:
    shown = local(moment)
    weekday = _WEEKDAYS["ja" if lang == "ja" else "en"][shown.weekday()]
    if lang == "ja":
        return f"{shown.month}月{shown.day}日({weekday})"
    return f"{weekday} {shown.day}/{shown.month}"


def clock_text(moment: datetime) -> str:
    shown = local(moment)
    return f"{shown.hour}:{shown.minute:02d}"


def span_text(start: datetime, end: datetime, lang: str) -> str:
    return f"{day_text(start, lang)} {clock_text(start)}–{clock_text(end)}"


def yen(amount: int) -> str:
    return f"¥{amount:,}"


def button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def rows(buttons: list[InlineKeyboardButton], per_row: int = 1) -> InlineKeyboardMarkup:
    rows = [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


async def send_checkout(message: Message, held: dict, checkout: dict, lang: str) -> None:
    when = span_text(parse(held["start"]), parse(held["end"]), lang)
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
    until = parse(checkout["expiresAt"])
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
            [button(t("bot.booking.cancel_button", lang), f"bk:c:{held['id']}")],
        ]
    )
    await message.answer(text, reply_markup=keyboard)


register(
    {
        "bot.booking.button": {"ja": "🏟 施設予約", "en": "🏟 Book a facility"},
        "bot.booking.ask_search": {
            "ja": "施設名（例: 体育館、会議室）を送るか、「📍現在地を送る」で近くの施設を探します。",
            "en": "Send a facility name (e.g. gym, meeting room), or share your location to find the nearest ones.",
        },
        "bot.booking.share_location": {"ja": "📍現在地を送る", "en": "📍 Share my location"},
        "bot.booking.none_found": {
            "ja": "該当する施設が見つかりませんでした。別の言葉でお試しください。",
            "en": "No facility matched. Please try other words.",
        },
        "bot.booking.pick_facility": {"ja": "施設を選んでください。", "en": "Choose a facility."},
        "bot.booking.pick_space": {
            "ja": "{facility}: 利用する場所を選んでください。",
            "en": "{facility}: choose what to book.",
        },
        "bot.booking.pick_date": {
            "ja": "{space}: 空きのある日を選んでください。",
            "en": "{space}: choose a day with free slots.",
        },
        "bot.booking.no_dates": {
            "ja": "{space}は受付期間内に空きがありません。",
            "en": "{space} has no free slot in the booking window.",
        },
        "bot.booking.pick_slot": {
            "ja": "{space} {day}: 時間帯を選んでください。",
            "en": "{space}, {day}: choose a time.",
        },
        "bot.booking.no_slots": {
            "ja": "この日は空きがなくなりました。別の日を選んでください。",
            "en": "That day has just filled up. Please choose another day.",
        },
        "bot.booking.held": {
            "ja": "仮押さえしました（受付番号 {receipt}）。\n{space} {when}\n料金 {amount}\n{until}までにお支払いください。お支払いが確認できしだい予約確定をお知らせします。",
            "en": "Held for you (receipt {receipt}).\n{space}, {when}\nFee {amount}\nPlease pay by {until}. We will confirm the booking as soon as the payment arrives.",
        },
        "bot.booking.pay_button": {"ja": "💳 支払う", "en": "💳 Pay"},
        "bot.booking.cancel_button": {"ja": "取り消す", "en": "Cancel"},
        "bot.booking.confirmed_free": {
            "ja": "予約が確定しました（受付番号 {receipt}）。\n{space} {when}",
            "en": "Your booking is confirmed (receipt {receipt}).\n{space}, {when}",
        },
        "bot.booking.none_booked": {
            "ja": "現在の予約はありません。",
            "en": "You have no current bookings.",
        },
        "bot.booking.booking_line": {
            "ja": "{status} {facility} {space}\n{when}（受付番号 {receipt}、{amount}）",
            "en": "{status} {facility}, {space}\n{when} (receipt {receipt}, {amount})",
        },
        "bot.booking.confirm_cancel": {
            "ja": "受付番号 {receipt} の予約を取り消しますか？お支払い済みの場合は施設の規定により返金します。",
            "en": "Cancel booking {receipt}? If you paid, the facility's policy decides the refund.",
        },
        "bot.booking.yes_cancel": {"ja": "はい、取り消す", "en": "Yes, cancel"},
        "bot.booking.cancelled": {
            "ja": "受付番号 {receipt} の予約を取り消しました。返金額: {refund}",
            "en": "Booking {receipt} is cancelled. Refund: {refund}",
        },
        "bot.booking.status.HELD": {"ja": "⏳仮押さえ", "en": "⏳ Held"},
        "bot.booking.status.PENDING_PAYMENT": {"ja": "💴入金待ち", "en": "💴 Awaiting payment"},
        "bot.booking.status.CONFIRMED": {"ja": "✅確定", "en": "✅ Confirmed"},
        "bot.booking.no_lotteries": {
            "ja": "受付中の抽選はありません。",
            "en": "No lottery is taking entries right now.",
        },
        "bot.booking.lottery_line": {
            "ja": "🎲 {facility} {space}\n{when}\n申込締切 {closes}、抽選 {draw}（応募 {count}件）",
            "en": "🎲 {facility}, {space}\n{when}\nEntries close {closes}, draw {draw} ({count} entries)",
        },
        "bot.booking.enter_button": {"ja": "応募する", "en": "Enter"},
        "bot.booking.entered_already": {"ja": "応募済み", "en": "Entered"},
        "bot.booking.entered": {
            "ja": "抽選に応募しました。結果はこのチャットでお知らせします。",
            "en": "You are in the lottery. The result will come to this chat.",
        },
    }
)
