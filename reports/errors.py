"""Coded errors of the reports package.

Each error carries a stable ``code`` a caller can branch on and the parameters
its message needs; the ja/en texts live in :mod:`reports.messages`.
"""

from __future__ import annotations

from typing import Any

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


class StorageError(ReportsError):
    """A storage key was invalid or the stored object is missing."""


class TransitionError(ReportsError):
    """A report status change is not allowed."""
