from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.spaces import ancestors, block_space_ids, descendants, related_space_ids

GYM, HALF_A, HALF_B, ROOM = 1, 2, 3, 9
COURT_A1, COURT_A2 = 21, 22
PARENT_OF = {GYM: None, HALF_A: GYM, HALF_B: GYM, ROOM: None, COURT_A1: HALF_A, COURT_A2: HALF_A}


def test_related__half_blocks_the_whole_and_its_own_parts_not_the_other_half():
    assert related_space_ids(HALF_A, PARENT_OF) == {GYM, COURT_A1, COURT_A2}


def test_related__whole_blocks_every_part():
    assert related_space_ids(GYM, PARENT_OF) == {HALF_A, HALF_B, COURT_A1, COURT_A2}


def test_related__leaf_blocks_its_ancestors():
    assert related_space_ids(COURT_A1, PARENT_OF) == {HALF_A, GYM}
    assert ancestors(COURT_A1, PARENT_OF) == [HALF_A, GYM]


def test_related__unrelated_space__nothing():
    assert related_space_ids(ROOM, PARENT_OF) == set()
    assert related_space_ids(404, PARENT_OF) == set()


def test_blocks__space_and_all_its_parts():
    assert block_space_ids(GYM, PARENT_OF) == {GYM, HALF_A, HALF_B, COURT_A1, COURT_A2}
    assert block_space_ids(HALF_B, PARENT_OF) == {HALF_B}


def test_cycle__refused():
    looped = {1: 2, 2: 3, 3: 1}
    with pytest.raises(ValueError):
        ancestors(1, looped)
    with pytest.raises(ValueError):
        descendants(1, looped)


@st.composite
def forests(draw) -> dict[int, int | None]:
    """Random space trees: each space's parent is an earlier space or none."""
    count = draw(st.integers(1, 15))
    return {
        space: draw(st.one_of(st.none(), st.integers(0, space - 1))) if space else None
        for space in range(count)
    }


@given(forests(), st.data())
def test_blocks__share_a_space_exactly_when_bookings_must_not_overlap(parent_of, data):
    first = data.draw(st.sampled_from(sorted(parent_of)))
    second = data.draw(st.sampled_from(sorted(parent_of)))

    must_exclude = first == second or second in related_space_ids(first, parent_of)
    share_a_row = bool(block_space_ids(first, parent_of) & block_space_ids(second, parent_of))

    assert share_a_row == must_exclude
    assert (first in related_space_ids(second, parent_of)) == (
        second in related_space_ids(first, parent_of)
    )
