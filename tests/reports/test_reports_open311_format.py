from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from defusedxml import ElementTree as SafeElementTree

from reports.open311.format import (
    CONTENT_TYPES,
    discovery_document,
    errors_document,
    render,
    request_created_document,
    service_definition_document,
    service_requests_document,
    services_document,
    to_json,
    to_xml,
    token_document,
    validation_errors,
)
from reports.open311.types import (
    AttributeValue,
    Datatype,
    Discovery,
    Endpoint,
    Open311Error,
    RequestCreated,
    Service,
    ServiceAttribute,
    ServiceDefinition,
    ServiceRequest,
    ServiceType,
    TokenLookup,
)
from reports.validation import FieldError, ValidationFailed

# Field names and their order, as in the GeoReport v2 and Service Discovery pages.
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]  # fmt: skip
DISCOVERY_FIELDS = ["changeset", "contact", "key_service", "endpoints"]
ENDPOINT_FIELDS = ["specification", "url", "changeset", "type", "formats"]
LIST_TAGS = {
    "services",
    "service_requests",
    "errors",
    "endpoints",
    "formats",
    "attributes",
    "values",
}

REQUESTED = datetime(2025, 4, 14, 6, 37, 38, tzinfo=UTC)


def parse_xml(body: bytes):
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    return SafeElementTree.fromstring(body)


def spark(element):
    """XML back to JSON shape by the Spark convention, scalars as text."""
    if element.tag in LIST_TAGS:
        return [spark(child) for child in element]
    if len(element):
        return {child.tag: spark(child) for child in element}
    return element.text


def as_text(data):
    """JSON data with scalars written as the XML writes them."""
    if isinstance(data, list):
        return [as_text(item) for item in data]
    if isinstance(data, dict):
        return {key: as_text(value) for key, value in data.items()}
    if isinstance(data, bool):
        return "true" if data else "false"
    return None if data is None else str(data)


def assert_xml_matches_json(document) -> None:
    root = parse_xml(to_xml(document))
    assert root.tag == document.root
    assert spark(root) == as_text(json.loads(to_json(document)))


def pothole_request(**overrides) -> ServiceRequest:
    fields = {
        "service_request_id": "R-2025-000123",
        "status": "in_progress",
        "service_code": "road-pothole",
        "service_name": "道路の穴・段差",
        "requested_datetime": REQUESTED,
        "updated_datetime": datetime(2025, 4, 15, 1, 0, tzinfo=UTC),
        "status_notes": "現地確認済み",
        "description": '歩道に深さ10cmの穴 <danger> & "quotes"',
        "agency_responsible": "土木事務所",
        "expected_datetime": datetime(2025, 4, 21, 6, 37, 38, tzinfo=UTC),
        "address": "千葉市中央区千葉港1-1",
        "lat": 35.6072221,
        "long": 140.1063889,
        "media_url": "https://city.example/media/reports/a.jpg",
    }
    return ServiceRequest(**{**fields, **overrides})


DEFINITION = ServiceDefinition(
    "road-pothole",
    [
        ServiceAttribute("SIZE", Datatype.SINGLEVALUELIST, "穴の大きさ", order=2, required=True,
                         values=[AttributeValue("S", "小"), AttributeValue("L", "大")]),
        ServiceAttribute("NOTE", Datatype.TEXT, "補足", order=1),
    ],
)  # fmt: skip


# --- discovery ---------------------------------------------------------------------------------


def test_discovery__fields_and_nested_formats():
    document = discovery_document(
        Discovery(
            changeset=datetime(2025, 4, 1, tzinfo=UTC),
            contact="市民の声係 03-0000-0000",
            key_service="https://city.example/open311/key",
            endpoints=[
                Endpoint(url="https://city.example/open311/v2", changeset="2025-04-01 09:00"),
                Endpoint(url="https://test.city.example/open311/v2", changeset="2025-03-01", type="test",
                         formats=["text/xml"]),
            ],
        )
    )  # fmt: skip

    root = parse_xml(to_xml(document))
    assert [child.tag for child in root] == DISCOVERY_FIELDS
    endpoints = root.find("endpoints").findall("endpoint")
    assert [child.tag for child in endpoints[0]] == ENDPOINT_FIELDS
    assert [item.text for item in endpoints[0].find("formats").findall("format")] == [
        "text/xml",
        "application/json",
    ]
    assert endpoints[0].findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert root.findtext("changeset") == "2025-04-01T09:00:00+09:00"
    assert json.loads(to_json(document))["endpoints"][1]["formats"] == ["text/xml"]
    assert_xml_matches_json(document)


