"""Booking's texts, and the conversion of rule errors into errors a client can act on."""

from __future__ import annotations

from booking.errors import MESSAGES, BookingError, BookingErrorCode
from core.errors import AppError, ErrorCode
from core.i18n import register

#: Which input a rule error is about, and the code clients branch on.
_ERROR_CODES: dict[BookingErrorCode, tuple[ErrorCode, str | None]] = {
    BookingErrorCode.INVALID_TIME: (ErrorCode.VALIDATION, "start"),
    BookingErrorCode.INVALID_RANGE: (ErrorCode.VALIDATION, "end"),
    BookingErrorCode.IN_PAST: (ErrorCode.VALIDATION, "start"),
    BookingErrorCode.OUTSIDE_ADVANCE_WINDOW: (ErrorCode.VALIDATION, "start"),
    BookingErrorCode.OUTSIDE_OPENING_HOURS: (ErrorCode.VALIDATION, "start"),
    BookingErrorCode.NOT_ON_GRID: (ErrorCode.VALIDATION, "start"),
    BookingErrorCode.TOO_SHORT: (ErrorCode.VALIDATION, "end"),
    BookingErrorCode.TOO_LONG: (ErrorCode.VALIDATION, "end"),
    BookingErrorCode.TOO_MANY_ACTIVE_BOOKINGS: (ErrorCode.CONFLICT, None),
    BookingErrorCode.CANCELLATION_DEADLINE_PASSED: (ErrorCode.CONFLICT, None),
    BookingErrorCode.LOTTERY_NOT_OPEN: (ErrorCode.CONFLICT, None),
    BookingErrorCode.LOTTERY_ALREADY_ENTERED: (ErrorCode.CONFLICT, None),
    BookingErrorCode.LOTTERY_MONTHLY_CAP: (ErrorCode.CONFLICT, None),
}


def app_error(error: BookingError) -> AppError:
    """The rule error as the API reports it (BookingError has a `.message()` method, which
    graphql-core would mistake for the message text)."""
    code, field = _ERROR_CODES[error.code]
    return AppError(code, f"booking.error.{error.code.value}", field=field)


register({f"booking.error.{code.value}": dict(texts) for code, texts in MESSAGES.items()})

