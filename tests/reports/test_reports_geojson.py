from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from reports.map.bbox import BBox, bbox_error, parse_bbox
from reports.map.geojson import CONTENT_TYPE, PUBLIC_PROPERTIES, feature, feature_collection
from reports.times import parse_w3_datetime, w3_datetime
from reports.validation import ValidationFailed, parse_decimal

CREATED = datetime(2025, 4, 1, 0, 30, tzinfo=UTC)
UPDATED = datetime(2025, 4, 2, 3, 0, tzinfo=UTC)


def report(**overrides):
    base = {
        "id": "6f1c2b9e-5d0a-4c3e-9b7a-1e2d3c4b5a69",
        "lat": 35.6072221234,
        "lng": 140.1063889876,
        "status": "in_progress",
        "service_code": "road-pothole",
        "service_name": "道路の穴",
        "description": "歩道の段差が大きい",
        "address": "千葉市中央区千葉港1-1",
        "created_at": CREATED,
        "updated_at": UPDATED,
        "media_url": "https://city.example/media/reports/a.jpg",
        "thumb_url": "https://city.example/media/reports/a-thumb.jpg",
        # private: must never appear in the feed
        "reporter_name": "山田太郎",
        "reporter_email": "taro@example.jp",
        "reporter_phone": "090-1234-5678",
        "staff_note": "INTERNAL-NOTE",
        "assignee": "road-team-7",
        "account_id": "acct-991",
    }
    return {**base, **overrides}


# --- GeoJSON -----------------------------------------------------------------------------------


def test_feature__point_in_lng_lat_order_rounded_to_six_decimals():
    item = feature(report())

    assert item["type"] == "Feature"
    assert item["geometry"] == {"type": "Point", "coordinates": [140.106389, 35.607222]}
    assert item["id"] == "6f1c2b9e-5d0a-4c3e-9b7a-1e2d3c4b5a69"


def test_feature__public_properties_only():
    item = feature(report())

    assert list(item["properties"]) == list(PUBLIC_PROPERTIES)
    assert item["properties"]["status"] == "in_progress"
    assert item["properties"]["public_status"] == "open"
    assert item["properties"]["requested_datetime"] == "2025-04-01T09:30:00+09:00"
    assert item["properties"]["updated_datetime"] == "2025-04-02T12:00:00+09:00"


def test_feature_collection__no_private_value_anywhere_in_the_output():
    text = json.dumps(
        feature_collection([report(), report(id="b", lat=35.0, lng=140.0)]), ensure_ascii=False
    )

    for private in (
        "山田太郎",
        "taro@example.jp",
        "090-1234-5678",
        "INTERNAL-NOTE",
        "road-team-7",
        "acct-991",
        "reporter",
        "assignee",
        "staff_note",
        "account_id",
    ):
        assert private not in text


def test_feature_collection__shape_and_bbox():
    collection = feature_collection(
        [report(id="a", lat=35.5, lng=140.2), report(id="b", lat=35.7, lng=140.0)]
    )

    assert collection["type"] == "FeatureCollection"
    assert [item["id"] for item in collection["features"]] == ["a", "b"]
    assert collection["bbox"] == [140.0, 35.5, 140.2, 35.7]
    assert CONTENT_TYPE == "application/geo+json"


def test_feature_collection__empty_has_no_bbox():
    assert feature_collection([]) == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize(
    "position",
    [
        {"lat": None, "lng": 140.0},
        {"lat": 35.0, "lng": None},
        {"lat": float("nan"), "lng": 140.0},
        {"lat": 91.0, "lng": 140.0},
        {"lat": 35.0, "lng": -181.0},
        {"lat": "35.0", "lng": "140.0"},
        {"lat": True, "lng": 140.0},
    ],
)
def test_feature_collection__reports_without_a_usable_position_left_out(position):
    collection = feature_collection([report(id="ok"), report(id="bad", **position)])

    assert [item["id"] for item in collection["features"]] == ["ok"]


def test_feature__decimal_coordinates_from_the_database_accepted():
    item = feature(report(lat=Decimal("35.6000001"), lng=Decimal("140.1")))

    assert item["geometry"]["coordinates"] == [140.1, 35.6]


