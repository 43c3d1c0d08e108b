from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import reports
from reports.errors import PhotoError, TransitionError
from reports.messages import LANGUAGES, MESSAGES, message

SOURCES = [
    path for path in Path(reports.__file__).parent.glob("*.py") if path.name != "messages.py"
]
CODE_LITERAL = re.compile(r'"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"')


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_code_raised_in_the_package__has_a_text():
    used = {
        code for path in SOURCES for code in CODE_LITERAL.findall(path.read_text(encoding="utf-8"))
    }

    assert used, "the pattern should find the codes"
    assert used - MESSAGES.keys() == set()


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_text__in_both_languages_with_the_same_placeholders(code):
    texts = MESSAGES[code]

    assert set(texts) == set(LANGUAGES)
    assert all(texts[lang].strip() for lang in LANGUAGES)
    assert placeholders(texts["ja"]) == placeholders(texts["en"])


def test_message__fills_parameters():
    assert message("FIELD_TOO_LONG", "en", field="description", max_length=4000) == (
        "description must be at most 4000 characters."
    )
    assert message("FIELD_TOO_LONG", "ja", field="description", max_length=4000) == (
        "description は 4000 文字以内にしてください。"
    )


def test_message__unknown_language_falls_back_to_japanese():
    assert message("PHOTO_EMPTY", "fr") == MESSAGES["PHOTO_EMPTY"]["ja"]


def test_message__unknown_code_returned_as_is():
    assert message("NO_SUCH_CODE", "en") == "NO_SUCH_CODE"


def test_message__missing_parameter_leaves_the_template_rather_than_failing():
    assert "{max_mb}" in message("PHOTO_TOO_LARGE", "en")


def test_errors__carry_code_params_and_message():
    error = TransitionError("REPORT_REOPEN_EXPIRED", days=14)

    assert error.code == "REPORT_REOPEN_EXPIRED" and error.params == {"days": 14}
    assert "14" in error.message("en") and "14" in error.message("ja")
    assert repr(PhotoError("PHOTO_EMPTY")) == "PhotoError('PHOTO_EMPTY', **{})"
