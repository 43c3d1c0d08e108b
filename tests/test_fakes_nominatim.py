"""The fake Nominatim answers geopy's async Nominatim geocoder like Nominatim does."""

from __future__ import annotations

import time

import aiohttp
import pytest
from geopy.adapters import AioHTTPAdapter
from geopy.exc import (
    GeocoderInsufficientPrivileges,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
)
from geopy.geocoders import Nominatim

from tests.fakes.nominatim import FakeNominatim

WARD_OFFICE = (35.6940, 139.7536)


@pytest.fixture
async def osm():
    async with FakeNominatim() as server:
        server.add_place(
            *WARD_OFFICE,
            name="千代田区役所",
            name_en="Chiyoda City Office",
            category="amenity",
            kind="townhall",
            address={
                "amenity": "千代田区役所",
                "house_number": "1-1",
                "neighbourhood": "九段南一丁目",
                "city": "千代田区",
                "province": "東京都",
                "ISO3166-2-lvl4": "JP-13",
                "postcode": "102-8688",
                "country": "日本",
                "country_code": "jp",
            },
            address_en={
                "amenity": "Chiyoda City Office",
                "house_number": "1-1",
                "neighbourhood": "Kudanminami 1-chome",
                "city": "Chiyoda",
                "province": "Tokyo",
                "ISO3166-2-lvl4": "JP-13",
                "postcode": "102-8688",
                "country": "Japan",
                "country_code": "jp",
            },
        )
        yield server


@pytest.fixture
async def geocoder(osm: FakeNominatim):
    async with Nominatim(
        user_agent="madoguchi-tests",
        domain=osm.domain,
        scheme="http",
        adapter_factory=AioHTTPAdapter,
        timeout=2,
    ) as geolocator:
        yield geolocator


async def test_fake_nominatim__starts_fast():
    started = time.perf_counter()
    async with FakeNominatim() as server:
        assert server.domain.startswith("127.0.0.1:")
        assert time.perf_counter() - started < 10  # a hang guard, not a speed test


async def test_reverse__registered_place_in_japanese(geocoder: Nominatim, osm: FakeNominatim):
    location = await geocoder.reverse((35.6941, 139.7537))

    assert location.address == "千代田区役所, 1-1, 九段南一丁目, 千代田区, 東京都, 102-8688, 日本"
    assert location.raw["address"]["province"] == "東京都"
    assert (location.latitude, location.longitude) == pytest.approx(WARD_OFFICE)
    assert location.raw["class"] == "amenity" and location.raw["licence"].startswith(
        "Data © OpenStreetMap"
    )
    sent = osm.requests[0]
    assert (sent.path, sent.params["format"], sent.params["lat"]) == ("/reverse", "json", "35.6941")


async def test_reverse__english_when_asked(geocoder: Nominatim):
    location = await geocoder.reverse(WARD_OFFICE, language="en")

    assert location.raw["address"]["city"] == "Chiyoda"
    assert location.address.startswith("Chiyoda City Office") and location.address.endswith("Japan")


async def test_reverse__unknown_point_in_japan_gets_a_stable_generated_address(geocoder: Nominatim):
    first = await geocoder.reverse((34.6937, 135.5023))
    again = await geocoder.reverse((34.6937, 135.5023))

    assert first.raw["address"]["city"] == "窓口市"
    assert first.raw["address"]["country_code"] == "jp"
    assert first.address == again.address


async def test_reverse__at_sea_finds_nothing(geocoder: Nominatim):
    assert await geocoder.reverse((0.0, -140.0)) is None


async def test_search__finds_registered_places_by_words(geocoder: Nominatim):
    found = await geocoder.geocode("千代田区役所")
    by_english_words = await geocoder.geocode("chiyoda office", language="en")
    many = await geocoder.geocode("千代田区", exactly_one=False)

    assert (found.latitude, found.longitude) == pytest.approx(WARD_OFFICE)
    assert by_english_words.address.startswith("Chiyoda City Office")
    assert len(many) == 1
    assert await geocoder.geocode("存在しない町") is None


async def test_fail__server_error_until_healed(geocoder: Nominatim, osm: FakeNominatim):
    osm.fail(500)

    with pytest.raises(GeocoderServiceError):
        await geocoder.reverse(WARD_OFFICE)
    with pytest.raises(GeocoderServiceError):
        await geocoder.geocode("千代田区役所")
    osm.heal()

    assert await geocoder.reverse(WARD_OFFICE) is not None


async def test_fail__a_number_of_times_then_recovers(geocoder: Nominatim, osm: FakeNominatim):
    osm.fail(429, times=1)

    with pytest.raises(GeocoderRateLimited):
        await geocoder.reverse(WARD_OFFICE)
    assert await geocoder.reverse(WARD_OFFICE) is not None
    assert [r.status for r in osm.requests] == [429, 200]


async def test_stall__client_times_out_and_the_fake_still_closes_fast(osm: FakeNominatim):
    osm.stall()
    async with Nominatim(
        user_agent="madoguchi-tests",
        domain=osm.domain,
        scheme="http",
        adapter_factory=AioHTTPAdapter,
        timeout=0.2,
    ) as quick:
        started = time.perf_counter()
        with pytest.raises(GeocoderTimedOut):
            await quick.reverse(WARD_OFFICE)
        assert time.perf_counter() - started < 5  # the 0.2 s timeout fired, not a hang

    closing = time.perf_counter()
    await osm.__aexit__(None, None, None)
    assert time.perf_counter() - closing < 5  # closing does not wait for the hung request


async def test_user_agent__geopy_default_is_blocked(osm: FakeNominatim):
    async with Nominatim(
        domain=osm.domain, scheme="http", adapter_factory=AioHTTPAdapter
    ) as anonymous:
        with pytest.raises(GeocoderInsufficientPrivileges):
            await anonymous.reverse(WARD_OFFICE)


async def test_http__bad_coordinates_and_format_are_400(osm: FakeNominatim):
    headers = {"User-Agent": "madoguchi-tests"}
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.get(
            f"{osm.base_url}/reverse", params={"format": "json", "lat": "x"}
        ) as response:
            bad_lat = (response.status, await response.json())
        async with session.get(
            f"{osm.base_url}/search", params={"format": "xml", "q": "a"}
        ) as response:
            bad_format = response.status

    assert bad_lat[0] == 400 and bad_lat[1]["error"]["code"] == 400
    assert bad_format == 400
