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
    FACILITY_CLOSED = "FACILITY_CLOSED"
    PAYMENT_UNAVAILABLE = "PAYMENT_UNAVAILABLE"
    PAYMENT_NOT_CONFIGURED = "PAYMENT_NOT_CONFIGURED"
    BAD_QUERY = "BAD_QUERY"
    INTERNAL = "INTERNAL"


# What each code means to a client: the README's list is written from this (`madoguchi
# error-codes`), and a test keeps the two in step.
MEANINGS: dict[ErrorCode, str] = {
    ErrorCode.UNAUTHENTICATED: "no valid access token (none, expired, or its session ended)",
    ErrorCode.FORBIDDEN: "signed in, but not allowed to do this",
    ErrorCode.NOT_FOUND: "nothing by that id or code (another resident's private objects too)",
    ErrorCode.VALIDATION: "an input to correct; `extensions.field` names it",
    ErrorCode.RATE_LIMITED: "too many requests or failed log-ins; wait and try again",
    ErrorCode.CONFLICT: "the object's state does not allow it now (already cancelled, paid …)",
    ErrorCode.SLOT_TAKEN: "someone else holds or booked the slot",
    ErrorCode.FACILITY_CLOSED: "the facility is closed on the days asked for; the message says why",
    ErrorCode.PAYMENT_UNAVAILABLE: "the payment provider cannot be reached now; try again later",
    ErrorCode.PAYMENT_NOT_CONFIGURED: "this city has not set up online payment",
    ErrorCode.BAD_QUERY: (
        "the request itself is wrong: not JSON, nested too deep, syntax, unknown fields, "
        "wrong variable types, depth or token or alias limits, a mutation over GET"
    ),
    ErrorCode.INTERNAL: "a fault of ours, masked: the message gives a request id to quote",
}


def error_code_table() -> str:
    """The Markdown table of every code a client can see, for the README."""
    rows = [f"| `{code.value}` | {MEANINGS[code]} |" for code in ErrorCode]
    return "\n".join(["| code | meaning |", "|---|---|", *rows]) + "\n"


_TABLE_START, _TABLE_END = "<!-- error-codes -->\n", "<!-- /error-codes -->"


def readme_with_error_codes(readme: str) -> str:
    head, _, rest = readme.partition(_TABLE_START)
    _, _, tail = rest.partition(_TABLE_END)
    return head + _TABLE_START + error_code_table() + _TABLE_END + tail


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
