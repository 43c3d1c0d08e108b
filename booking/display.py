"""Dates and times as people read them, in Japanese and English, in Asia/Tokyo."""

from __future__ import annotations

from datetime import datetime

from core.clock import local

_WEEKDAYS_JA = "月火水木金土日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_ja(moment: datetime) -> str:
    day = local(moment)
    return f"{day.year}年{day.month}月{day.day}日({_WEEKDAYS_JA[day.weekday()]})"


def day_en(moment: datetime) -> str:
    day = local(moment)
    return f"{_WEEKDAYS_EN[day.weekday()]} {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def clock_text(moment: datetime) -> str:
    shown = local(moment)
    return f"{shown.hour}:{shown.minute:02d}"


def span_texts(start: datetime, end: datetime) -> dict[str, str]:
    """`when_ja` / `when_en` for a slot: 2025年6月1日(日) 9:00〜12:00."""
    return {
        "when_ja": f"{day_ja(start)} {clock_text(start)}〜{clock_text(end)}",
        "when_en": f"{day_en(start)}, {clock_text(start)}–{clock_text(end)}",
    }


def moment_texts(moment: datetime, prefix: str) -> dict[str, str]:
    """`<prefix>_ja` / `<prefix>_en` for an instant such as a payment deadline."""
    return {
        f"{prefix}_ja": f"{day_ja(moment)} {clock_text(moment)}",
        f"{prefix}_en": f"{day_en(moment)}, {clock_text(moment)}",
    }
