"""Date-times as Open311 and the public feeds write them (ISO 8601 / W3C profile, with offset)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")


def w3_datetime(moment: datetime, zone: ZoneInfo = TOKYO) -> str:
    """``2025-04-01T18:00:00+09:00``: shown in Tokyo time, to the second, offset always present."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetimes written to clients must be timezone-aware")
    return moment.astimezone(zone).isoformat(timespec="seconds")


def parse_w3_datetime(value: str, zone: ZoneInfo = TOKYO) -> datetime:
    """Parse a client's date-time; a bare date means midnight in ``zone``.

    Raises ``ValueError("invalid")`` for text that is not ISO 8601 and
    ``ValueError("no timezone")`` for a date-time without Z or an offset.
    """
    text = value.strip()
    if len(text) == 10:
        try:
            return datetime.combine(date.fromisoformat(text), time(), zone)
        except ValueError:
            raise ValueError("invalid") from None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("invalid") from None
    if parsed.tzinfo is None:
        raise ValueError("no timezone")
    return parsed
