"""Lotteries (抽選) that anyone can check afterwards, by commit and reveal.

1. When the entry window opens, the city draws a secret seed (`new_seed`) and
   publishes `seed_hash(seed)`, the SHA-256 of the seed bytes, in hex.
2. When the window closes, the list of entrant ids is published.
3. At the draw the seed is revealed. Each entrant's ticket is
   HMAC-SHA256(key=seed, message=UTF-8(slot_key) + 0x00 + UTF-8(str(entrant_id)))
   and entrants are ranked by ticket, lowest first (ties, which need a SHA-256
   collision, by id text). First place wins; the others queue in order.

To check a draw: `verify(seed_hex, published_hash)` proves the seed is the one
committed to before anyone entered, and `draw(bytes.fromhex(seed_hex), slot_key,
entrant_ids)` recomputes the order. The same in a few lines of any language:

    import hashlib, hmac
    def ticket(e):
        message = slot_key.encode() + b"\\0" + str(e).encode()
        return hmac.new(seed, message, hashlib.sha256).digest()
    order = sorted(entrants, key=lambda e: (ticket(e), str(e)))
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Collection, Hashable, Iterable, Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.errors import BookingError, BookingErrorCode
from booking.rules import TOKYO

SEED_BYTES = 32


def new_seed() -> bytes:
    return secrets.token_bytes(SEED_BYTES)


def seed_hash(seed: bytes) -> str:
    """The commitment published before entries open: hex SHA-256 of the seed."""
    return hashlib.sha256(seed).hexdigest()


def verify(seed_hex: str, published_hash: str) -> bool:
    """True if the revealed seed (hex) is the one whose hash was published."""
    try:
        seed = bytes.fromhex(seed_hex)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(seed_hash(seed), published_hash.strip().lower())


def slot_key(space_id: object, start: datetime, end: datetime) -> str:
    """The text that names a lottery slot in the draw:
    `12/2025-05-01T00:00:00Z/2025-05-01T03:00:00Z` for space 12, 9:00-12:00 in Tokyo."""
    return f"{space_id}/{_utc_text(start)}/{_utc_text(end)}"


def ticket(seed: bytes, key: str, entrant_id: object) -> bytes:
    message = key.encode() + b"\x00" + str(entrant_id).encode()
    return hmac.new(seed, message, hashlib.sha256).digest()


def draw(seed: bytes, key: str, entrant_ids: Iterable[Hashable]) -> list:
    """Entrants in winning order; the same seed, key and entrants give the same order
    whatever order the entrants come in."""
    entrants = list(entrant_ids)
    if len({str(entrant) for entrant in entrants}) != len(entrants):
        raise ValueError("an entrant appears twice")
    if not seed:
        raise ValueError("the seed is empty")
    return sorted(entrants, key=lambda entrant: (ticket(seed, key, entrant), str(entrant)))


def verify_draw(
    seed_hex: str, published_hash: str, key: str, entrant_ids: Iterable[Hashable], order: Sequence
) -> bool:
    """True if the revealed seed matches its commitment and yields the announced order."""
    if not verify(seed_hex, published_hash):
        return False
    return draw(bytes.fromhex(seed_hex), key, entrant_ids) == list(order)


def next_in_line(order: Sequence, passed: Collection) -> object | None:
    """Who holds the win now: the first in `order` not in `passed` (declined or unpaid)."""
    for entrant in order:
        if entrant not in passed:
            return entrant
    return None


def pay_by(won_at: datetime, days: int, zone_name: str = TOKYO) -> datetime:
    """Payment deadline for a win: the end of the local day `days` days after `won_at`."""
    zone = ZoneInfo(zone_name)
    last_day = won_at.astimezone(zone).date() + timedelta(days=days + 1)
    return datetime.combine(last_day, time(0, 0), tzinfo=zone).astimezone(UTC)


def entry_month(slot_start: datetime, zone_name: str = TOKYO) -> str:
    """The local month of use, "YYYY-MM", that an entry counts against for the monthly cap."""
    return slot_start.astimezone(ZoneInfo(zone_name)).strftime("%Y-%m")


def validate_entry(
    *,
    opens_at: datetime,
    closes_at: datetime,
    now: datetime,
    already_entered: bool,
    entries_this_month: int,
    monthly_cap: int | None,
) -> None:
    """Check that a resident may enter: window open, no entry yet, under the monthly cap."""
    if not opens_at <= now < closes_at:
        raise BookingError(BookingErrorCode.LOTTERY_NOT_OPEN)
    if already_entered:
        raise BookingError(BookingErrorCode.LOTTERY_ALREADY_ENTERED)
    ensure_under_monthly_cap(entries_this_month, monthly_cap)


def ensure_under_monthly_cap(entries_this_month: int, monthly_cap: int | None) -> None:
    if monthly_cap is not None and entries_this_month >= monthly_cap:
        raise BookingError(BookingErrorCode.LOTTERY_MONTHLY_CAP)


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"slot times carry a time zone, got {moment!r}")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
