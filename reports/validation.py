"""Field-level validation errors shared by the Open311 and GeoJSON parameter parsers."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from reports.errors import ReportsError
from reports.messages import message


@dataclass(frozen=True, slots=True)
class FieldError:
    """One wrong field: ``field`` as the client sent it, a ``code`` from :mod:`reports.messages`."""

    field: str
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return message(self.code, lang, field=self.field, **self.params)


class ValidationFailed(ReportsError):
    """Raised with every field error found, not just the first."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("VALIDATION")
        self.errors = list(errors)

    @property
    def fields(self) -> dict[str, str]:
        """Field name → code of its first error, handy in tests and GraphQL extensions."""
        first: dict[str, str] = {}
        for error in self.errors:
            first.setdefault(error.field, error.code)
        return first


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def parse_decimal(text: str) -> float | None:
    """A finite float from plain ASCII decimal text, else ``None``.

    Stricter than ``float()``, which also takes "nan", "inf", "1_000" and non-ASCII digits.
    """
    candidate = text.strip()
    if _DECIMAL.fullmatch(candidate) is None:
        return None
    number = float(candidate)
    return number if math.isfinite(number) else None


# C0 controls and DEL; tab, line feed and carriage return are allowed only in multi-line text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r]")


def text_error(
    field: str, value: str, max_length: int, *, multiline: bool = False
) -> FieldError | None:
    """Why a free-text value is refused (too long, control characters), or ``None``.

    Single-line fields refuse line breaks too: they end up in e-mail headers and CSV exports.
    """
    if len(value) > max_length:
        return FieldError(field, "FIELD_TOO_LONG", {"max_length": max_length})
    if _CONTROL.search(value) or (not multiline and _LINE_BREAKS.search(value)):
        return FieldError(field, "FIELD_CONTROL_CHARACTERS")
    return None


def parse_pairs(raw: bytes | str, *, max_fields: int) -> list[tuple[str, str]]:
    """Decode an ``application/x-www-form-urlencoded`` body or query string into (name, value) pairs.

    Raises :class:`ValidationFailed` for more than ``max_fields`` fields or text that is not UTF-8.
    """
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return parse_qsl(
            text,
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=max_fields,
        )
    except UnicodeDecodeError:
        raise ValidationFailed([FieldError("request", "ENCODING_INVALID")]) from None
    except ValueError:
        raise ValidationFailed(
            [FieldError("request", "TOO_MANY_FIELDS", {"maximum": max_fields})]
        ) from None


def group_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Values by name, in the order sent; empty values are dropped ("null means not sent")."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        if value.strip():
            grouped.setdefault(name, []).append(value)
    return grouped


def take_single(
    grouped: Mapping[str, list[str]], name: str, errors: list[FieldError]
) -> str | None:
    """The one value sent for ``name``; a second value is an error."""
    values = grouped.get(name, [])
    if len(values) > 1:
        errors.append(FieldError(name, "FIELD_DUPLICATED"))
    return values[0].strip() if values else None
