"""The resources of Open311 GeoReport v2, as plain records.

Field names are the specification's own (http://wiki.open311.org/GeoReport_v2,
http://wiki.open311.org/Service_Discovery), so a reader can hold the two side
by side. :mod:`reports.open311.format` writes them as XML or JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


class ServiceType(StrEnum):
    REALTIME = "realtime"  # the service_request_id comes back at once
    BATCH = "batch"  # a token comes back, to be exchanged for the id later
    BLACKBOX = "blackbox"  # nothing comes back


class Datatype(StrEnum):
    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLEVALUELIST = "singlevaluelist"
    MULTIVALUELIST = "multivaluelist"


AttributeAnswer = str | tuple[str, ...]  # one value, or the values of a multivaluelist

LIST_DATATYPES = frozenset({Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST})


@dataclass(frozen=True, slots=True)
class Endpoint:
    url: str
    changeset: str | datetime
    type: str = "production"  # or "test"
    formats: Sequence[str] = ("text/xml", "application/json")
    specification: str = SPECIFICATION


@dataclass(frozen=True, slots=True)
class Discovery:
    changeset: str | datetime
    contact: str
    key_service: str
    endpoints: Sequence[Endpoint]


@dataclass(frozen=True, slots=True)
class Service:
    service_code: str
    service_name: str
    description: str | None = None
    metadata: bool = False  # true: clients must fetch the service definition
    type: ServiceType = ServiceType.REALTIME
    keywords: Sequence[str] = ()
    group: str | None = None


@dataclass(frozen=True, slots=True)
class AttributeValue:
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class ServiceAttribute:
    code: str
    datatype: Datatype
    description: str
    order: int
    required: bool = False
    variable: bool = True  # false: information shown to the user, not a question
    datatype_description: str | None = None
    values: Sequence[AttributeValue] = ()

    def __post_init__(self) -> None:
        if self.order < 1:
            raise ValueError("attribute order starts at 1")
        if (self.datatype in LIST_DATATYPES) != bool(self.values):
            raise ValueError("values are given exactly for singlevaluelist and multivaluelist")


@dataclass(frozen=True, slots=True)
class ServiceDefinition:
    service_code: str
    attributes: Sequence[ServiceAttribute] = ()

    def __post_init__(self) -> None:
        codes = [attribute.code for attribute in self.attributes]
        orders = [attribute.order for attribute in self.attributes]
        if len(set(codes)) != len(codes) or len(set(orders)) != len(orders):
            raise ValueError("attribute codes and orders must be unique within a service")

    def attribute(self, code: str) -> ServiceAttribute | None:
        return next((attribute for attribute in self.attributes if attribute.code == code), None)


@dataclass(frozen=True, slots=True)
class ServiceRequest:
    """One request as GET /requests shows it; ``status`` may be an internal status or open/closed."""

    service_request_id: str
    status: str
    service_code: str
    service_name: str
    requested_datetime: datetime
    updated_datetime: datetime
    status_notes: str | None = None
    description: str | None = None
    agency_responsible: str | None = None
    service_notice: str | None = None
    expected_datetime: datetime | None = None
    address: str | None = None
    address_id: str | None = None
    zipcode: str | None = None
    lat: float | None = None
    long: float | None = None
    media_url: str | None = None


@dataclass(frozen=True, slots=True)
class RequestCreated:
    """The answer to POST /requests: an id (realtime) or a token (batch), never both."""

    service_request_id: str | None = None
    token: str | None = None
    service_notice: str | None = None
    account_id: str | None = None

    def __post_init__(self) -> None:
        if (self.service_request_id is None) == (self.token is None):
            raise ValueError("give exactly one of service_request_id and token")


@dataclass(frozen=True, slots=True)
class TokenLookup:
    token: str
    service_request_id: str | None = None  # None while the request is still queued


@dataclass(frozen=True, slots=True)
class Open311Error:
    """``code`` is usually the HTTP status; ``description`` is meant for the user."""

    code: int | str
    description: str


@dataclass(frozen=True, slots=True)
class Document:
    """A response ready to render: the XML root tag and the JSON-shaped data."""

    root: str
    data: list[dict[str, Any]] | dict[str, Any] = field(default_factory=list)
