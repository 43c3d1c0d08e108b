"""Read the filters of GET /requests (GeoReport v2) into a validated :class:`RequestsQuery`.

From the specification: ``service_request_id`` (comma list; overrides every
other filter), ``service_code`` (comma list), ``start_date`` / ``end_date``
(ISO 8601; the window defaults to the last 90 days and may not span more than
90 days), ``status`` (``open``, ``closed``, comma list). Lists may also be sent
as repeated parameters.

Extensions: ``page`` and ``page_size`` (the widely implemented pagination
extension; ``page_size`` defaults to and is capped at 1000, the specification's
own response volume, so clients that do not page get exactly what the
specification promises) and ``bbox`` (``minLng,minLat,maxLng,maxLat``, as the
GeoJSON feed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from reports.map.bbox import BBox, bbox_error, parse_bbox
from reports.times import parse_w3_datetime
from reports.validation import (
    FieldError,
    ValidationFailed,
    group_pairs,
    parse_pairs,
    take_single,
    text_error,
)
from reports.workflow import Status, statuses_for_open311

MAX_FIELDS = 50
DATE_WINDOW = timedelta(days=90)
DEFAULT_PAGE_SIZE = 1000
MAX_PAGE_SIZE = 1000
MAX_PAGE = 100_000
MAX_LIST_VALUES = 100
MAX_ID_LENGTH = 100
OPEN311_STATUSES = ("open", "closed")
_UNENCODED_PLUS = re.compile(r"[0-9-]+T[0-9:.]+ [0-9]{2}:?[0-9]{2}")


@dataclass(frozen=True, slots=True)
class RequestsQuery:
    """Validated filters. ``start``/``end`` are ``None`` only when ids are asked for directly."""

    service_request_ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset[Status] = frozenset(Status)
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    bbox: BBox | None = None
    jurisdiction_id: str | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def limit(self) -> int:
        return self.page_size


def parse_requests_query_string(query: bytes | str, *, now: datetime) -> RequestsQuery:
    return parse_requests_query(parse_pairs(query, max_fields=MAX_FIELDS), now=now)


def parse_requests_query(pairs: Iterable[tuple[str, str]], *, now: datetime) -> RequestsQuery:
    """Validate decoded (name, value) pairs, e.g. Starlette's ``request.query_params.multi_items()``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    errors: list[FieldError] = []
    grouped = group_pairs(pairs)
    ids = _list(grouped, "service_request_id", errors)
    codes = _list(grouped, "service_code", errors)
    statuses = _statuses(_list(grouped, "status", errors), errors)
    start, end = _window(grouped, now, errors)
    page = _integer(grouped, "page", errors, minimum=1, maximum=MAX_PAGE, default=1)
    page_size = _integer(
        grouped, "page_size", errors, minimum=1, maximum=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE
    )
    bbox = _bbox(grouped, errors)
    jurisdiction_id = take_single(grouped, "jurisdiction_id", errors)
    if errors:
        raise ValidationFailed(errors)
    if ids:
        # "This overrides all other arguments."
        return RequestsQuery(service_request_ids=ids, jurisdiction_id=jurisdiction_id)
    return RequestsQuery(
        service_codes=codes,
        start=start,
        end=end,
        statuses=statuses,
        page=page,
        page_size=page_size,
        bbox=bbox,
        jurisdiction_id=jurisdiction_id,
    )


def _list(grouped: Mapping[str, list[str]], name: str, errors: list[FieldError]) -> tuple[str, ...]:
    items = [
        item.strip() for value in grouped.get(name, []) for item in value.split(",") if item.strip()
    ]
    unique = tuple(dict.fromkeys(items))
    if len(unique) > MAX_LIST_VALUES:
        errors.append(FieldError(name, "TOO_MANY_VALUES", {"maximum": MAX_LIST_VALUES}))
    for item in unique:
        problem = text_error(name, item, MAX_ID_LENGTH)
        if problem is not None:
            errors.append(problem)
            break
    return unique


def _statuses(values: tuple[str, ...], errors: list[FieldError]) -> frozenset[Status]:
    wanted = {value.lower() for value in values}
    if wanted - set(OPEN311_STATUSES):
        errors.append(FieldError("status", "STATUS_INVALID"))
    return statuses_for_open311(wanted) if wanted else frozenset(Status)


def _window(
    grouped: Mapping[str, list[str]], now: datetime, errors: list[FieldError]
) -> tuple[datetime | None, datetime | None]:
    start = _datetime(grouped, "start_date", errors)
    end = _datetime(grouped, "end_date", errors)
    if any(error.field in ("start_date", "end_date") for error in errors):
        return None, None
    if start is None:
        end = end or now
        return end - DATE_WINDOW, end
    if end is None:
        return start, start + DATE_WINDOW
    if end < start:
        errors.append(FieldError("end_date", "DATE_RANGE_REVERSED"))
    elif end - start > DATE_WINDOW:
        errors.append(FieldError("end_date", "DATE_RANGE_TOO_LONG", {"max_days": DATE_WINDOW.days}))
    return start, end


def _datetime(
    grouped: Mapping[str, list[str]], name: str, errors: list[FieldError]
) -> datetime | None:
    raw = take_single(grouped, name, errors)
    if raw is None:
        return None
    if _UNENCODED_PLUS.fullmatch(raw):
        # "+09:00" sent without percent-encoding arrives as " 09:00"; the intent is unambiguous.
        raw = raw.replace(" ", "+")
    try:
        return parse_w3_datetime(raw)
    except ValueError as error:
        code = "DATETIME_NEEDS_TIMEZONE" if str(error) == "no timezone" else "DATETIME_INVALID"
        errors.append(FieldError(name, code))
        return None


def _integer(
    grouped: Mapping[str, list[str]],
    name: str,
    errors: list[FieldError],
    *,
    minimum: int,
    maximum: int,
    default: int,
) -> int:
    raw = take_single(grouped, name, errors)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit():
        errors.append(FieldError(name, "FIELD_NOT_AN_INTEGER"))
        return default
    number = int(raw)
    if not minimum <= number <= maximum:
        errors.append(
            FieldError(name, "FIELD_OUT_OF_RANGE", {"minimum": minimum, "maximum": maximum})
        )
        return default
    return number


def _bbox(grouped: Mapping[str, list[str]], errors: list[FieldError]) -> BBox | None:
    raw = take_single(grouped, "bbox", errors)
    if raw is None:
        return None
    problem = bbox_error(raw)
    if problem is not None:
        errors.append(problem)
        return None
    return parse_bbox(raw)
