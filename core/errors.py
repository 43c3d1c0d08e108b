"""Errors a client can act on: a code to branch on and a message in the caller's language."""

from __future__ import annotations

import uuid
from enum import Enum


class ErrorCode(str, Enum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    VALIDATION = "VALIDATION"
    RATE_LIMITED = "RATE_LIMITED"
    CONFLICT = "CONFLICT"
    SLOT_TAKEN = "SLOT_TAKEN"
    PAYMENT_UNAVAILABLE = "PAYMENT_UNAVAILABLE"
    BAD_QUERY = "BAD_QUERY"
    INTERNAL = "INTERNAL"


class AppError(Exception):
    """An expected failure. `message_key` names a text in core.i18n; `params` fill it.

    `field` names the input at fault, when there is one.
    """

    code: ErrorCode = ErrorCode.VALIDATION

    def __init__(
        self,
        code: ErrorCode | str,
        message_key: str,
        *,
        field: str | None = None,
        **params: object,
    ) -> None:
        self.code = ErrorCode(code) if not isinstance(code, ErrorCode) else code
        self.message_key = message_key
        self.field = field
        self.params = params
        #: More for the client beside code and field (e.g. every field error of a form).
        self.extensions: dict[str, object] = {}
        super().__init__(f"{self.code.value}: {message_key}")

    def localized(self, language: str | None) -> str:
        from core.i18n import t

        return t(self.message_key, language, **self.params)


class RetryLater(Exception):
    """A delivery channel asks to try again after `retry_after` seconds (e.g. Telegram's 429)."""

    def __init__(self, retry_after: float, reason: str = "") -> None:
        self.retry_after = retry_after
        super().__init__(reason or f"retry after {retry_after}s")


def not_found() -> AppError:
    return AppError(ErrorCode.NOT_FOUND, "error.not_found")


def forbidden() -> AppError:
    return AppError(ErrorCode.FORBIDDEN, "error.forbidden")


def invalid(detail_key: str, *, field: str | None = None, **params: object) -> AppError:
    return AppError(ErrorCode.VALIDATION, detail_key, field=field, **params)


def public_id_or_not_found(value: object) -> uuid.UUID:
    """A client-given public id; one that is not a UUID names nothing, so NOT_FOUND."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise not_found() from None