def test_feature__missing_optional_fields_are_null():
    item = feature({"id": 7, "lat": 35.0, "lng": 140.0})

    assert item["id"] == "7"
    assert all(item["properties"][name] is None for name in PUBLIC_PROPERTIES)


def test_feature_collection__properties_can_be_narrowed():
    collection = feature_collection([report()], properties=["status", "service_code"])

    assert collection["features"][0]["properties"] == {
        "status": "in_progress",
        "service_code": "road-pothole",
    }


def test_feature_collection__properties_cannot_be_widened():
    with pytest.raises(ValueError):
        feature_collection([report()], properties=["status", "reporter_email"])


def test_feature_collection__is_plain_json():
    assert json.loads(json.dumps(feature_collection([report()]))) == feature_collection([report()])


# --- bbox --------------------------------------------------------------------------------------------


def test_parse_bbox__west_south_east_north():
    box = parse_bbox("140.0,35.5,140.3,35.8")

    assert box == BBox(min_lng=140.0, min_lat=35.5, max_lng=140.3, max_lat=35.8)
    assert box.as_list() == [140.0, 35.5, 140.3, 35.8]
    assert (
        box.contains(35.6, 140.1)
        and not box.contains(35.6, 139.9)
        and not box.contains(35.9, 140.1)
    )


def test_parse_bbox__a_point_is_a_valid_box():
    assert parse_bbox("140,35,140,35").contains(35, 140)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "BBOX_INVALID"),
        ("140,35,141", "BBOX_INVALID"),
        ("140,35,141,36,1", "BBOX_INVALID"),
        ("a,b,c,d", "BBOX_INVALID"),
        ("nan,35,141,36", "BBOX_INVALID"),
        ("inf,35,141,36", "BBOX_INVALID"),
        ("1_40,35,141,36", "BBOX_INVALID"),
        ("140;35;141;36", "BBOX_INVALID"),
        ("181,35,182,36", "BBOX_OUT_OF_RANGE"),
        ("140,-91,141,36", "BBOX_OUT_OF_RANGE"),
        ("141,35,140,36", "BBOX_REVERSED"),
        ("140,36,141,35", "BBOX_REVERSED"),
        ("179,35,-179,36", "BBOX_REVERSED"),
    ],
)
def test_parse_bbox__bad_values_name_the_problem(value, code):
    with pytest.raises(ValidationFailed) as caught:
        parse_bbox(value)

    assert caught.value.fields == {"bbox": code}
    assert bbox_error(value, "bounds").field == "bounds"


def test_bbox_error__none_for_a_good_box():
    assert bbox_error(" 140.0, 35.5 ,140.3,35.8") is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("35", 35.0),
        ("-122.4212043", -122.4212043),
        ("+1.5", 1.5),
        (".5", 0.5),
        ("1e2", 100.0),
        (" 2 ", 2.0),
    ],
)
def test_parse_decimal__plain_numbers(text, number):
    assert parse_decimal(text) == number


@pytest.mark.parametrize(
    "text", ["", "nan", "NaN", "inf", "-Infinity", "1_000", "١٢", "1e999", "0x10", "1,5", "."]
)
def test_parse_decimal__refuses_what_float_would_take_or_choke_on(text):
    assert parse_decimal(text) is None


# --- date-times ----------------------------------------------------------------------------------


def test_w3_datetime__tokyo_offset_and_seconds():
    assert (
        w3_datetime(datetime(2010, 4, 14, 14, 37, 38, 123456, tzinfo=UTC))
        == "2010-04-14T23:37:38+09:00"
    )


def test_w3_datetime__naive_refused():
    with pytest.raises(ValueError):
        w3_datetime(datetime(2010, 4, 14))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2010-01-01T00:00:00Z", datetime(2010, 1, 1, tzinfo=UTC)),
        ("1994-11-05T08:15:30-05:00", datetime(1994, 11, 5, 13, 15, 30, tzinfo=UTC)),
        ("2025-04-01", datetime(2025, 3, 31, 15, 0, tzinfo=UTC)),
    ],
)
def test_parse_w3_datetime__instants(text, expected):
    assert parse_w3_datetime(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2010-01-01T00:00:00", "no timezone"),
        ("yesterday", "invalid"),
        ("2010-13-01", "invalid"),
        ("2010-02-30T00:00:00Z", "invalid"),
    ],
)
def test_parse_w3_datetime__refusals(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_w3_datetime(text)
