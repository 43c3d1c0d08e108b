from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.errors import BookingError, BookingErrorCode
from booking.rules.policy import (
    CancellationPolicy,
    RefundTier,
    cancellation_deadline,
    ensure_under_active_limit,
    hold_expires_at,
    refund_amount,
    refund_percent,
)

JST = ZoneInfo("Asia/Tokyo")
USE_DAY = date(2025, 6, 10)
START = datetime.combine(USE_DAY, time(9), tzinfo=JST)


def days_ahead(days: int, hour: int = 12) -> datetime:
    return datetime.combine(USE_DAY - timedelta(days=days), time(hour), tzinfo=JST)


def test_refund__full_policy__everything_until_the_start():
    policy = CancellationPolicy.full()

    assert refund_amount(policy, 3000, START, START - timedelta(minutes=1), by_staff=False) == 3000


def test_refund__none_policy__nothing():
    assert (
        refund_amount(CancellationPolicy.none(), 3000, START, days_ahead(30), by_staff=False) == 0
    )


def test_refund__partial__half_until_seven_days_before_then_nothing():
    policy = CancellationPolicy.partial(50, days_before=7)

    assert refund_amount(policy, 3000, START, days_ahead(7, hour=23), False) == 1500
    assert refund_amount(policy, 3000, START, days_ahead(6, hour=0), False) == 0


def test_refund__tiers__the_earlier_the_more():
    policy = CancellationPolicy((RefundTier(3, 50), RefundTier(14, 100)))

    assert refund_percent(policy, START, days_ahead(20)) == 100
    assert refund_percent(policy, START, days_ahead(14)) == 100
    assert refund_percent(policy, START, days_ahead(13)) == 50
    assert refund_percent(policy, START, days_ahead(3)) == 50
    assert refund_percent(policy, START, days_ahead(2)) == 0


def test_refund__days_counted_in_tokyo_not_utc():
    policy = CancellationPolicy.partial(50, days_before=1)
    # 2025-06-09 00:30 JST is still 2025-06-08 in UTC, yet it is the day before in Tokyo.
    cancelled = datetime(2025, 6, 8, 15, 30, tzinfo=UTC)

    assert refund_amount(policy, 1000, START, cancelled, False) == 500


def test_refund__odd_amount__rounded_down_to_the_yen():
    policy = CancellationPolicy.partial(50, days_before=0)

    assert refund_amount(policy, 1001, START, days_ahead(1), False) == 500


def test_refund__after_deadline__refused_for_residents():
    policy = CancellationPolicy.full(deadline_days_before=1)

    with pytest.raises(BookingError) as caught:
        refund_amount(policy, 3000, START, days_ahead(0, hour=0), by_staff=False)

    assert caught.value.code is BookingErrorCode.CANCELLATION_DEADLINE_PASSED


def test_refund__after_start__refused_for_residents():
    with pytest.raises(BookingError):
        refund_amount(CancellationPolicy.full(), 3000, START, START, by_staff=False)


def test_refund__by_staff__always_in_full():
    policy = CancellationPolicy.none(deadline_days_before=3)

    assert refund_amount(policy, 3000, START, START + timedelta(hours=1), by_staff=True) == 3000


def test_deadline__end_of_the_day_before():
    policy = CancellationPolicy.full(deadline_days_before=1)

    assert cancellation_deadline(policy, START) == datetime.combine(USE_DAY, time(0), tzinfo=JST)
    assert cancellation_deadline(CancellationPolicy.full(), START) == START


@pytest.mark.parametrize("paid", [-1, 10.5, None, True])
def test_refund__paid_not_whole_non_negative_yen__refused(paid):
    with pytest.raises(ValueError):
        refund_amount(CancellationPolicy.full(), paid, START, days_ahead(5), False)


@pytest.mark.parametrize(
    "tiers",
    [
        (RefundTier(7, 50), RefundTier(3, 100)),
        (RefundTier(7, 50), RefundTier(7, 30)),
    ],
)
def test_policy__inconsistent_tiers__refused(tiers):
    with pytest.raises(ValueError):
        CancellationPolicy(tiers)


@pytest.mark.parametrize("days, percent", [(-1, 50), (3, 101), (3, -5)])
def test_tier__out_of_range__refused(days, percent):
    with pytest.raises(ValueError):
        RefundTier(days, percent)


def test_active_limit__refuses_one_more_at_the_limit():
    ensure_under_active_limit(2, 3)
    ensure_under_active_limit(100, None)
    with pytest.raises(BookingError) as caught:
        ensure_under_active_limit(3, 3)

    assert caught.value.code is BookingErrorCode.TOO_MANY_ACTIVE_BOOKINGS


policies = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 100)), max_size=4, unique_by=lambda t: t[0]
).map(
    lambda pairs: CancellationPolicy(
        tuple(
            RefundTier(days, percent)
            for (days, _), percent in zip(sorted(pairs), sorted((p for _, p in pairs)), strict=True)
        ),
        deadline_days_before=0,
    )
)


@given(policies, st.integers(0, 10_000_000), st.integers(1, 90 * 24 * 60), st.booleans())
def test_refund__between_zero_and_paid(policy, paid, minutes_before, by_staff):
    refund = refund_amount(policy, paid, START, START - timedelta(minutes=minutes_before), by_staff)

    assert 0 <= refund <= paid
    if by_staff:
        assert refund == paid


@given(
    policies, st.integers(0, 100_000), st.integers(1, 60 * 24 * 60), st.integers(0, 30 * 24 * 60)
)
def test_refund__cancelling_earlier_never_refunds_less(policy, paid, minutes_before, earlier_by):
    late = refund_amount(policy, paid, START, START - timedelta(minutes=minutes_before), False)
    early = refund_amount(
        policy, paid, START, START - timedelta(minutes=minutes_before + earlier_by), False
    )

    assert early >= late


def test_hold__expires_after_thirty_minutes():
    assert hold_expires_at(START) == START + timedelta(minutes=30)
