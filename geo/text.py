"""Text as municipalities publish it, made comparable: widths folded, whitespace tidied."""

from __future__ import annotations

import re
import unicodedata

# NFKC folds half-width kana (ｹﾝﾘﾂ), full-width digits (１２４) and full-width brackets; these
# look-alikes it leaves alone.
_LOOKALIKES = str.maketrans({"〜": "~", "−": "-", "‐": "-", "―": "-", "\u00a0": " "})
# Half-width "-" written for the long-vowel mark after katakana (ﾛﾋﾞ- -> ロビー).
_DASH_AS_LONG_VOWEL = re.compile(r"(?<=[ァ-ヴ])-(?![0-9A-Za-z])")


def normalise(value: object) -> str:
    """One line of text: NFKC, look-alikes folded, whitespace runs (newlines too) as one space."""
    if not value:
        return ""
    text = str(value)
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES)
    return " ".join(text.split())


def normalise_kana(value: object) -> str:
    return _DASH_AS_LONG_VOWEL.sub("ー", normalise(value))


def normalise_notes(value: object) -> str:
    """Free text keeping its line breaks (each line normalised, blank lines dropped)."""
    if value is None:
        return ""
    lines = (normalise(line) for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)


def join_notes(*parts: str) -> str:
    return "\n".join(part for part in parts if part)