register(
    {
        "booking.online_payment_off": {
            "ja": "オンライン決済の準備ができていないため、料金のかかる枠はここでは予約できません（仮押さえもしていません）。施設の窓口でお申し込みください。",
            "en": "Online payment is not set up, so slots with a fee cannot be booked here (nothing was held). Please book at the facility's counter.",
        },
        "booking.slot_taken": {
            "ja": "この枠はすでに予約または仮押さえされています。別の枠を選んでください。",
            "en": "This slot has just been taken. Please choose another one.",
        },
        "booking.range_too_long": {
            "ja": "一度に表示できるのは{days}日分までです。",
            "en": "Ask for at most {days} days at a time.",
        },
        "booking.not_payable": {
            "ja": "この予約はお支払いの対象ではありません（状態: {status}）。",
            "en": "This booking cannot be paid for now (status: {status}).",
        },
        "booking.not_cancellable": {
            "ja": "この予約は取り消しできません（状態: {status}）。",
            "en": "This booking cannot be cancelled (status: {status}).",
        },
        "booking.lottery_bad_times": {
            "ja": "抽選の日程が正しくありません。受付開始 < 受付終了 ≦ 抽選日時 < 利用開始 としてください。",
            "en": "The lottery dates do not fit: entries open < entries close <= draw < use.",
        },
        "booking.confirmed": {
            "ja": "予約が確定しました。{facility_ja} {space_ja}、{when_ja}（受付番号 {receipt}）。",
            "en": "Your booking is confirmed: {facility_en}, {space_en}, {when_en} (receipt {receipt}).",
        },
        "booking.hold_expired": {
            "ja": "お支払いの期限が過ぎたため、{facility_ja} {space_ja}（{when_ja}）の仮押さえを解除しました。",
            "en": "The hold on {facility_en}, {space_en} ({when_en}) ran out before payment and was released.",
        },
        "booking.payment_failed": {
            "ja": "お支払いが完了しなかったため、{facility_ja} {space_ja}（{when_ja}）の仮押さえを解除しました。",
            "en": "The payment did not go through, so the hold on {facility_en}, {space_en} ({when_en}) was released.",
        },
        "booking.payment_processing": {
            "ja": "お支払い手続きを受け付けました。入金が確認できしだい {facility_ja} {space_ja}（{when_ja}）の予約を確定します。",
            "en": "We got your payment order. {facility_en}, {space_en} ({when_en}) is confirmed as soon as the money arrives.",
        },
        "booking.late_payment_refunded": {
            "ja": "お支払いを受け付けましたが、{facility_ja} {space_ja}（{when_ja}）の仮押さえは期限切れまたは取消しで既に解除されていたため、予約は成立していません。¥{amount:,}は全額返金します。",
            "en": "Your payment arrived after the hold on {facility_en}, {space_en} ({when_en}) had ended, so there is no booking. The full ¥{amount:,} will be refunded.",
        },
        "booking.cancelled_by_staff": {
            "ja": "施設の都合（{reason}）により、{facility_ja} {space_ja}（{when_ja}）の予約を取り消しました。お支払い済みの¥{refund:,}は全額返金します。ご迷惑をおかけして申し訳ありません。",
            "en": "We had to cancel your booking of {facility_en}, {space_en} ({when_en}): {reason}. The ¥{refund:,} you paid will be refunded in full. We are sorry for the trouble.",
        },
        "booking.cancelled_by_staff_unpaid": {
            "ja": "施設の都合（{reason}）により、{facility_ja} {space_ja}（{when_ja}）の予約を取り消しました。ご迷惑をおかけして申し訳ありません。",
            "en": "We had to cancel your booking of {facility_en}, {space_en} ({when_en}): {reason}. We are sorry for the trouble.",
        },
        "booking.refund_sent": {
            "ja": "¥{amount:,}の返金手続きが完了しました（受付番号 {receipt}）。カード会社によっては反映まで数日かかります。",
            "en": "A refund of ¥{amount:,} has been sent (receipt {receipt}). Your card issuer may take a few days to show it.",
        },
        "lottery.won": {
            "ja": "抽選に当選しました: {facility_ja} {space_ja}、{when_ja}。{pay_by_ja}までにお支払いください（受付番号 {receipt}）。",
            "en": "You won the lottery for {facility_en}, {space_en}, {when_en}. Please pay by {pay_by_en} (receipt {receipt}).",
        },
        "lottery.moved_up": {
            "ja": "繰り上げ当選になりました: {facility_ja} {space_ja}、{when_ja}。{pay_by_ja}までにお支払いください（受付番号 {receipt}）。",
            "en": "The win passed to you: {facility_en}, {space_en}, {when_en}. Please pay by {pay_by_en} (receipt {receipt}).",
        },
        "lottery.lost": {
            "ja": "{facility_ja} {space_ja}（{when_ja}）の抽選結果: 今回は落選です（順番待ち{position}番）。繰り上げになった場合はお知らせします。",
            "en": "Lottery result for {facility_en}, {space_en} ({when_en}): not this time (number {position} in line). We will tell you if the win passes to you.",
        },
        "lottery.win_lapsed": {
            "ja": "お支払い期限を過ぎたため、{facility_ja} {space_ja}（{when_ja}）の当選は次の方に移りました。",
            "en": "The payment deadline passed, so your win for {facility_en}, {space_en} ({when_en}) went to the next in line.",
        },
    }
)

# Why a space is closed on the days asked for (catalog.refuse_if_closed_throughout): the
# closure's or holiday's own name is given in both languages as {ja} and {en}.
register(
    {
        "booking.closed.CLOSED_DAY": {
            "ja": "この日は休館日です（定休日）。",
            "en": "The facility is closed on this day of the week.",
        },
        "booking.closed.HOLIDAY": {
            "ja": "この日は祝日（{ja}）のため休館です。",
            "en": "The facility is closed on public holidays ({en}).",
        },
        "booking.closed.CLOSURE": {
            "ja": "この期間は休館です（{ja}）。",
            "en": "The facility is closed for this period ({en}).",
        },
    }
)