# --- services -------------------------------------------------------------------------------------


def test_services__each_service_element_has_the_spec_fields_in_order():
    document = services_document(
        [
            Service("road-pothole", "道路の穴・段差", "車道や歩道の穴", metadata=True, keywords=["道路", "pothole"],
                    group="道路"),
            Service("light-broken", "街灯の故障", type=ServiceType.BATCH),
        ]
    )  # fmt: skip

    root = parse_xml(to_xml(document))
    assert root.tag == "services"
    services = root.findall("service")
    assert [child.tag for child in services[0]] == SERVICE_FIELDS
    assert (
        services[0].findtext("metadata") == "true" and services[1].findtext("metadata") == "false"
    )
    assert services[0].findtext("keywords") == "道路, pothole"
    assert services[1].findtext("type") == "batch"
    data = json.loads(to_json(document))
    assert list(data[0]) == SERVICE_FIELDS
    assert data[0]["metadata"] is True and data[1]["group"] is None and data[1]["keywords"] is None
    assert_xml_matches_json(document)


def test_services__empty_list():
    assert parse_xml(to_xml(services_document([]))).tag == "services"
    assert json.loads(to_json(services_document([]))) == []


# --- service definition ------------------------------------------------------------------------


def test_service_definition__attributes_by_order_with_values():
    document = service_definition_document(DEFINITION)

    root = parse_xml(to_xml(document))
    assert [child.tag for child in root] == ["service_code", "attributes"]
    attributes = root.find("attributes").findall("attribute")
    assert [attribute.findtext("code") for attribute in attributes] == ["NOTE", "SIZE"]
    assert [child.tag for child in attributes[1]] == ATTRIBUTE_FIELDS
    values = attributes[1].find("values").findall("value")
    assert [(value.findtext("key"), value.findtext("name")) for value in values] == [
        ("S", "小"),
        ("L", "大"),
    ]
    assert (
        attributes[1].findtext("required") == "true"
        and attributes[1].findtext("variable") == "true"
    )
    data = json.loads(to_json(document))
    assert (
        data["attributes"][0]["datatype_description"] is None
        and data["attributes"][0]["values"] == []
    )
    assert data["attributes"][1]["order"] == 2
    assert_xml_matches_json(document)


@pytest.mark.parametrize(
    "build",
    [
        lambda: ServiceAttribute("X", Datatype.STRING, "x", order=0),
        lambda: ServiceAttribute("X", Datatype.SINGLEVALUELIST, "x", order=1),
        lambda: ServiceAttribute("X", Datatype.TEXT, "x", order=1, values=[AttributeValue("a", "A")]),
        lambda: ServiceDefinition("c", [ServiceAttribute("X", Datatype.TEXT, "x", order=1),
                                        ServiceAttribute("X", Datatype.TEXT, "y", order=2)]),
        lambda: ServiceDefinition("c", [ServiceAttribute("X", Datatype.TEXT, "x", order=1),
                                        ServiceAttribute("Y", Datatype.TEXT, "y", order=1)]),
    ],
)  # fmt: skip
def test_service_definition__inconsistent_definitions_refused(build):
    with pytest.raises(ValueError):
        build()


# --- service requests ----------------------------------------------------------------------------


def test_service_requests__every_spec_field_in_order_with_offsets():
    document = service_requests_document(
        [pothole_request(), pothole_request(service_request_id="2", status="resolved")]
    )

    root = parse_xml(to_xml(document))
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert [child.tag for child in requests[0]] == REQUEST_FIELDS
    assert requests[0].findtext("status") == "open" and requests[1].findtext("status") == "closed"
    assert requests[0].findtext("requested_datetime") == "2025-04-14T15:37:38+09:00"
    assert (
        requests[0].findtext("lat") == "35.6072221"
        and requests[0].findtext("long") == "140.1063889"
    )
    assert requests[0].findtext("description") == '歩道に深さ10cmの穴 <danger> & "quotes"'
    data = json.loads(to_json(document))
    assert list(data[0]) == REQUEST_FIELDS
    assert data[0]["lat"] == 35.6072221 and data[0]["zipcode"] is None
    assert_xml_matches_json(document)


def test_service_requests__markup_in_text_is_escaped_not_interpreted():
    body = to_xml(
        service_requests_document([pothole_request(description="</description><injected/>")])
    )

    assert b"<injected/>" not in body
    request = parse_xml(body).find("request")
    assert request.find("injected") is None
    assert request.findtext("description") == "</description><injected/>"


