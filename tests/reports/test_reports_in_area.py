from __future__ import annotations

from datetime import timedelta

import time_machine

from core import clock
from tests.reports.world import CITY_HALL

AREA = """
query($box: BBoxInput!, $status: [ReportStatus!], $category: String, $overdue: Boolean! = false, $limit: Int! = 500) {
  reportsInArea(bbox: $box, status: $status, categoryCode: $category, overdueOnly: $overdue, limit: $limit) {
    id receiptNumber status overdue category { code } departmentName
  }
}
"""
BOX = {"minLng": 140.42, "minLat": 37.57, "maxLng": 140.44, "maxLat": 37.60}


async def test_reports_in_area__box_status_category_newest_first(world):
    hanako = await world.resident()
    clerk = await world.staff()
    road = (await world.submitted(hanako))["report"]
    light = (await world.submitted(hanako, categoryCode="street_light", lat=CITY_HALL[0] + 0.001))[
        "report"
    ]
    await world.submitted(hanako, lat=CITY_HALL[0] + 0.1)  # outside the box
    await world.gql(
        "mutation($id: ID!) { acknowledgeReport(id: $id) { id } }",
        {"id": road["id"]},
        auth=clerk.token,
    )

    everything = (await world.gql(AREA, {"box": BOX}))["data"]["reportsInArea"]
    lights = (await world.gql(AREA, {"box": BOX, "category": "street_light"}))["data"][
        "reportsInArea"
    ]
    acknowledged = (await world.gql(AREA, {"box": BOX, "status": ["ACKNOWLEDGED"]}))["data"][
        "reportsInArea"
    ]
    nothing = (await world.gql(AREA, {"box": BOX, "category": "volcano"}))["data"]["reportsInArea"]
    one = (await world.gql(AREA, {"box": BOX, "limit": 1}))["data"]["reportsInArea"]

    assert [r["id"] for r in everything] == [light["id"], road["id"]]
    assert everything[1]["departmentName"] == "土木課"
    assert [r["id"] for r in lights] == [light["id"]]
    assert [r["id"] for r in acknowledged] == [road["id"]]
    assert nothing == [] and [r["id"] for r in one] == [light["id"]]


async def test_reports_in_area__overdue_only(world):
    hanako = await world.resident()
    clerk = await world.staff()
    road = (await world.submitted(hanako))["report"]  # 24 h to acknowledge
    other = (await world.submitted(hanako, categoryCode="other", lat=CITY_HALL[0] + 0.001))[
        "report"
    ]  # 72 h
    await world.gql(
        "mutation($id: ID!) { acknowledgeReport(id: $id) { id } }",
        {"id": other["id"]},
        auth=clerk.token,
    )

    with time_machine.travel(clock.now() + timedelta(hours=30)):
        late = (await world.gql(AREA, {"box": BOX, "overdue": True}))["data"]["reportsInArea"]

    assert [(r["id"], r["overdue"]) for r in late] == [(road["id"], True)]


async def test_reports_in_area__reversed_box_refused(world):
    body = await world.gql(AREA, {"box": {**BOX, "minLat": 38.0}})

    assert body["errors"][0]["extensions"] == {"code": "VALIDATION", "field": "bbox"}
