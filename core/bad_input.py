"""What an exception caused by a client's input means to that client.

Every surface (GraphQL, Open311, the plain HTTP routes) asks `as_app_error` before it
masks an exception as INTERNAL, so bad input that slipped past a surface's own checks
still gets a code, never a 500:

* A string longer than its column. The models are the one place column sizes are
  written: Tortoise checks each CharField's max_length whenever a value meets the column.
  Met in a filter, the value is a look-up that can name nothing (NOT_FOUND); met in an
  insert or update, it is input to correct (VALIDATION, with the field).
* A number or date out of what Python or the database can hold (OverflowError, a
  PostgreSQL data exception): VALIDATION.
* Nesting too deep for the interpreter (RecursionError): BAD_QUERY.
"""

from __future__ import annotations

import re
import traceback

from tortoise.exceptions import OperationalError, ValidationError

from core.errors import AppError, ErrorCode, invalid, not_found
from core.i18n import register

# Tortoise's validators say "<field name>: <what is wrong>".
_FIELD = re.compile(r"^(\w+): ")
# Where Tortoise turns filter arguments into database values.
_FILTER_FRAMES = frozenset({"_process_filter_kwarg", "_resolve_regular_kwarg", "list_encoder"})


def as_app_error(error: BaseException) -> AppError | None:
    """The coded error `error` stands for, or None when it is a fault of ours."""
    if isinstance(error, AppError):
        return error
    if isinstance(error, ValidationError):
        return _column_error(error)
    if isinstance(error, OverflowError):
        return invalid("error.out_of_range")
    if isinstance(error, RecursionError):
        return AppError(ErrorCode.BAD_QUERY, "error.too_deep")
    if isinstance(error, OperationalError) and _is_data_exception(error.__cause__):
        return invalid("error.out_of_range")
    return None


def _column_error(error: ValidationError) -> AppError:
    if _raised_in_filter(error):
        return not_found()
    match = _FIELD.match(str(error))
    field = _camel(match.group(1)) if match else None
    return invalid("error.too_long_for_field", field=field)


def _raised_in_filter(error: BaseException) -> bool:
    frames = traceback.walk_tb(error.__traceback__)
    return any(frame.f_code.co_name in _FILTER_FRAMES for frame, _ in frames)


def _is_data_exception(cause: BaseException | None) -> bool:
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - installed with tortoise-orm[asyncpg]
        return False
    return isinstance(cause, asyncpg.exceptions.DataError)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


register(
    {
        "error.out_of_range": {
            "ja": "入力された値が扱える範囲を超えています。",
            "en": "A value given is outside the range that can be handled.",
        },
        "error.too_long_for_field": {
            "ja": "入力された文字列が長すぎます。",
            "en": "A text given is too long.",
        },
        "error.too_deep": {
            "ja": "入力の入れ子が深すぎます。",
            "en": "The input is nested too deeply.",
        },
    }
)
