"""Dates, money and distances are written one way in every router."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bots.formatting import day_text, distance_text, moment_text, span_text, yen


def test_day__japanese_and_unambiguous_english():
    saturday = date(2026, 12, 5)
    assert day_text(saturday, "ja") == "12月5日(土)"
    assert day_text(saturday, "en") == "Sat 5 Dec"


def test_moment__shown_on_its_japan_day():
    late_utc = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)  # 00:30 on the 5th in Tokyo
    assert moment_text(late_utc, "ja") == "12月5日(土) 0:30"
    assert moment_text(late_utc, "en") == "Sat 5 Dec 0:30"
    end = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
    assert span_text(late_utc, end, "en") == "Sat 5 Dec 0:30–3:00"


def test_money_and_distance():
    assert yen(0) == "¥0" and yen(1500) == "¥1,500" and yen(1234567) == "¥1,234,567"
    assert distance_text(0, "ja") == "0m" and distance_text(999.4, "en") == "999 m"
    assert distance_text(1250, "ja") == "1.2km" and distance_text(12_345, "en") == "12.3 km"
