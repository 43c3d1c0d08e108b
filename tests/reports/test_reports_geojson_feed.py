from __future__ import annotations

from tests.reports.world import CITY_HALL


async def test_geojson__open_reports_in_the_box_with_public_properties(world, client):
    hanako = await world.resident()
    clerk = await world.staff()
    inside = (await world.submitted(hanako))["report"]
    await world.submitted(hanako, lat=CITY_HALL[0] + 0.05)  # outside the box
    closed = (await world.submitted(hanako, lat=CITY_HALL[0] + 0.001, categoryCode="graffiti"))[
        "report"
    ]
    await world.gql(
        "mutation($id: ID!) { updateReportStatus(id: $id, status: REJECTED) { id } }",
        {"id": closed["id"]},
        auth=clerk.token,
    )

    response = await client.get("/reports.geojson", params={"bbox": "140.42,37.57,140.44,37.60"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == [inside["id"]]
    feature = collection["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [CITY_HALL[1], CITY_HALL[0]]}
    assert (
        feature["properties"]["status"] == "received"
        and feature["properties"]["public_status"] == "open"
    )
    assert "reporter" not in str(feature)


async def test_geojson__status_filter_and_bad_input(world, client):
    hanako = await world.resident()
    clerk = await world.staff()
    report = (await world.submitted(hanako))["report"]
    await world.gql(
        "mutation($id: ID!) { updateReportStatus(id: $id, status: REJECTED) { id } }",
        {"id": report["id"]},
        auth=clerk.token,
    )

    closed = (await client.get("/reports.geojson", params={"status": "closed"})).json()
    rejected = (await client.get("/reports.geojson", params={"status": "rejected,received"})).json()
    bad_box = await client.get("/reports.geojson", params={"bbox": "1,2,3"})
    bad_status = await client.get("/reports.geojson", params={"status": "lost"})

    assert [f["id"] for f in closed["features"]] == [report["id"]]
    assert [f["id"] for f in rejected["features"]] == [report["id"]]
    assert bad_box.status_code == 400 and bad_box.json()["errors"][0]["field"] == "bbox"
    assert bad_status.status_code == 400
