"""The index is built from the database at start-up, follows imports made by another process,
and shows the sites staff open and close, in every process."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import httpx
import pytest
from geo_support import data_path

from accounts.models import Role
from geo import runtime
from geo.demo import DEMO_DATA
from geo.importing import import_file
from geo.runtime import GeoRuntime
from tests.accounts.test_staff_permissions import STAFF_LOG_IN, make_staff
from tests.conftest import TEST_SECRET, forget_other_dialect, make_settings
from tests.support.graphql import GraphQL, error_codes

REPO = Path(__file__).resolve().parents[2]
NEAREST = """query($lat: Float!, $lng: Float!, $hazard: Hazard) {
  nearestShelters(lat: $lat, lng: $lng, hazard: $hazard) { shelter { id name isOpen } }
}"""
CITY_HALL = (37.5849, 140.4312)
SABAE = (35.95, 136.2)


async def names(gql, point, hazard=None) -> list[str]:
    body = await gql.data(NEAREST, {"lat": point[0], "lng": point[1], "hazard": hazard})
    return [hit["shelter"]["name"] for hit in body["nearestShelters"]]


async def test_start_up__demo_city_is_seeded_and_answered_at_once(tmp_path, database_url):
    from app import create_app

    settings = make_settings(tmp_path, database_url, NO_DEMO_SEED="0")
    forget_other_dialect()
    application = create_app(settings, start_workers=False)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            gql = GraphQL(http)
            assert (await names(gql, CITY_HALL))[:2] == ["二本松市役所", "二本松市保健センター"]
            assert "霞ヶ城公園" not in await names(gql, CITY_HALL, "FLOOD")
            aeds = await gql.data(
                "{ nearestAeds(lat: 37.5849, lng: 140.4312, limit: 1) { aed { name } } }"
            )
            assert aeds["nearestAeds"][0]["aed"]["name"] == "二本松市役所"


async def test_refresh__after_an_import__without_restart(gql, app):
    assert await names(gql, SABAE) == []
    await import_file(data_path("gsi_sabae_182079_emergency.geojson"))
    assert await names(gql, SABAE) == []  # not yet seen by this process

    assert await runtime.current().refresh() is True

    assert len(await names(gql, SABAE)) == 5
    assert await runtime.current().refresh() is False  # nothing new


@pytest.fixture
async def following_app(settings, monkeypatch):
    from app import create_app

    monkeypatch.setattr(runtime, "POLL_SECONDS", 0.1)
    forget_other_dialect()
    application = create_app(settings, start_workers=True)
    async with application.router.lifespan_context(application):
        yield application


async def test_import_from_the_command_line__running_server_notices(
    following_app, settings, tmp_path
):
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": TEST_SECRET,
        "VAR_DIR": str(tmp_path / "cli-var"),
        "NO_DEMO_SEED": "1",
    }
    command = "from cli import main; main(['import-geo', *__import__('sys').argv[1:]])"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        command,
        str(DEMO_DATA / "nihonmatsu_emergency_sites.csv"),
        cwd=REPO,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()
    assert "inserted" in output.decode()

    transport = httpx.ASGITransport(app=following_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        gql = GraphQL(http)
        deadline = time.monotonic() + 10
        while not await names(gql, CITY_HALL) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert (await names(gql, CITY_HALL))[0] == "二本松市役所"


async def staff_token(gql, role=Role.CLERK) -> str:
    email, password = await make_staff(role)
    return (await gql.data(STAFF_LOG_IN, {"e": email, "p": password}))["staffLogIn"]["accessToken"]


async def test_staff_close_and_open__shown_here_at_once_and_in_other_processes(gql, import_files):
    await import_files(DEMO_DATA / "nihonmatsu_emergency_sites.csv")
    other_process = GeoRuntime()
    await other_process.load()
    city_hall = (await gql.data(NEAREST, {"lat": CITY_HALL[0], "lng": CITY_HALL[1]}))[
        "nearestShelters"
    ][0]
    assert city_hall["shelter"]["isOpen"] is True
    token = await staff_token(gql)

    closed = await gql.op("SetShelterOpen", auth=token, id=city_hall["shelter"]["id"], isOpen=False)

    assert closed["data"]["setShelterOpen"] == {
        "id": city_hall["shelter"]["id"],
        "name": "二本松市役所",
        "isOpen": False,
    }
    hits = (await gql.data(NEAREST, {"lat": CITY_HALL[0], "lng": CITY_HALL[1]}))["nearestShelters"]
    assert hits[0]["shelter"] == {**city_hall["shelter"], "isOpen": False}  # still listed, marked
    assert other_process.shelters.nearest(*CITY_HALL, 1, 0, None)[0][0].is_open is True
    assert await other_process.refresh() is True
    assert other_process.shelters.nearest(*CITY_HALL, 1, 0, None)[0][0].is_open is False

    await gql.op("SetShelterOpen", auth=token, id=city_hall["shelter"]["id"], isOpen=True)
    await other_process.refresh()
    assert other_process.shelters.nearest(*CITY_HALL, 1, 0, None)[0][0].is_open is True
    one = await gql.data(
        "query($id: ID!) { shelter(id: $id) { isOpen } }", {"id": city_hall["shelter"]["id"]}
    )
    assert one == {"shelter": {"isOpen": True}}


async def test_open_close__only_staff(gql, import_files):
    await import_files(DEMO_DATA / "nihonmatsu_emergency_sites.csv")
    site = (await gql.data(NEAREST, {"lat": CITY_HALL[0], "lng": CITY_HALL[1]}))["nearestShelters"][
        0
    ]
    resident = await gql.sign_up()
    anonymous = await gql.op("SetShelterOpen", id=site["shelter"]["id"], isOpen=False)
    as_resident = await gql.op(
        "SetShelterOpen", auth=resident.token, id=site["shelter"]["id"], isOpen=False
    )
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert error_codes(as_resident) == ["FORBIDDEN"]
    token = await staff_token(gql, Role.FIELD_STAFF)
    unknown = await gql.op(
        "SetShelterOpen", auth=token, id="00000000-0000-0000-0000-000000000000", isOpen=False
    )
    not_an_id = await gql.op("SetShelterOpen", auth=token, id="x", isOpen=False)
    assert error_codes(unknown) == ["NOT_FOUND"] and error_codes(not_an_id) == ["NOT_FOUND"]
    hits = (await gql.data(NEAREST, {"lat": CITY_HALL[0], "lng": CITY_HALL[1]}))["nearestShelters"]
    assert all(hit["shelter"]["isOpen"] for hit in hits)


async def test_reload_geo_index__staff_only_and_counts(gql, app):
    await import_file(DEMO_DATA / "nihonmatsu_emergency_sites.csv")
    await import_file(DEMO_DATA / "nihonmatsu_aeds.csv")
    query = "mutation { reloadGeoIndex { places aeds dataVersion } }"
    assert error_codes(await gql(query)) == ["UNAUTHENTICATED"]
    status = (await gql.data(query, auth=await staff_token(gql)))["reloadGeoIndex"]
    assert status == {"places": 10, "aeds": 7, "dataVersion": 2}
    assert len(await names(gql, CITY_HALL)) == 5


async def test_max_distance__only_places_within(gql, import_files):
    await import_files(DEMO_DATA / "nihonmatsu_emergency_sites.csv")
    query = """query($max: Float) { nearestShelters(lat: 37.5849, lng: 140.4312, limit: 50,
      maxDistanceMeters: $max) { distanceMeters } }"""
    everything = (await gql.data(query, {"max": None}))["nearestShelters"]
    within = (await gql.data(query, {"max": 1000}))["nearestShelters"]
    assert len(everything) == 10
    assert within == [hit for hit in everything if hit["distanceMeters"] <= 1000]
    assert 0 < len(within) < 10
    assert (await gql.data(query, {"max": 0}))["nearestShelters"] == [{"distanceMeters": 0.0}]
