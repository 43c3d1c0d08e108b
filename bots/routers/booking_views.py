"""What the booking bot shows: its texts in Japanese and English, buttons, the payment message."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bots.formatting import clock_text, moment_text, parse_moment, span_text, yen
from bots.keyboards import home
from core.clock import local
from core.i18n import register, t


def button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def rows(buttons: list[InlineKeyboardButton], per_row: int = 1) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    )


def until_text(moment: datetime, lang: str, now: datetime) -> str:
    """A deadline: the time alone when it is today, else the day and time."""
    return (
        clock_text(moment)
        if local(moment).date() == local(now).date()
        else moment_text(moment, lang)
    )


def where(item: dict) -> str:
    return f"{item['facilityName']} {item['spaceName']}"


async def send_checkout(
    message: Message, held: dict, checkout: dict, lang: str, now: datetime, *, again: bool = False
) -> None:
    """The answer to a hold: confirmed at once when free, else the payment link and deadline."""
    when = span_text(parse_moment(held["start"]), parse_moment(held["end"]), lang)
    if checkout["url"] is None:
        text = t(
            "bot.booking.confirmed_free",
            lang,
            receipt=held["receiptNumber"],
            space=where(held),
            when=when,
        )
        await message.answer(text, reply_markup=home(lang))
        return
    text = t(
        "bot.booking.held_again" if again else "bot.booking.held",
        lang,
        receipt=held["receiptNumber"],
        space=where(held),
        when=when,
        amount=yen(held["amountYen"]),
        until=until_text(parse_moment(checkout["expiresAt"]), lang, now),
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
        "bot.cmd.book": {"ja": "施設の空きを探して予約", "en": "Find a free slot and book"},
        "bot.cmd.mybookings": {
            "ja": "自分の予約（支払い・取り消し・過去の予約）",
            "en": "Your bookings (pay, cancel, past ones)",
        },
        "bot.cmd.lotteries": {
            "ja": "抽選の申込みと結果",
            "en": "Lotteries: enter, and your results",
        },
        "bot.booking.button": {"ja": "🏟 施設予約", "en": "🏟 Book a facility"},
        "bot.booking.ask_search": {
            "ja": "施設名や部屋の種類（例: 体育館、会議室）を送るか、「📍現在地を送る」で近くの施設を探します。",
            "en": "Send a facility name or a kind of room (e.g. gym, meeting room), or share your location to find the nearest ones.",
        },
        "bot.booking.expected_search": {
            "ja": "施設名や部屋の種類を文字で送るか、「📍現在地を送る」を押してください。",
            "en": "Type a facility name or a kind of room, or press “📍 Share my location”.",
        },
        "bot.booking.share_location": {"ja": "📍現在地を送る", "en": "📍 Share my location"},
        "bot.booking.none_found": {
            "ja": "「{words}」に当てはまる施設が見つかりませんでした。別の言葉（例: 体育館、会議室、グラウンド）を送ってください。",
            "en": "Nothing matched “{words}”. Try other words (e.g. gym, meeting room, ground).",
        },
        "bot.booking.none_near": {
            "ja": "近くに予約できる施設が見つかりませんでした。施設名や部屋の種類（例: 体育館、会議室）を送ってください。",
            "en": "No facility to book was found nearby. Send a facility name or a kind of room (e.g. gym, meeting room).",
        },
        "bot.booking.pick_facility": {"ja": "施設を選んでください。", "en": "Choose a facility."},
        "bot.booking.pick_space": {
            "ja": "{facility}: 利用する場所を選んでください。",
            "en": "{facility}: choose what to book.",
        },
        "bot.booking.free": {"ja": "無料", "en": "free"},
        "bot.booking.per_hour": {"ja": "/時間", "en": "/h"},
        "bot.booking.pick_date": {
            "ja": "{space}: 空きのある日を選んでください（{first}〜{last}）。",
            "en": "{space}: choose a day with free slots ({first} to {last}).",
        },
        "bot.booking.no_dates_here": {
            "ja": "{space}: {first}〜{last}は空きがありません。",
            "en": "{space}: no free slot from {first} to {last}.",
        },
        "bot.booking.earlier": {"ja": "◀ 前の2週間", "en": "◀ Earlier"},
        "bot.booking.later": {"ja": "次の2週間 ▶", "en": "Later ▶"},
        "bot.booking.pick_length": {
            "ja": "{space} {day}: 利用する時間の長さを選んでください。",
            "en": "{space}, {day}: how long do you need it?",
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
            "ja": "仮押さえしました（受付番号 {receipt}）。\n{space} {when}\n料金 {amount}\n{until}までにお支払いください。期限を過ぎると仮押さえは解除されます。お支払いが確認できしだい予約確定をお知らせします。",
            "en": "Held for you (receipt {receipt}).\n{space}, {when}\nFee {amount}\nPlease pay by {until}; after that the hold is released. We will confirm the booking as soon as the payment arrives.",
        },
        "bot.booking.held_again": {
            "ja": "この枠はあなたが仮押さえ中です（受付番号 {receipt}）。\n{space} {when}\n料金 {amount}\n{until}までにお支払いください。",
            "en": "You are already holding this slot (receipt {receipt}).\n{space}, {when}\nFee {amount}\nPlease pay by {until}.",
        },
        "bot.booking.overlaps_mine": {
            "ja": "この時間はあなたの予約（受付番号 {receipt}、{space} {when}）と重なっています。",
            "en": "This time overlaps your booking {receipt} ({space}, {when}).",
        },
        "bot.booking.hold_released": {
            "ja": "仮押さえは解除しました。",
            "en": "The hold has been released.",
        },
        "bot.booking.pay_button": {"ja": "💳 支払う", "en": "💳 Pay"},
        "bot.booking.cancel_button": {"ja": "取り消す", "en": "Cancel"},
        "bot.booking.confirmed_free": {
            "ja": "予約が確定しました（受付番号 {receipt}）。\n{space} {when}",
            "en": "Your booking is confirmed (receipt {receipt}).\n{space}, {when}",
        },
        "bot.booking.none_booked": {
            "ja": "現在の予約はありません。/book で施設を予約できます。",
            "en": "You have no current bookings. Use /book to book a facility.",
        },
        "bot.booking.mine_title": {"ja": "あなたの予約:", "en": "Your bookings:"},
        "bot.booking.booking_line": {
            "ja": "{number}. {status} {space}\n   {when}（受付番号 {receipt}、{amount}）",
            "en": "{number}. {status} {space}\n   {when} (receipt {receipt}, {amount})",
        },
        "bot.booking.pay_by": {
            "ja": "   {until}までにお支払いください（過ぎると解除されます）",
            "en": "   Pay by {until}, or the hold is released",
        },
        "bot.booking.cancellable_until": {
            "ja": "   取り消し期限: {until}",
            "en": "   Can be cancelled until {until}",
        },
        "bot.booking.pay_numbered": {"ja": "💳 {number}を支払う", "en": "💳 Pay {number}"},
        "bot.booking.cancel_numbered": {"ja": "{number}を取り消す", "en": "Cancel {number}"},
        "bot.booking.past_button": {"ja": "過去の予約", "en": "Past bookings"},
        "bot.booking.past_title": {
            "ja": "過去・取り消し済みの予約:",
            "en": "Past and cancelled bookings:",
        },
        "bot.booking.none_past": {
            "ja": "過去の予約はありません。",
            "en": "You have no past bookings.",
        },
        "bot.booking.confirm_cancel": {
            "ja": "受付番号 {receipt}（{space} {when}）の予約を取り消しますか？お支払い済みの場合は施設の規定により返金します。",
            "en": "Cancel booking {receipt} ({space}, {when})? If you paid, the facility's policy decides the refund.",
        },
        "bot.booking.yes_cancel": {"ja": "はい、取り消す", "en": "Yes, cancel"},
        "bot.booking.keep": {"ja": "いいえ", "en": "No, keep it"},
        "bot.booking.kept": {"ja": "予約はそのままです。", "en": "The booking is kept."},
        "bot.booking.cancelled": {
            "ja": "受付番号 {receipt} の予約を取り消しました。返金額: {refund}",
            "en": "Booking {receipt} is cancelled. Refund: {refund}",
        },
        "bot.booking.already_ended": {
            "ja": "受付番号 {receipt} の予約は、すでに{status}です。",
            "en": "Booking {receipt} is already {status}.",
        },
        "bot.booking.status.HELD": {"ja": "⏳仮押さえ", "en": "⏳ Held"},
        "bot.booking.status.PENDING_PAYMENT": {"ja": "💴入金待ち", "en": "💴 Awaiting payment"},
        "bot.booking.status.CONFIRMED": {"ja": "✅確定", "en": "✅ Confirmed"},
        "bot.booking.status.CANCELLED": {"ja": "取り消し済み", "en": "cancelled"},
        "bot.booking.status.EXPIRED": {"ja": "期限切れ", "en": "expired"},
    }
)

register(
    {
        "bot.booking.no_lotteries": {
            "ja": "受付中の抽選はありません。",
            "en": "No lottery is taking entries right now.",
        },
        "bot.booking.lotteries_title": {"ja": "受付中の抽選:", "en": "Lotteries taking entries:"},
        "bot.booking.lottery_line": {
            "ja": "{number}. 🎲 {space}\n   {when}\n   申込締切 {closes}、抽選 {draw}（応募 {count}件）{mine}",
            "en": "{number}. 🎲 {space}\n   {when}\n   Entries close {closes}, draw {draw} ({count} entries){mine}",
        },
        "bot.booking.entered_already": {"ja": " ・応募済み", "en": " · entered"},
        "bot.booking.enter_button": {"ja": "{number}に応募する", "en": "Enter {number}"},
        "bot.booking.entered": {
            "ja": "抽選に応募しました。結果はこのチャットでお知らせします。/lotteries でも確認できます。",
            "en": "You are in the lottery. The result will come to this chat; /lotteries shows it too.",
        },
        "bot.booking.results_title": {
            "ja": "あなたの応募と結果:",
            "en": "Your entries and results:",
        },
        "bot.booking.result_waiting": {
            "ja": "{space} {when} — 抽選待ち（{draw}）",
            "en": "{space}, {when} — draw on {draw}",
        },
        "bot.booking.result_won": {
            "ja": "{space} {when} — 🎉当選",
            "en": "{space}, {when} — 🎉 won",
        },
        "bot.booking.result_pay_by": {
            "ja": "（{until}までにお支払いください）",
            "en": " (pay by {until})",
        },
        "bot.booking.result_lost": {
            "ja": "{space} {when} — 落選（順番待ち{position}番）",
            "en": "{space}, {when} — not drawn (number {position} in line)",
        },
        "bot.booking.result_cancelled": {
            "ja": "{space} {when} — 抽選は中止されました",
            "en": "{space}, {when} — the lottery was called off",
        },
        "bot.booking.pay_win": {"ja": "💳 当選分を支払う", "en": "💳 Pay for the win"},
    }
)


def hours_text(minutes: int, lang: str) -> str:
    hours, rest = divmod(minutes, 60)
    if lang == "ja":
        return f"{hours}時間" + (f"{rest}分" if rest else "") if hours else f"{rest}分"
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def status_text(status: str, lang: str) -> str:
    return t(f"bot.booking.status.{status}", lang)
