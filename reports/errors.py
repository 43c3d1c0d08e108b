"""Coded errors of the reports package.

Each error carries a stable ``code`` a caller can branch on and the parameters
its message needs; the ja/en texts live in :mod:`reports.messages`.
"""

from __future__ import annotations

from typing import Any

from core.errors import AppError, ErrorCode
from core.storage import StorageError as _StorageError
from reports.messages import message


class ReportsError(Exception):
    """Base of every expected failure raised by the reports package."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str = "en") -> str:
        return message(self.code, lang, **self.params)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, **{self.params!r})"


class PhotoError(ReportsError):
    """A photo upload was refused (size, format, damage, decompression bomb)."""


# A storage key was invalid or the stored object is missing (core.storage raises it).
StorageError = _StorageError


class TransitionError(ReportsError):
    """A report status change is not allowed."""


def as_app_error(error: ReportsError | _StorageError, *, field: str | None = None) -> AppError:
    """The error as the API presents it: VALIDATION (or NOT_FOUND), its text from core.i18n.

    ReportsError has a ``message`` method, which graphql-core would mistake for the text,
    so it never leaves the service as it is.
    """
    code = ErrorCode.NOT_FOUND if error.code == "STORAGE_NOT_FOUND" else ErrorCode.VALIDATION
    return AppError(code, f"reports.{error.code}", field=field, **error.params)
