"""Field-level validation errors shared by the Open311 and GeoJSON parameter parsers."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reports.errors import ReportsError
from reports.messages import message


@dataclass(frozen=True, slots=True)
class FieldError:
    """One wrong field: ``field`` as the client sent it, a ``code`` from :mod:`reports.messages`."""

    field: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

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
