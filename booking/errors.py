"""Coded booking errors with messages in Japanese and English."""

from __future__ import annotations

from enum import StrEnum


class BookingErrorCode(StrEnum):
    INVALID_TIME = "INVALID_TIME"
    INVALID_RANGE = "INVALID_RANGE"
    IN_PAST = "IN_PAST"
    OUTSIDE_ADVANCE_WINDOW = "OUTSIDE_ADVANCE_WINDOW"
    OUTSIDE_OPENING_HOURS = "OUTSIDE_OPENING_HOURS"
    NOT_ON_GRID = "NOT_ON_GRID"
    TOO_SHORT = "TOO_SHORT"
    TOO_LONG = "TOO_LONG"
    TOO_MANY_ACTIVE_BOOKINGS = "TOO_MANY_ACTIVE_BOOKINGS"
    CANCELLATION_DEADLINE_PASSED = "CANCELLATION_DEADLINE_PASSED"
    LOTTERY_NOT_OPEN = "LOTTERY_NOT_OPEN"
    LOTTERY_ALREADY_ENTERED = "LOTTERY_ALREADY_ENTERED"
    LOTTERY_MONTHLY_CAP = "LOTTERY_MONTHLY_CAP"


MESSAGES: dict[BookingErrorCode, dict[str, str]] = {
    BookingErrorCode.INVALID_TIME: {
        "ja": "日時にタイムゾーンが指定されていません。",
        "en": "The date and time must include a time zone.",
    },
    BookingErrorCode.INVALID_RANGE: {
        "ja": "終了日時は開始日時より後にしてください。",
        "en": "The end must be after the start.",
    },
    BookingErrorCode.IN_PAST: {
        "ja": "過去の日時は予約できません。",
        "en": "This time has already passed; choose a later slot.",
    },
    BookingErrorCode.OUTSIDE_ADVANCE_WINDOW: {
        "ja": "この日時はまだ予約受付期間ではないか、受付期間を過ぎています。",
        "en": "Bookings for this date are not open yet or have already closed.",
    },
    BookingErrorCode.OUTSIDE_OPENING_HOURS: {
        "ja": "開館時間外です。",
        "en": "The facility is not open at this time.",
    },
    BookingErrorCode.NOT_ON_GRID: {
        "ja": "予約できる時間区分に合っていません。表示された枠から選んでください。",
        "en": "This time does not match a bookable slot; pick one of the slots shown.",
    },
    BookingErrorCode.TOO_SHORT: {
        "ja": "利用時間が最短利用時間より短いです。",
        "en": "The booking is shorter than the minimum length.",
    },
    BookingErrorCode.TOO_LONG: {
        "ja": "利用時間が最長利用時間を超えています。",
        "en": "The booking is longer than the maximum length.",
    },
    BookingErrorCode.TOO_MANY_ACTIVE_BOOKINGS: {
        "ja": "同時に持てる予約の上限に達しています。",
        "en": "You already hold the maximum number of active bookings.",
    },
    BookingErrorCode.CANCELLATION_DEADLINE_PASSED: {
        "ja": "取消期限を過ぎているため、取り消しできません。施設にお問い合わせください。",
        "en": "The cancellation deadline has passed; please contact the facility.",
    },
    BookingErrorCode.LOTTERY_NOT_OPEN: {
        "ja": "抽選の申込受付期間外です。",
        "en": "Entries for this lottery are not open.",
    },
    BookingErrorCode.LOTTERY_ALREADY_ENTERED: {
        "ja": "この枠の抽選にはすでに申し込んでいます。",
        "en": "You have already entered the lottery for this slot.",
    },
    BookingErrorCode.LOTTERY_MONTHLY_CAP: {
        "ja": "今月の抽選申込数の上限に達しています。",
        "en": "You have reached this month's limit of lottery entries.",
    },
}


class BookingError(Exception):
    """A rule refused the request; `code` is what a client branches on."""

    def __init__(self, code: BookingErrorCode) -> None:
        super().__init__(MESSAGES[code]["en"])
        self.code = code

    def message(self, language: str = "ja") -> str:
        texts = MESSAGES[self.code]
        return texts.get(language, texts["en"])
