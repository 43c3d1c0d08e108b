"""The status board over plain HTTP: GeoJSON open data with an ETag, and a page that needs no
JavaScript, both showing what staff last reported."""

from __future__ import annotations

import json

from accounts.models import Role
from geo.models import Shelter
from tests.disaster.town import Town

HALL = "二本松市民会館"
GEOJSON = "/shelters/status.geojson"


async def features(client, **params) -> dict[str, dict]:
    response = await client.get(GEOJSON, params=params)
    assert response.status_code == 200, response.text
    return {f["properties"]["name"]: f for f in response.json()["features"]}


async def test_geojson__headcount_and_full_after_staff_update__no_log_in(town: Town, client):
    field = await town.staff(role=Role.FIELD_STAFF)
    await town.set_status(field, HALL, "OPEN")
    await town.update(field, HALL, capacity=120, headcount=120, offers=["WATER", "BLANKETS"])

    response = await client.get(GEOJSON)

    assert response.headers["content-type"] == "application/geo+json"
    assert response.headers["access-control-allow-origin"] == "*"
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and "国土地理院" in collection["attribution"]
    hall = next(f for f in collection["features"] if f["properties"]["name"] == HALL)
    shelter = await town.shelter(HALL)
    assert hall["id"] == str(shelter.public_id)
    assert hall["geometry"] == {"type": "Point", "coordinates": [shelter.lng, shelter.lat]}
    properties = hall["properties"]
    assert (properties["status"], properties["statusLabel"]) == ("FULL", "満")
    assert (properties["capacity"], properties["headcount"]) == (120, 120)
    assert (properties["crowding"], properties["crowdingLabel"]) == ("FULL", "満")
    assert properties["offers"] == ["WATER", "BLANKETS"]
    assert properties["offerLabels"] == ["給水", "毛布"]
    assert properties["updatedAt"].endswith("+09:00")
    assert collection["features"][0]["properties"]["name"] == HALL  # opened places first
    english = await features(client, lang="en")
    assert english[HALL]["properties"]["crowdingLabel"] == "Full"


async def test_geojson__etag_304_until_staff_change_something(town: Town, client):
    field = await town.staff(role=Role.FIELD_STAFF)
    first = await client.get(GEOJSON)
    tag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]

    again = await client.get(GEOJSON, headers={"if-none-match": tag})
    weak = await client.get(GEOJSON, headers={"if-none-match": f'"other", W/{tag}'})
    assert (again.status_code, again.content, weak.status_code) == (304, b"", 304)
    await town.update(field, HALL, headcount=7)
    changed = await client.get(GEOJSON, headers={"if-none-match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert json.loads(changed.content)["features"]


async def test_geojson__area_and_status_filters__bad_values_400(town: Town, client):
    field = await town.staff(role=Role.FIELD_STAFF)
    await town.set_status(field, HALL, "OPEN")
    opened = await features(client, status="OPEN,FULL")
    assert list(opened) == [HALL]
    shelter = await town.shelter(HALL)
    box = f"{shelter.lng - 0.0005},{shelter.lat - 0.0005},{shelter.lng + 0.0005},{shelter.lat + 0.0005}"
    assert list(await features(client, bbox=box)) == [HALL]
    for params, field_name in (({"bbox": "1,2,3"}, "bbox"), ({"status": "OPENISH"}, "status")):
        response = await client.get(GEOJSON, params=params)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == field_name


async def test_page__server_rendered__headcount_and_full__no_script(town: Town, client):
    field = await town.staff(role=Role.FIELD_STAFF)
    await town.set_status(field, HALL, "OPEN")
    await town.update(field, HALL, capacity=80, headcount=80, offers=["PETS"])

    response = await client.get("/shelters")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src" not in response.headers["content-security-policy"]
    page = response.text
    assert "<script" not in page
    opened = page[page.index('id="opened"') : page.index('id="others"')]
    assert HALL in opened and "満" in opened and "避難者 80 人 / 収容可能 80 人" in opened
    assert "ペット可" in opened
    english = (await client.get("/shelters", params={"lang": "en"})).text
    assert "80 people here, room for 80" in english and "Pets allowed" in english


async def test_page__names_are_escaped__304_on_reload_without_change(town: Town, client):
    shelter = await town.shelter(HALL)
    await Shelter.filter(id=shelter.id).update(name='<img src=x onerror="alert(1)">会館')
    first = await client.get("/shelters")
    assert "<img src=x" not in first.text and "&lt;img src=x" in first.text
    again = await client.get("/shelters", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304
