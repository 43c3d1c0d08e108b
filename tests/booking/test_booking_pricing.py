from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.errors import BookingError, BookingErrorCode
from booking.pricing import PriceUnit, Pricing, price_for

START = datetime(2025, 5, 6, 0, tzinfo=UTC)


def test_price__per_slot__resident_and_non_resident_rates():
    pricing = Pricing(PriceUnit.PER_SLOT, resident_yen=1500, non_resident_yen=3000)
    end = START + timedelta(hours=3)

    assert price_for(pricing, START, end, is_resident=True) == 1500
    assert price_for(pricing, START, end, is_resident=False) == 3000


def test_price__per_hour__by_length():
    pricing = Pricing(PriceUnit.PER_HOUR, resident_yen=600, non_resident_yen=1200)

    assert price_for(pricing, START, START + timedelta(hours=2), True) == 1200
    assert price_for(pricing, START, START + timedelta(minutes=90), False) == 1800


def test_price__per_hour__partial_yen_rounded_down():
    pricing = Pricing(PriceUnit.PER_HOUR, resident_yen=250, non_resident_yen=250)

    assert price_for(pricing, START, START + timedelta(minutes=10), True) == 41


def test_price__free_space__zero():
    assert Pricing.free().is_free
    assert price_for(Pricing.free(), START, START + timedelta(hours=5), False) == 0


@pytest.mark.parametrize("rate", [-1, 1.5, "100", True])
def test_pricing__rate_not_whole_non_negative_yen__refused(rate):
    with pytest.raises(ValueError):
        Pricing(PriceUnit.PER_SLOT, rate, 100)


def test_price__end_not_after_start__invalid_range():
    with pytest.raises(BookingError) as caught:
        price_for(Pricing.free(), START, START, True)

    assert caught.value.code is BookingErrorCode.INVALID_RANGE


rates = st.integers(0, 100_000)


@given(
    st.sampled_from(PriceUnit),
    rates,
    rates,
    st.integers(1, 24 * 60),
    st.integers(1, 24 * 60),
    st.booleans(),
)
def test_price__never_negative_and_never_less_for_longer(
    unit, resident, other, minutes, more, is_resident
):
    pricing = Pricing(unit, resident, other)
    shorter = price_for(pricing, START, START + timedelta(minutes=minutes), is_resident)
    longer = price_for(pricing, START, START + timedelta(minutes=minutes + more), is_resident)

    assert 0 <= shorter <= longer
    assert isinstance(shorter, int)
    if unit is PriceUnit.PER_SLOT:
        assert shorter == (resident if is_resident else other)
