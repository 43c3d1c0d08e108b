"""The one source of the current time, so tests can move it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def local(moment: datetime) -> datetime:
    """A moment as shown to people: Asia/Tokyo."""
    return moment.astimezone(TOKYO)
