"""Read a POST /requests body (GeoReport v2) into a validated :class:`NewServiceRequest`.

Every wrong field is reported at once, each with the parameter name the client
used, so a client developer can fix them all in one go. Empty parameters count
as not sent, as the specification asks. Unknown parameters are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from reports.open311.types import AttributeAnswer
from reports.validation import (
    FieldError,
    ValidationFailed,
    group_pairs,
    parse_decimal,
    parse_pairs,
    take_single,
    text_error,
)

MAX_FIELDS = 200
MAX_ATTRIBUTES = 50
MAX_ATTRIBUTE_VALUES = 50
MAX_ATTRIBUTE_VALUE_LENGTH = 1000
MAX_LENGTHS = {
    "api_key": 200,
    "jurisdiction_id": 200,
    "service_code": 100,
    "address_string": 1000,
    "address_id": 100,
    "email": 254,
    "device_id": 200,
    "account_id": 200,
    "first_name": 100,
    "last_name": 100,
    "phone": 40,
    "description": 4000,  # the specification's limit
    "media_url": 2048,
}
MULTILINE_FIELDS = frozenset({"description", "address_string"})
ATTRIBUTE_KEY = re.compile(r"attribute\[([^\[\]]*)\](\[\])?")
ATTRIBUTE_CODE = re.compile(r"[A-Za-z0-9_.:-]{1,100}")


@dataclass(frozen=True, slots=True)
class NewServiceRequest:
    """A POST /requests body that passed validation. ``long`` keeps the specification's name."""

    service_code: str
    lat: float | None = None
    long: float | None = None
    address_string: str | None = None
    address_id: str | None = None
    email: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    description: str | None = None
    media_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # a credential: kept out of logs
    jurisdiction_id: str | None = None
    attributes: Mapping[str, AttributeAnswer] = field(default_factory=dict)

    @property
    def position(self) -> tuple[float, float] | None:
        return (self.lat, self.long) if self.lat is not None and self.long is not None else None


def parse_create_body(body: bytes | str) -> NewServiceRequest:
    """Parse and validate an ``application/x-www-form-urlencoded`` POST /requests body."""
    return parse_create_request(parse_pairs(body, max_fields=MAX_FIELDS))


def parse_create_request(
    pairs: Iterable[tuple[str, str]], *, location_required: bool = True
) -> NewServiceRequest:
    """Validate decoded (name, value) pairs, e.g. Starlette's ``FormData.multi_items()``.

    Checks presence of service_code and a location, lat/long together and in
    range, lengths (description at most 4000 characters), control characters,
    e-mail and URL shape, and the ``attribute[CODE]`` / ``attribute[CODE][]``
    syntax. The api_key is read but not judged here: that is the caller's 403.
    Whether the attributes fit the service is :func:`reports.open311.attributes.validate_attributes`.
    ``location_required=False`` lets a request without a place through (its photo may know it).
    """
    pairs = list(pairs)
    if len(pairs) > MAX_FIELDS:
        raise ValidationFailed([FieldError("request", "TOO_MANY_FIELDS", {"maximum": MAX_FIELDS})])
    errors: list[FieldError] = []
    grouped = group_pairs(pairs)
    values = {name: _text(grouped, name, errors) for name in MAX_LENGTHS}
    lat, long = _position(grouped, errors)
    _check_required(values, lat if location_required else 0.0, errors)
    _check_email(values.get("email"), errors)
    _check_url("media_url", values.get("media_url"), errors)
    attributes = _attributes(pairs, errors)
    if errors:
        raise ValidationFailed(errors)
    return NewServiceRequest(
        service_code=values.pop("service_code"),  # type: ignore[arg-type]
        lat=lat,
        long=long,
        attributes=attributes,
        **values,
    )


def _text(grouped: Mapping[str, list[str]], name: str, errors: list[FieldError]) -> str | None:
    value = take_single(grouped, name, errors)
    if value is None:
        return None
    problem = text_error(name, value, MAX_LENGTHS[name], multiline=name in MULTILINE_FIELDS)
    if problem is not None:
        errors.append(problem)
    return value


