"""Cancellation deadlines, refunds and the cap on a resident's active bookings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from booking.errors import BookingError, BookingErrorCode
from booking.rules import TOKYO
from booking.rules.window import local_date, local_midnight

#: How long a held slot waits for payment before it is released.
HOLD_DURATION = timedelta(minutes=30)


def hold_expires_at(held_at: datetime) -> datetime:
    return held_at + HOLD_DURATION


@dataclass(frozen=True, slots=True)
class RefundTier:
    """Cancelled at least `days_before` local days before the use day: refund `percent`."""

    days_before: int
    percent: int

    def __post_init__(self) -> None:
        if self.days_before < 0:
            raise ValueError("days before cannot be negative")
        if not 0 <= self.percent <= 100:
            raise ValueError(f"a refund percent lies in 0..100, got {self.percent}")


@dataclass(frozen=True)
class CancellationPolicy:
    """How much a resident's own cancellation refunds, and until when it is allowed.

    The tier with the largest `days_before` not above the actual days applies; no
    tier means no refund. Residents may cancel until the end of the local day
    `deadline_days_before` before the use day (0: until the slot starts).
    Cancellations by staff are always refunded in full.
    """

    tiers: tuple[RefundTier, ...]
    deadline_days_before: int = 0
    timezone: str = TOKYO

    def __post_init__(self) -> None:
        if self.deadline_days_before < 0:
            raise ValueError("the deadline cannot be after the slot starts")
        days = [tier.days_before for tier in self.tiers]
        if len(days) != len(set(days)):
            raise ValueError("two refund tiers have the same days before")
        tiers = tuple(sorted(self.tiers, key=lambda tier: -tier.days_before))
        percents = [tier.percent for tier in tiers]
        if percents != sorted(percents, reverse=True):
            raise ValueError("cancelling earlier must never refund less")
        object.__setattr__(self, "tiers", tiers)

    @classmethod
    def full(cls, deadline_days_before: int = 0) -> CancellationPolicy:
        return cls((RefundTier(0, 100),), deadline_days_before)

    @classmethod
    def none(cls, deadline_days_before: int = 0) -> CancellationPolicy:
        return cls((), deadline_days_before)

    @classmethod
    def partial(
        cls, percent: int, days_before: int, deadline_days_before: int = 0
    ) -> CancellationPolicy:
        """`percent` back when cancelled at least `days_before` days ahead, nothing later."""
        return cls((RefundTier(days_before, percent),), deadline_days_before)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def days_before(start: datetime, moment: datetime, zone: ZoneInfo) -> int:
    """Local calendar days from `moment` to `start` (0 on the use day itself)."""
    return (local_date(start, zone) - local_date(moment, zone)).days


def cancellation_deadline(policy: CancellationPolicy, start: datetime) -> datetime:
    """The instant (exclusive) until which the resident may cancel a booking starting at `start`."""
    use_day = local_date(start, policy.zone)
    end_of_last_day = local_midnight(
        use_day - timedelta(days=policy.deadline_days_before - 1), policy.zone
    )
    return min(start, end_of_last_day)


def refund_percent(policy: CancellationPolicy, start: datetime, cancelled_at: datetime) -> int:
    days = days_before(start, cancelled_at, policy.zone)
    for tier in policy.tiers:
        if tier.days_before <= days:
            return tier.percent
    return 0


def refund_amount(
    policy: CancellationPolicy, paid: int, start: datetime, cancelled_at: datetime, by_staff: bool
) -> int:
    """Yen to give back; staff cancellations (closures) refund everything.

    A resident cancelling at or after the deadline gets CANCELLATION_DEADLINE_PASSED.
    Partial refunds are rounded down to whole yen.
    """
    if not isinstance(paid, int) or isinstance(paid, bool) or paid < 0:
        raise ValueError(f"the amount paid is non-negative whole yen, got {paid!r}")
    if by_staff:
        return paid
    if cancelled_at >= cancellation_deadline(policy, start):
        raise BookingError(BookingErrorCode.CANCELLATION_DEADLINE_PASSED)
    return paid * refund_percent(policy, start, cancelled_at) // 100


def ensure_under_active_limit(active_bookings: int, limit: int | None) -> None:
    """Refuse one more booking when the resident already holds `limit` active ones."""
    if limit is not None and active_bookings >= limit:
        raise BookingError(BookingErrorCode.TOO_MANY_ACTIVE_BOOKINGS)
