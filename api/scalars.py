"""Date and DateTime as the API speaks them, one rule for every field.

Out: an instant is written in Japan time with its offset (`2026-04-01T09:30:00+09:00`),
the same instant as UTC, readable as it is shown to people. In: ISO 8601; a time
without an offset is Japan time. Dates and instants outside 1900–2199 are refused with
VALIDATION before any resolver adds a day to year 9999 (OverflowError) or stores year 1.
"""

from __future__ import annotations

import datetime as dt

import orjson
import strawberry
from strawberry.file_uploads import Upload as StrawberryUpload
from strawberry.types.scalar import ScalarDefinition

from core.clock import TOKYO
from core.errors import AppError, invalid
from core.i18n import register

FIRST_YEAR, LAST_YEAR = 1900, 2199


def _out_of_range() -> AppError:
    return invalid("error.date_out_of_range", first=FIRST_YEAR, last=LAST_YEAR)


def _bad_format(kind: str) -> AppError:
    return invalid("error.date_format", kind=kind)


# Japan has kept +09:00 all year since its summer time ended in 1951: from then on the
# offset is fixed and the text is written without a look-up in the zone's rules.
FIXED_OFFSET_SINCE = dt.datetime(1952, 1, 1, tzinfo=dt.UTC)
NINE_HOURS = dt.timedelta(hours=9)


def serialize_datetime(value: dt.datetime) -> str:
    if value.tzinfo is None:  # stored instants are UTC
        value = value.replace(tzinfo=dt.UTC)
    if value.tzinfo is dt.UTC and value >= FIXED_OFFSET_SINCE:
        return japan_time(value)
    return value.astimezone(TOKYO).isoformat()


def japan_time(utc: dt.datetime) -> str:
    """`utc.astimezone(TOKYO).isoformat()` for an instant in UTC since 1952, written by
    orjson in a third of the time (tests/api/test_scalars.py checks the text is the same)."""
    return orjson.dumps(utc + NINE_HOURS)[1:-7].decode() + "+09:00"


def parse_datetime(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise _bad_format("DateTime")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _bad_format("DateTime") from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise _out_of_range()
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=TOKYO)
    try:
        moment.astimezone(dt.UTC)
    except OverflowError:
        raise _out_of_range() from None
    return moment


def serialize_date(value: dt.date) -> str:
    return value.isoformat()


def parse_date(value: object) -> dt.date:
    if not isinstance(value, str):
        raise _bad_format("Date")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise _bad_format("Date") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _out_of_range()
    return day


DateTime = strawberry.scalar(
    name="DateTime",
    description=(
        "An instant, ISO 8601. Answers are in Japan time with the offset "
        "(2026-04-01T09:30:00+09:00); a time sent without an offset is Japan time. "
        f"Years {FIRST_YEAR}–{LAST_YEAR}."
    ),
    serialize=serialize_datetime,
    parse_value=parse_datetime,
)

Date = strawberry.scalar(
    name="Date",
    description=f"A calendar day in Japan, ISO 8601 (2026-04-01). Years {FIRST_YEAR}–{LAST_YEAR}.",
    serialize=serialize_date,
    parse_value=parse_date,
)


def parse_upload(value: object) -> object:
    """A file part of a multipart request; a JSON value in its place (a string, a number)
    is input to correct, not a file to read."""
    if not callable(getattr(value, "read", None)):
        raise invalid("error.upload_expected")
    return value


Upload = strawberry.scalar(
    name="Upload",
    description="A file, sent as a part of a multipart request (GraphQL multipart request spec).",
    serialize=lambda value: None,
    parse_value=parse_upload,
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {
    dt.datetime: DateTime,
    dt.date: Date,
    StrawberryUpload: Upload,
}

register(
    {
        "error.date_out_of_range": {
            "ja": "日付は {first} 年から {last} 年の間で指定してください。",
            "en": "Dates must be between the years {first} and {last}.",
        },
        "error.upload_expected": {
            "ja": "ファイルはマルチパート形式のリクエストで送ってください。",
            "en": "Send the file as a part of a multipart request.",
        },
        "error.date_format": {
            "ja": "{kind} は ISO 8601 形式で指定してください（例 2026-04-01T09:30:00+09:00）。",
            "en": "{kind} must be ISO 8601 (for example 2026-04-01T09:30:00+09:00).",
        },
    }
)