def _position(
    grouped: Mapping[str, list[str]], errors: list[FieldError]
) -> tuple[float | None, float | None]:
    raw_lat, raw_long = take_single(grouped, "lat", errors), take_single(grouped, "long", errors)
    if (raw_lat is None) != (raw_long is None):
        errors.append(FieldError("long" if raw_long is None else "lat", "LAT_LONG_PAIR"))
        return None, None
    if raw_lat is None or raw_long is None:
        return None, None
    lat = _coordinate("lat", raw_lat, 90, errors)
    long = _coordinate("long", raw_long, 180, errors)
    return (lat, long) if lat is not None and long is not None else (None, None)


def _coordinate(name: str, raw: str, limit: int, errors: list[FieldError]) -> float | None:
    number = parse_decimal(raw)
    if number is None:
        errors.append(FieldError(name, "FIELD_NOT_A_NUMBER"))
        return None
    if not -limit <= number <= limit:
        errors.append(FieldError(name, "FIELD_OUT_OF_RANGE", {"minimum": -limit, "maximum": limit}))
        return None
    return number


def _check_required(
    values: Mapping[str, str | None], lat: float | None, errors: list[FieldError]
) -> None:
    if values.get("service_code") is None:
        errors.append(FieldError("service_code", "FIELD_REQUIRED"))
    located = lat is not None or values.get("address_string") or values.get("address_id")
    has_position_error = any(error.field in ("lat", "long") for error in errors)
    if not located and not has_position_error:
        errors.append(FieldError("location", "LOCATION_REQUIRED"))


def _check_email(email: str | None, errors: list[FieldError]) -> None:
    """A light structural check; the address is proven by the confirmation e-mail, not by parsing."""
    if email is None:
        return
    local, at, domain = email.rpartition("@")
    labels = domain.split(".")
    if (
        not at
        or not local
        or len(labels) < 2
        or not all(labels)
        or any(char.isspace() for char in email)
    ):
        errors.append(FieldError("email", "EMAIL_INVALID"))


def _check_url(name: str, url: str | None, errors: list[FieldError]) -> None:
    if url is None:
        return
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        errors.append(FieldError(name, "URL_INVALID"))


def _attributes(
    pairs: list[tuple[str, str]], errors: list[FieldError]
) -> dict[str, AttributeAnswer]:
    singles: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    for name, value in pairs:
        if not name.startswith("attribute[") or not value.strip():
            continue
        match = ATTRIBUTE_KEY.fullmatch(name)
        if match is None or ATTRIBUTE_CODE.fullmatch(match.group(1)) is None:
            errors.append(FieldError(name, "ATTRIBUTE_CODE_INVALID"))
            continue
        problem = text_error(name, value, MAX_ATTRIBUTE_VALUE_LENGTH, multiline=True)
        if problem is not None:
            errors.append(problem)
            continue
        code = match.group(1)
        if match.group(2):
            lists.setdefault(code, []).append(value.strip())
        elif code in singles:
            errors.append(FieldError(name, "FIELD_DUPLICATED"))
        else:
            singles[code] = value.strip()
    return _merged_attributes(singles, lists, errors)


def _merged_attributes(
    singles: dict[str, str], lists: dict[str, list[str]], errors: list[FieldError]
) -> dict[str, AttributeAnswer]:
    for code in singles.keys() & lists.keys():
        errors.append(FieldError(f"attribute[{code}]", "ATTRIBUTE_MIXED"))
    for code, values in lists.items():
        if len(values) > MAX_ATTRIBUTE_VALUES:
            errors.append(
                FieldError(
                    f"attribute[{code}][]", "TOO_MANY_VALUES", {"maximum": MAX_ATTRIBUTE_VALUES}
                )
            )
    merged: dict[str, AttributeAnswer] = {
        **singles,
        **{code: tuple(values) for code, values in lists.items()},
    }
    if len(merged) > MAX_ATTRIBUTES:
        errors.append(FieldError("attribute", "TOO_MANY_VALUES", {"maximum": MAX_ATTRIBUTES}))
    return merged
