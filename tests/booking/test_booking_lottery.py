from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.errors import BookingError, BookingErrorCode
from booking.lottery.draw import (
    draw,
    ensure_under_monthly_cap,
    entry_month,
    new_seed,
    next_in_line,
    pay_by,
    seed_hash,
    slot_key,
    validate_entry,
    verify,
    verify_draw,
)

JST = ZoneInfo("Asia/Tokyo")
KEY = slot_key(12, datetime(2025, 6, 1, 0, tzinfo=UTC), datetime(2025, 6, 1, 3, tzinfo=UTC))
ENTRANTS = list(range(1, 41))


def test_seed__random_and_32_bytes():
    assert len(new_seed()) == 32
    assert new_seed() != new_seed()


def test_verify__published_hash_matches_revealed_seed():
    seed = new_seed()
    published = seed_hash(seed)

    assert len(published) == 64
    assert verify(seed.hex(), published)
    assert verify(seed.hex().upper(), published.upper())


def test_verify__tampered_seed__fails():
    seed = new_seed()
    published = seed_hash(seed)
    tampered = bytes([seed[0] ^ 1]) + seed[1:]

    assert not verify(tampered.hex(), published)
    assert not verify("not hex", published)
    assert not verify(seed.hex(), "0" * 64)


def test_slot_key__names_space_and_utc_times():
    start = datetime(2025, 6, 1, 9, tzinfo=JST)

    assert (
        slot_key(12, start, start + timedelta(hours=3))
        == "12/2025-06-01T00:00:00Z/2025-06-01T03:00:00Z"
    )
    with pytest.raises(ValueError):
        slot_key(12, datetime(2025, 6, 1), datetime(2025, 6, 1, 3))


def test_draw__same_seed_same_order():
    seed = new_seed()

    assert draw(seed, KEY, ENTRANTS) == draw(seed, KEY, ENTRANTS)
    assert sorted(draw(seed, KEY, ENTRANTS)) == ENTRANTS


def test_draw__different_seeds_different_orders():
    orders = {tuple(draw(new_seed(), KEY, ENTRANTS)) for _ in range(50)}
    winners = [draw(new_seed(), KEY, ENTRANTS)[0] for _ in range(400)]

    assert len(orders) == 50
    # 400 draws among 40 entrants: 10 wins each on average; no one wins half of them.
    assert max(winners.count(entrant) for entrant in set(winners)) < 40
    assert len(set(winners)) > 25


def test_draw__other_slot_key_other_order():
    seed = new_seed()
    other = slot_key(13, datetime(2025, 6, 1, 0, tzinfo=UTC), datetime(2025, 6, 1, 3, tzinfo=UTC))

    assert draw(seed, KEY, ENTRANTS) != draw(seed, other, ENTRANTS)


def test_draw__follows_the_published_recipe():
    seed = bytes(range(32))

    def ticket(entrant):
        return hmac.new(seed, KEY.encode() + b"\0" + str(entrant).encode(), hashlib.sha256).digest()

    assert draw(seed, KEY, ENTRANTS) == sorted(ENTRANTS, key=lambda e: (ticket(e), str(e)))


def test_draw__known_answer_stays_stable():
    """Fixed inputs, fixed output: a change to the recipe would break published draws."""
    seed = bytes.fromhex("00" * 31 + "01")
    key = "1/2025-06-01T00:00:00Z/2025-06-01T03:00:00Z"

    assert draw(seed, key, ["a", "b", "c", "d", "e", "f"]) == ["b", "c", "d", "a", "e", "f"]
    assert (
        seed_hash(bytes(32)) == "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
    )


def test_draw__duplicate_entrant__refused():
    with pytest.raises(ValueError):
        draw(new_seed(), KEY, [1, 2, 2])


def test_draw__empty_seed__refused():
    with pytest.raises(ValueError):
        draw(b"", KEY, [1, 2])


def test_draw__nobody_entered__empty():
    assert draw(new_seed(), KEY, []) == []


@given(
    st.binary(min_size=1, max_size=64),
    st.lists(st.integers(0, 10**9), unique=True, max_size=30),
    st.randoms(),
)
def test_draw__order_independent_of_input_order(seed, entrants, random):
    shuffled = list(entrants)
    random.shuffle(shuffled)

    assert draw(seed, KEY, entrants) == draw(seed, KEY, shuffled)


def test_verify_draw__accepts_true_draw_rejects_changed_ones():
    seed = new_seed()
    published = seed_hash(seed)
    order = draw(seed, KEY, ENTRANTS)

    assert verify_draw(seed.hex(), published, KEY, ENTRANTS, order)
    assert not verify_draw(seed.hex(), published, KEY, ENTRANTS, [order[1], order[0], *order[2:]])
    assert not verify_draw(new_seed().hex(), published, KEY, ENTRANTS, order)


def test_next_in_line__win_passes_on_when_unpaid():
    order = [7, 3, 9]

    assert next_in_line(order, set()) == 7
    assert next_in_line(order, {7}) == 3
    assert next_in_line(order, {7, 3, 9}) is None


def test_pay_by__end_of_the_local_day_n_days_after_the_win():
    won_at = datetime(2025, 5, 10, 16, tzinfo=UTC)  # 2025-05-11 01:00 in Tokyo

    assert pay_by(won_at, 3) == datetime(2025, 5, 15, 0, tzinfo=JST)


def test_entry_month__month_of_use_in_tokyo():
    assert entry_month(datetime(2025, 5, 31, 15, tzinfo=UTC)) == "2025-06"
    assert entry_month(datetime(2025, 5, 31, 14, 59, tzinfo=UTC)) == "2025-05"


def test_entry__open_window_first_entry_under_cap__accepted():
    opens = datetime(2025, 5, 1, tzinfo=JST)
    validate_entry(
        opens_at=opens,
        closes_at=opens + timedelta(days=10),
        now=opens,
        already_entered=False,
        entries_this_month=1,
        monthly_cap=2,
    )


@pytest.mark.parametrize(
    "now_days, already, count, code",
    [
        (-1, False, 0, BookingErrorCode.LOTTERY_NOT_OPEN),
        (10, False, 0, BookingErrorCode.LOTTERY_NOT_OPEN),
        (2, True, 0, BookingErrorCode.LOTTERY_ALREADY_ENTERED),
        (2, False, 2, BookingErrorCode.LOTTERY_MONTHLY_CAP),
    ],
)
def test_entry__refused(now_days, already, count, code):
    opens = datetime(2025, 5, 1, tzinfo=JST)
    with pytest.raises(BookingError) as caught:
        validate_entry(
            opens_at=opens,
            closes_at=opens + timedelta(days=10),
            now=opens + timedelta(days=now_days),
            already_entered=already,
            entries_this_month=count,
            monthly_cap=2,
        )

    assert caught.value.code is code


def test_monthly_cap__none_means_no_cap():
    ensure_under_monthly_cap(1000, None)