def test_service_requests__characters_xml_cannot_carry_are_dropped_from_xml_only():
    document = service_requests_document([pothole_request(description="bell\x07 nul\x00 ok\n")])

    assert parse_xml(to_xml(document)).find("request").findtext("description") == "bell nul ok\n"
    assert json.loads(to_json(document))[0]["description"] == "bell\x07 nul\x00 ok\n"


def test_service_requests__optional_fields_empty_in_xml_null_in_json():
    document = service_requests_document(
        [
            pothole_request(
                status_notes=None, expected_datetime=None, lat=None, long=None, media_url=None
            )
        ]
    )

    request = parse_xml(to_xml(document)).find("request")
    assert (
        request.find("expected_datetime") is not None
        and request.find("expected_datetime").text is None
    )
    assert json.loads(to_json(document))[0]["long"] is None


@pytest.mark.parametrize(
    ("status", "public"),
    [
        ("open", "open"),
        ("closed", "closed"),
        ("received", "open"),
        ("duplicate", "closed"),
        ("rejected", "closed"),
    ],
)
def test_service_requests__status_is_always_open_or_closed(status, public):
    data = json.loads(to_json(service_requests_document([pothole_request(status=status)])))

    assert data[0]["status"] == public


def test_service_requests__naive_datetime_refused():
    with pytest.raises(ValueError):
        service_requests_document([pothole_request(requested_datetime=datetime(2025, 4, 1))])


# --- POST response and tokens ------------------------------------------------------------------


def test_request_created__id_or_token_never_both():
    document = request_created_document(
        [
            RequestCreated(service_request_id="R-1", service_notice="3営業日以内に確認します"),
            RequestCreated(token="T-9"),
        ]
    )

    root = parse_xml(to_xml(document))
    assert root.tag == "service_requests"
    first, second = root.findall("request")
    assert [child.tag for child in first] == ["service_request_id", "service_notice", "account_id"]
    assert [child.tag for child in second] == ["token", "service_notice", "account_id"]
    data = json.loads(to_json(document))
    assert data == [
        {
            "service_request_id": "R-1",
            "service_notice": "3営業日以内に確認します",
            "account_id": None,
        },
        {"token": "T-9", "service_notice": None, "account_id": None},
    ]
    assert_xml_matches_json(document)


@pytest.mark.parametrize("fields", [{}, {"service_request_id": "R-1", "token": "T-1"}])
def test_request_created__needs_exactly_one_identity(fields):
    with pytest.raises(ValueError):
        RequestCreated(**fields)


def test_token_lookup__id_and_token():
    document = token_document(
        [TokenLookup(token="T-9", service_request_id="R-1"), TokenLookup(token="T-10")]
    )

    requests = parse_xml(to_xml(document)).findall("request")
    assert [child.tag for child in requests[0]] == ["service_request_id", "token"]
    assert json.loads(to_json(document))[1] == {"service_request_id": None, "token": "T-10"}
    assert_xml_matches_json(document)


# --- errors --------------------------------------------------------------------------------------


def test_errors__code_and_description():
    document = errors_document([Open311Error(403, "Invalid api_key received")])

    root = parse_xml(to_xml(document))
    assert root.tag == "errors"
    error = root.find("error")
    assert [child.tag for child in error] == ["code", "description"]
    assert error.findtext("code") == "403"
    assert json.loads(to_json(document)) == [
        {"code": 403, "description": "Invalid api_key received"}
    ]


def test_validation_errors__one_error_per_field_in_the_chosen_language():
    failure = ValidationFailed(
        [FieldError("lat", "FIELD_NOT_A_NUMBER"), FieldError("location", "LOCATION_REQUIRED")]
    )

    english = validation_errors(failure, "en")
    japanese = validation_errors(failure, "ja")

    assert english == [
        Open311Error(400, "lat: lat must be a number."),
        Open311Error(
            400, "location: A location is required: lat and long, address_string or address_id."
        ),
    ]
    assert japanese[0].description == "lat: lat は数値で指定してください。"


# --- rendering -----------------------------------------------------------------------------------


def test_render__body_and_content_type_per_format():
    document = services_document([Service("a", "A")])

    xml_body, xml_type = render(document, "xml")
    json_body, json_type = render(document, "json")

    assert xml_type == CONTENT_TYPES["xml"] == "text/xml; charset=utf-8"
    assert json_type == "application/json; charset=utf-8"
    assert parse_xml(xml_body).tag == "services" and json.loads(json_body)[0]["service_code"] == "a"


def test_render__unknown_format_refused():
    with pytest.raises(ValueError):
        render(services_document([]), "csv")


def test_json__utf8_not_escaped():
    body = to_json(services_document([Service("a", "道路")]))

    assert "道路".encode() in body
