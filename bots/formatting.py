"""How the bot writes dates, times, money and distances, the same way in every router."""

from __future__ import annotations

from datetime import date, datetime

from core.clock import local

_WEEKDAYS_JA = "月火水木金土日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: date | datetime, lang: str) -> str:
    """12月5日(土) / Sat 5 Dec; a moment is shown on its Japan day."""
    if isinstance(day, datetime):
        day = local(day).date()
    if lang == "ja":
        return f"{day.month}月{day.day}日({_WEEKDAYS_JA[day.weekday()]})"
    return f"{_WEEKDAYS_EN[day.weekday()]} {day.day} {_MONTHS_EN[day.month - 1]}"


def clock_text(moment: datetime) -> str:
    shown = local(moment)
    return f"{shown.hour}:{shown.minute:02d}"


def moment_text(moment: datetime, lang: str) -> str:
    return f"{day_text(moment, lang)} {clock_text(moment)}"


def span_text(start: datetime, end: datetime, lang: str) -> str:
    return f"{day_text(start, lang)} {clock_text(start)}–{clock_text(end)}"


def yen(amount: int) -> str:
    return f"¥{amount:,}"


def distance_text(metres: float, lang: str) -> str:
    if metres < 1000:
        return f"{metres:,.0f}m" if lang == "ja" else f"{metres:,.0f} m"
    return f"{metres / 1000:,.1f}km" if lang == "ja" else f"{metres / 1000:,.1f} km"


def parse_moment(text: str) -> datetime:
    return datetime.fromisoformat(text)
