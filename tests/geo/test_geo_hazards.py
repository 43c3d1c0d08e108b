from __future__ import annotations

import pytest

from geo.hazards import ALL_HAZARDS_MASK, Hazard, hazard_by_label_ja, hazards_in, mask_of


def test_hazards__are_the_eight_of_the_standard_in_its_order():
    assert [h.label_ja for h in Hazard] == [
        "洪水",
        "崖崩れ、土石流及び地滑り",
        "高潮",
        "地震",
        "津波",
        "大規模な火事",
        "内水氾濫",
        "火山現象",
    ]
    assert [h.value for h in Hazard] == [
        "flood",
        "landslide",
        "storm_surge",
        "earthquake",
        "tsunami",
        "large_fire",
        "inland_flood",
        "volcano",
    ]


def test_hazards__have_one_distinct_bit_each():
    bits = [h.bit for h in Hazard]
    assert bits == [1, 2, 4, 8, 16, 32, 64, 128]
    assert ALL_HAZARDS_MASK == 255


def test_hazards__have_labels_in_both_languages():
    assert Hazard.TSUNAMI.label("ja") == "津波"
    assert Hazard.TSUNAMI.label("en") == "Tsunami"
    assert all(h.label_en and h.label_en != h.label_ja for h in Hazard)


def test_mask__round_trips():
    chosen = [Hazard.FLOOD, Hazard.TSUNAMI, Hazard.VOLCANO]
    assert hazards_in(mask_of(chosen)) == chosen
    assert mask_of([]) == 0
    assert hazards_in(0) == []


@pytest.mark.parametrize("mask", [-1, 256, 1024])
def test_mask__outside_the_hazard_bits__is_refused(mask):
    with pytest.raises(ValueError):
        hazards_in(mask)


def test_label_lookup__finds_the_standard_labels_only():
    assert hazard_by_label_ja("崖崩れ、土石流及び地滑り") is Hazard.LANDSLIDE
    assert hazard_by_label_ja("土砂災害") is None
