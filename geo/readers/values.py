"""Cell values as municipalities write them, made comparable: text width, flags, numbers, codes."""

from __future__ import annotations

import hashlib
import math
import re

from geo.readers.records import SkipReason
from geo.text import normalise

_TRUE_MARKS = frozenset(
    {"1", "○", "〇", "◯", "●", "◎", "有", "あり", "有り", "可", "true", "yes", "y", "t"}
)

# Japan with its far islands: Okinotorishima 20.4N, Yonaguni 122.9E, Minamitorishima 154.0E,
# Bentenjima 45.5N.
JAPAN_LAT = (20.0, 46.0)
JAPAN_LNG = (122.0, 154.0)


def is_flag_set(value: str) -> bool:
    """Hazard and yes/no columns: "1", "1.0", "○", "有" ... are set; "", "0", "×", "無" are not."""
    text = normalise(value).lower()
    if not text:
        return False
    if text in _TRUE_MARKS:
        return True
    number = _number(text)
    return number is not None and number != 0


def optional_flag(value: str) -> bool | None:
    """A yes/no column where empty means "not stated"."""
    text = normalise(value)
    return is_flag_set(text) if text else None


def coordinate(value: str) -> float | SkipReason:
    text = normalise(value)
    if not text:
        return SkipReason.MISSING_COORDINATES
    number = _number(text)
    if number is None or not math.isfinite(number):
        return SkipReason.UNPARSABLE_COORDINATES
    return number


def position(lat_text: str, lng_text: str) -> tuple[float, float] | SkipReason:
    lat, lng = coordinate(lat_text), coordinate(lng_text)
    for part in (lat, lng):
        if isinstance(part, SkipReason):
            return part
    if not (JAPAN_LAT[0] <= lat <= JAPAN_LAT[1] and JAPAN_LNG[0] <= lng <= JAPAN_LNG[1]):
        return SkipReason.OUTSIDE_JAPAN
    return lat, lng


def capacity(value: str) -> int | None:
    """想定収容人数: "50,700 " -> 50700; "屋内191人／屋外0人(面積の1/2)" -> 191 + 0; else None."""
    text = normalise(value).replace(",", "")
    if not text:
        return None
    plain = re.fullmatch(r"(\d+)\s*人?", text)
    if plain:
        return int(plain.group(1))
    parts = re.findall(r"(?:屋内|屋外)\s*[:：]?\s*(\d+)\s*人", text)
    return sum(int(part) for part in parts) if parts else None


def is_plain_capacity(value: str) -> bool:
    return bool(re.fullmatch(r"\d+\s*人?", normalise(value).replace(",", "")))


def municipality_code(value: str) -> str:
    """6-digit 全国地方公共団体コード; a 5-digit code gets its check digit; anything else is ""."""
    text = normalise(value)
    text = text.removesuffix(".0")  # a spreadsheet turned the code into a number
    if re.fullmatch(r"\d{6}", text):
        return text
    if re.fullmatch(r"\d{5}", text):
        return text + check_digit(text)
    return ""


def check_digit(code5: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


GSI_COMMON_ID = re.compile(r"E\d{13}")


def municipality_from_gsi_id(common_id: str) -> str:
    """共通ID is E + 5-digit municipality code (no check digit) + 8 digits."""
    if not GSI_COMMON_ID.fullmatch(common_id):
        return ""
    code5 = common_id[1:6]
    return code5 + check_digit(code5)


def dataset_id(value: str) -> str:
    """A dataset's own ID or NO; zero padding dropped, so "0000000001" and "1" stay one key."""
    text = normalise(value)
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if text.isdigit():
        return text.lstrip("0") or "0"
    return text


def fallback_id(*parts: object) -> str:
    """A key from the content itself, for rows without an ID; coordinates rounded to 1e-6."""
    canonical = "|".join(f"{part:.6f}" if isinstance(part, float) else str(part) for part in parts)
    return "h" + hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:16]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
