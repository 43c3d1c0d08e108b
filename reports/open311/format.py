"""Write Open311 GeoReport v2 responses as the specification shows them, in XML and JSON.

Each ``*_document`` function returns a :class:`Document` (root tag and
JSON-shaped data); :func:`render` turns it into bytes and a content type. The
XML follows the JSON by the Spark convention the specification uses: a list
becomes a wrapper element holding one child per item (``<services><service>``,
``<service_requests><request>``, ``<attributes><attribute>``, ``<values><value>``,
``<endpoints><endpoint>``, ``<formats><format>``, ``<errors><error>``), ``null``
an empty element, booleans ``true``/``false``. Date-times are ISO 8601 with
their offset, in Tokyo time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from reports.open311.types import (
    Discovery,
    Document,
    Open311Error,
    RequestCreated,
    Service,
    ServiceDefinition,
    ServiceRequest,
    TokenLookup,
)
from reports.times import w3_datetime
from reports.validation import ValidationFailed
from reports.workflow import OPEN311_STATUS, parse_status

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def discovery_document(discovery: Discovery) -> Document:
    return Document(
        "discovery",
        {
            "changeset": _changeset(discovery.changeset),
            "contact": discovery.contact,
            "key_service": discovery.key_service,
            "endpoints": [
                {
                    "specification": endpoint.specification,
                    "url": endpoint.url,
                    "changeset": _changeset(endpoint.changeset),
                    "type": endpoint.type,
                    "formats": list(endpoint.formats),
                }
                for endpoint in discovery.endpoints
            ],
        },
    )


def services_document(services: Iterable[Service]) -> Document:
    return Document(
        "services",
        [
            {
                "service_code": service.service_code,
                "service_name": service.service_name,
                "description": service.description,
                "metadata": service.metadata,
                "type": str(service.type),
                "keywords": ", ".join(service.keywords) or None,
                "group": service.group,
            }
            for service in services
        ],
    )


def service_definition_document(definition: ServiceDefinition) -> Document:
    attributes = sorted(definition.attributes, key=lambda attribute: attribute.order)
    return Document(
        "service_definition",
        {
            "service_code": definition.service_code,
            "attributes": [
                {
                    "variable": attribute.variable,
                    "code": attribute.code,
                    "datatype": str(attribute.datatype),
                    "required": attribute.required,
                    "datatype_description": attribute.datatype_description,
                    "order": attribute.order,
                    "description": attribute.description,
                    "values": [
                        {"key": value.key, "name": value.name} for value in attribute.values
                    ],
                }
                for attribute in attributes
            ],
        },
    )


def service_requests_document(requests: Iterable[ServiceRequest]) -> Document:
    return Document("service_requests", [_request(request) for request in requests])


def request_created_document(created: Iterable[RequestCreated]) -> Document:
    items = []
    for item in created:
        identity = (
            {"service_request_id": item.service_request_id}
            if item.service_request_id is not None
            else {"token": item.token}
        )
        items.append(
            {**identity, "service_notice": item.service_notice, "account_id": item.account_id}
        )
    return Document("service_requests", items)


def token_document(lookups: Iterable[TokenLookup]) -> Document:
    return Document(
        "service_requests",
        [
            {"service_request_id": lookup.service_request_id, "token": lookup.token}
            for lookup in lookups
        ],
    )


def errors_document(errors: Iterable[Open311Error]) -> Document:
    return Document(
        "errors", [{"code": error.code, "description": error.description} for error in errors]
    )


def validation_errors(
    failure: ValidationFailed, lang: str = "en", code: int = 400
) -> list[Open311Error]:
    """One Open311 error per wrong field, its description naming the field as the client sent it."""
    return [Open311Error(code, f"{error.field}: {error.message(lang)}") for error in failure.errors]


def render(document: Document, fmt: str) -> tuple[bytes, str]:
    """``(body, content type)`` for ``fmt`` ``"xml"`` or ``"json"``."""
    if fmt == "xml":
        return to_xml(document), CONTENT_TYPES["xml"]
    if fmt == "json":
        return to_json(document), CONTENT_TYPES["json"]
    raise ValueError(f"unknown Open311 format {fmt!r}")


def to_json(document: Document) -> bytes:
    return json.dumps(document.data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def to_xml(document: Document) -> bytes:
    root = ElementTree.Element(document.root)
    _fill(root, document.root, document.data)
    return XML_DECLARATION + ElementTree.tostring(root, encoding="unicode").encode("utf-8")


def _fill(element: ElementTree.Element, tag: str, value: Any) -> None:
    if isinstance(value, list):
        item_tag = ITEM_TAGS[tag]
        for item in value:
            _fill(ElementTree.SubElement(element, item_tag), item_tag, item)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), key, item)
    elif value is not None:
        element.text = _NOT_XML.sub("", _scalar_text(value))


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _request(request: ServiceRequest) -> dict[str, Any]:
    return {
        "service_request_id": request.service_request_id,
        "status": _public_status(request.status),
        "status_notes": request.status_notes,
        "service_name": request.service_name,
        "service_code": request.service_code,
        "description": request.description,
        "agency_responsible": request.agency_responsible,
        "service_notice": request.service_notice,
        "requested_datetime": w3_datetime(request.requested_datetime),
        "updated_datetime": w3_datetime(request.updated_datetime),
        "expected_datetime": _optional_datetime(request.expected_datetime),
        "address": request.address,
        "address_id": request.address_id,
        "zipcode": request.zipcode,
        "lat": request.lat,
        "long": request.long,
        "media_url": request.media_url,
    }


def _public_status(status: str) -> str:
    if status in ("open", "closed"):
        return status
    return OPEN311_STATUS[parse_status(status)]


def _optional_datetime(moment: datetime | None) -> str | None:
    return w3_datetime(moment) if moment is not None else None


def _changeset(changeset: str | datetime) -> str:
    return w3_datetime(changeset) if isinstance(changeset, datetime) else changeset
