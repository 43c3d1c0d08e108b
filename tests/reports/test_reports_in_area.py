from __future__ import annotations

import json
from datetime import timedelta

import time_machine
from tortoise import connections
from tortoise.transactions import in_transaction

from core import clock
from reports import schema as reports_schema
from reports import types as reports_types
from reports.map.bbox import BBox
from reports.map.viewport import MAP_COLUMNS, AreaFilter, area_statement
from tests.reports.world import CITY_HALL

AREA = """
query($box: BBoxInput!, $status: [ReportStatus!], $category: String, $overdue: Boolean! = false, $limit: Int! = 500) {
  reportsInArea(bbox: $box, status: $status, categoryCode: $category, overdueOnly: $overdue, limit: $limit) {
    id receiptNumber status overdue category { code } departmentName
  }
}
"""
BOX = {"minLng": 140.42, "minLat": 37.57, "maxLng": 140.44, "maxLat": 37.60}
# Every field the map's records answer (reports.types.LIGHT_FIELDS), through a fragment and
# an alias; FULL adds a field only the full record has, so it takes the regular path.
MAPPED = """
fragment Mapped on Report {
  id receiptNumber lat lng status statusLabel createdAt acknowledgeBy resolveBy overdue isMine
  departmentName __typename category { code icon name } photos { id } isFollowing
  staffDetails { source }
}
"""
LIGHT = MAPPED + "query($box: BBoxInput!) { reportsInArea(bbox: $box) { ...Mapped at: createdAt } }"
FULL = MAPPED.replace("isFollowing", "isFollowing description") + LIGHT.split(MAPPED)[1]
# Only fields the records answer without a view object (reports.types._MAP_READERS).
PLAIN = """
fragment Plain on Report {
  id receiptNumber lat lng status statusLabel createdAt acknowledgeBy resolveBy overdue isMine
  departmentName __typename category { code icon name }
}
"""
PLAIN_LIGHT = PLAIN + LIGHT.split(MAPPED)[1].replace("Mapped", "Plain")
PLAIN_FULL = PLAIN.replace("isMine", "isMine description") + PLAIN_LIGHT.split(PLAIN)[1]


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
    for caller in (hanako, clerk, None):  # "mine", staff details, anonymous
        await _assert_light_answer_is_the_full_answer(world, caller)
    await _assert_records_answer_is_the_full_answer(world, hanako)  # "mine"
    with time_machine.travel(clock.now() + timedelta(hours=100)):  # overdue
        await _assert_light_answer_is_the_full_answer(world, hanako)
        await _assert_records_answer_is_the_full_answer(world, hanako)


async def _assert_light_answer_is_the_full_answer(world, caller, light=LIGHT, full=FULL):
    light = await _answer(world, light, caller, expect_light=True)
    full = await _answer(world, full, caller, expect_light=False)
    for report in full:
        del report["description"]

    assert len(light) == 2 and json.dumps(light) == json.dumps(full)


async def _assert_records_answer_is_the_full_answer(world, caller):
    """Completed from the records themselves (core/records.py): no view object is built."""
    views = []
    view_class = reports_types.MapReportView
    reports_types.MapReportView = lambda *args: views.append(args) or view_class(*args)
    try:
        await _assert_light_answer_is_the_full_answer(world, caller, PLAIN_LIGHT, PLAIN_FULL)
    finally:
        reports_types.MapReportView = view_class
    assert views == []


async def _answer(world, document, caller, *, expect_light):
    calls = []
    light, full = reports_schema.map_reports_in_area, reports_schema.reports_in_area

    async def counted(function, area):
        calls.append(function is light)
        return await function(area)

    reports_schema.map_reports_in_area = lambda area: counted(light, area)
    reports_schema.reports_in_area = lambda area: counted(full, area)
    try:
        body = await world.gql(document, {"box": BOX}, auth=caller.token if caller else None)
    finally:
        reports_schema.map_reports_in_area, reports_schema.reports_in_area = light, full
    assert not body.get("errors"), body
    assert calls == [expect_light]
    return body["data"]["reportsInArea"]


async def test_map_reports_in_area__read_from_the_index_alone(world):
    """The map's columns are all in the covering index: no table row is read (an index-only
    scan on PostgreSQL), which is what keeps the map's query within a few ms."""
    area = AreaFilter(BBox(140.42, 37.57, 140.44, 37.60))
    connection = connections.get("default")
    dialect = connection.capabilities.dialect
    sql, params = area_statement(area, ", ".join(MAP_COLUMNS), dialect)

    if dialect == "postgres":
        async with in_transaction() as transaction:
            await transaction.execute_script("SET LOCAL enable_seqscan = off")
            await transaction.execute_script("SET LOCAL enable_bitmapscan = off")
            _, rows = await transaction.execute_query("EXPLAIN " + sql, params)
        plan = " ".join(row[0] for row in rows)
        assert "Index Only Scan" in plan, plan
    else:
        _, rows = await connection.execute_query("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[3]) for row in rows)
        assert "COVERING INDEX" in plan, plan


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
