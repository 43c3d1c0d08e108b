from __future__ import annotations

import pytest

from geo.readers import SkipReason, values
from geo.text import normalise, normalise_kana, normalise_notes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", True),
        ("1.0", True),
        ("○", True),
        ("〇", True),
        ("有", True),
        (" 1 ", True),
        ("１", True),
        ("", False),
        ("0", False),
        ("0.0", False),
        ("×", False),
        ("無", False),
        ("-", False),
        ("不明", False),
    ],
)
def test_flag__as_written_by_municipalities(text, expected):
    assert values.is_flag_set(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"), [("有", True), ("無", False), ("", None), (" ", None)]
)
def test_optional_flag__keeps_not_stated_apart(text, expected):
    assert values.optional_flag(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50,700 ", 50700),
        ("900 ", 900),
        ("１２０人", 120),
        ("屋内191人／屋外0人(面積の1/2)", 191),
        ("屋内1,371人／屋外5,470人（面積の1/2）", 6841),
        ("", None),
        ("約100", None),
        ("未定", None),
    ],
)
def test_capacity__numbers_and_indoor_outdoor_text(text, expected):
    assert values.capacity(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("122033", "122033"),
        ("12203", "122033"),
        ("01100", "011002"),
        ("38201", "382019"),
        ("122033.0", "122033"),
        ("１２２０３３", "122033"),
        ("", ""),
        ("12", ""),
        ("abcdef", ""),
    ],
)
def test_municipality_code__six_digits_with_check_digit(text, expected):
    assert values.municipality_code(text) == expected


def test_municipality_code__from_gsi_common_id():
    assert values.municipality_from_gsi_id("E1820700009201") == "182079"
    assert values.municipality_from_gsi_id("E0110000001202") == "011002"
    assert values.municipality_from_gsi_id("CC0000000504") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0000000001", "1"),
        ("1", "1"),
        ("1.0", "1"),
        ("0", "0"),
        ("CC0000000504", "CC0000000504"),
        ("", ""),
    ],
)
def test_dataset_id__drops_zero_padding(text, expected):
    assert values.dataset_id(text) == expected


def test_normalise__folds_widths_and_whitespace():
    assert normalise("地域ｹｱ南行徳第二") == "地域ケア南行徳第二"
    assert normalise("石川県七尾市一本杉町１２４") == "石川県七尾市一本杉町124"
    assert normalise(" 介護医療院　かがやき\n(別館) ") == "介護医療院 かがやき (別館)"
    assert normalise(None) == ""


def test_normalise_kana__reads_half_width_dash_after_katakana_as_long_vowel():
    assert normalise_kana("1階ﾛﾋﾞ-") == "1階ロビー"
    assert normalise_kana("ｹﾝﾘﾂｺｸﾌﾞﾝｺｳｺｳ") == "ケンリツコクブンコウコウ"
    assert normalise_kana("B-1") == "B-1"
    assert normalise_kana("ビル-2階") == "ビル-2階"


def test_notes__keep_their_lines():
    assert normalise_notes("「洪水」では\r\n\r\n２階以上に避難 ") == "「洪水」では\n2階以上に避難"


@pytest.mark.parametrize(
    ("lat", "lng", "expected"),
    [
        ("35.5", "139.7", (35.5, 139.7)),
        ("３５．５", "１３９．７", (35.5, 139.7)),
        ("", "139.7", SkipReason.MISSING_COORDINATES),
        ("35.5", " ", SkipReason.MISSING_COORDINATES),
        ("北緯35度", "139.7", SkipReason.UNPARSABLE_COORDINATES),
        ("nan", "139.7", SkipReason.UNPARSABLE_COORDINATES),
        ("139.7", "35.5", SkipReason.OUTSIDE_JAPAN),
        ("0", "0", SkipReason.OUTSIDE_JAPAN),
        ("24.28", "153.98", (24.28, 153.98)),
        ("20.42", "136.08", (20.42, 136.08)),
    ],
)
def test_position__inside_japan_only(lat, lng, expected):
    assert values.position(lat, lng) == expected


def test_fallback_id__stable_for_the_same_content_and_rounding():
    first = values.fallback_id("県立国分高校", 35.75359, 139.927977)
    assert first == values.fallback_id("県立国分高校", 35.753590000001, 139.927977)
    assert first != values.fallback_id("県立国分高校", 35.75360, 139.927977)
