"""Addresses by reverse geocoding: at once when Nominatim answers, later when it does not."""

from __future__ import annotations

import httpx
import pytest

from reports.geocoding import AddressWorker, Geocoder
from reports.models import Report
from tests.conftest import forget_other_dialect, make_settings
from tests.fakes.nominatim import FakeNominatim
from tests.reports.world import CITY_HALL, World
from tests.support.graphql import GraphQL

CITY_HALL_ADDRESS = {
    "amenity": "二本松市役所",
    "house_number": "2-2",
    "neighbourhood": "金色",
    "city": "二本松市",
    "province": "福島県",
    "postcode": "964-8601",
    "country": "日本",
    "country_code": "jp",
}


@pytest.fixture
async def osm():
    async with FakeNominatim() as server:
        server.add_place(*CITY_HALL, name="二本松市役所", address=CITY_HALL_ADDRESS)
        yield server


@pytest.fixture
async def city_with_geocoder(tmp_path, database_url, osm):
    from app import create_app

    settings = make_settings(tmp_path, database_url, NOMINATIM_URL=f"http://{osm.domain}")
    forget_other_dialect()
    application = create_app(settings, start_workers=False)
    async with (
        application.router.lifespan_context(application),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://t"
        ) as http,
    ):
        city = World(http, GraphQL(http), settings)
        await city.seed()
        yield city


async def test_address__found_at_once_when_nominatim_answers(city_with_geocoder, osm):
    hanako = await city_with_geocoder.resident()

    report = (await city_with_geocoder.submitted(hanako))["report"]

    assert report["address"].startswith("二本松市役所, 2-2, 金色, 二本松市")
    assert (await Report.get(public_id=report["id"])).address_pending is False
    assert osm.requests[-1].user_agent.startswith("madoguchi/")


async def test_address__nominatim_down__accepted_then_filled_in_later(city_with_geocoder, osm):
    hanako = await city_with_geocoder.resident()
    osm.fail(503)

    report = (await city_with_geocoder.submitted(hanako))["report"]

    assert report["address"] is None and report["status"] == "RECEIVED"
    osm.heal()
    worker = AddressWorker(Geocoder(city_with_geocoder.settings.nominatim_url), pause=0)
    assert await worker.run_once() == 1
    stored = await Report.get(public_id=report["id"])
    assert stored.address.startswith("二本松市役所") and stored.address_pending is False
    assert await worker.run_once() == 0


async def test_address__worker_stops_the_round_while_nominatim_fails(
    city_with_geocoder, osm, monkeypatch
):
    monkeypatch.setattr("reports.geocoding.INLINE_TIMEOUT", 0.2)
    hanako = await city_with_geocoder.resident()
    osm.stall()
    geocoder = Geocoder(city_with_geocoder.settings.nominatim_url, timeout=0.2)

    report = (await city_with_geocoder.submitted(hanako))["report"]  # the inline look-up times out
    worker = AddressWorker(geocoder, pause=0)

    assert await worker.run_once() == 0
    assert (await Report.get(public_id=report["id"])).address_pending is True
    osm.heal()


async def test_address__nothing_there__settled_without_an_address(world):
    async with FakeNominatim() as server:
        worker = AddressWorker(Geocoder(f"http://{server.domain}"), pause=0)
        hanako = await world.resident()
        report = (await world.submitted(hanako))["report"]
        await Report.filter(public_id=report["id"]).update(
            lat=10.0, lng=160.0
        )  # open sea, outside Japan

        assert await worker.run_once() == 1

    stored = await Report.get(public_id=report["id"])
    assert stored.address is None and stored.address_pending is False
