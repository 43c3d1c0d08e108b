"""Text from clients: control characters are refused wherever text comes in.

Tab, line feed and carriage return are text; the other C0 and C1 control characters
(NUL first of all: PostgreSQL cannot store it) and lone UTF-16 surrogates (no database
can encode them) are not.
"""

from __future__ import annotations

import re
from typing import Any

from core.errors import AppError, invalid
from core.i18n import register

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def control_character_path(value: Any, path: str = "") -> str | None:
    """The path (`input.description`, `tags.2`) of the first string with control characters
    in a JSON-like value (keys included), or None."""
    if isinstance(value, str):
        return path if _CONTROL.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _CONTROL.search(key):
                return inner
            found = control_character_path(item, inner)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = control_character_path(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


def refuse_control_characters(value: Any, field: str | None = None) -> None:
    """Raise VALIDATION (with the field's path) when any string in `value` has one."""
    found = control_character_path(value, field or "")
    if found is not None:
        raise control_characters_error(found or field)


def control_characters_error(field: str | None) -> AppError:
    return invalid("error.control_characters", field=field)


register(
    {
        "error.control_characters": {
            "ja": "入力に使えない制御文字（NUL など）が含まれています。",
            "en": "The input contains control characters (such as NUL) that are not allowed.",
        }
    }
)
