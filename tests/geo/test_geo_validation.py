"""Bad coordinates, limits and distances are refused with VALIDATION and the field at fault."""

from __future__ import annotations

import json

import pytest

from tests.support.graphql import error_codes

SHELTERS = """query($lat: Float!, $lng: Float!, $limit: Int! = 5, $max: Float) {
  nearestShelters(lat: $lat, lng: $lng, limit: $limit, maxDistanceMeters: $max) { distanceMeters }
}"""
AEDS = """query($lat: Float!, $lng: Float!, $limit: Int! = 5) {
  nearestAeds(lat: $lat, lng: $lng, limit: $limit) { distanceMeters }
}"""


async def post_raw(client, body: str, language: str = "ja") -> dict:
    response = await client.post(
        "/graphql",
        content=body.encode(),
        headers={"content-type": "application/json", "accept-language": language},
    )
    assert response.status_code == 200, response.text
    return response.json()


def raw_body(query: str, variables: dict[str, str]) -> str:
    """A JSON body whose variables are written as given (NaN, 1e309: what lenient encoders send)."""
    written = ", ".join(f'"{name}": {value}' for name, value in variables.items())
    return f'{{"query": {json.dumps(query)}, "variables": {{{written}}}}}'


def fields(body):
    return [(e["extensions"]["code"], e["extensions"].get("field")) for e in body["errors"]]


OUT_OF_RANGE = [
    ({"lat": 91, "lng": 140}, "lat"),
    ({"lat": -90.000001, "lng": 140}, "lat"),
    ({"lat": 37, "lng": 180.5}, "lng"),
    ({"lat": 37, "lng": -181}, "lng"),
    ({"lat": 37, "lng": 140, "limit": 51}, "limit"),
    ({"lat": 37, "lng": 140, "limit": 0}, "limit"),
    ({"lat": 37, "lng": 140, "limit": -3}, "limit"),
]


@pytest.mark.parametrize("query", [SHELTERS, AEDS], ids=["shelters", "aeds"])
async def test_out_of_range__validation_error_naming_the_field(gql, query):
    for variables, field in OUT_OF_RANGE:
        body = await gql(query, variables)
        assert body["data"] is None
        assert fields(body) == [("VALIDATION", field)], variables


async def test_negative_or_infinite_distance__validation_error(gql):
    body = await gql(SHELTERS, {"lat": 37, "lng": 140, "max": -1})
    assert fields(body) == [("VALIDATION", "maxDistanceMeters")]
    inline = await gql(
        "{ nearestShelters(lat: 37, lng: 140, maxDistanceMeters: 1e999) { distanceMeters } }"
    )
    assert fields(inline) == [("VALIDATION", "maxDistanceMeters")]


@pytest.mark.parametrize("query", [SHELTERS, AEDS], ids=["shelters", "aeds"])
async def test_not_finite_in_json__validation_error(client, query):
    for name in ("lat", "lng"):
        for value in ("NaN", "Infinity", "-Infinity", "1e309", "-1e400"):
            variables = {"lat": "37.5", "lng": "140.4", name: value}
            body = await post_raw(client, raw_body(query, variables))
            assert fields(body) == [("VALIDATION", name)], variables


async def test_not_finite_literal__validation_error(gql):
    body = await gql("{ nearestShelters(lat: 1e309, lng: 140) { distanceMeters } }")
    assert fields(body) == [("VALIDATION", "lat")]


async def test_messages__in_the_callers_language(client):
    body = {"query": SHELTERS, "variables": {"lat": 91, "lng": 140}}
    english = await post_raw(client, json.dumps(body), language="en-GB")
    japanese = await post_raw(client, json.dumps(body), language="ja")
    assert english["errors"][0]["message"] == "The latitude must be a number from -90 to 90."
    assert japanese["errors"][0]["message"] == "緯度は -90 から 90 までの数値で指定してください。"
    infinite = await post_raw(client, raw_body(SHELTERS, {"lat": "1e309", "lng": "1"}), "en")
    assert (
        infinite["errors"][0]["message"] == "Please check your input: lat must be a finite number."
    )


async def test_not_a_number_or_unknown_hazard__bad_query(gql):
    text = await gql(SHELTERS, {"lat": "north", "lng": 140})
    hazard = await gql(
        "query($h: Hazard) { nearestShelters(lat: 1, lng: 1, hazard: $h) { distanceMeters } }",
        {"h": "METEOR"},
    )
    assert error_codes(text) == ["BAD_QUERY"] and error_codes(hazard) == ["BAD_QUERY"]


async def test_edges_of_the_range__accepted(gql):
    for lat, lng in [(90, 180), (-90, -180), (0, 0)]:
        body = await gql(SHELTERS, {"lat": lat, "lng": lng, "limit": 50})
        assert body == {"data": {"nearestShelters": []}}
