from __future__ import annotations

import uuid
from pathlib import Path

from reports.models import Report, ReportEvent
from tests.reports.world import AT_SEA, CITY_HALL
from tests.support.graphql import error_codes


def stored_files(settings) -> list[Path]:
    root = settings.media_dir / "reports"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


async def test_submit__files_the_report_with_receipt_and_history(world):
    hanako = await world.resident()

    payload = await world.submitted(hanako, description="市役所前に穴があります")

    report = payload["report"]
    assert report["status"] == "RECEIVED"
    assert report["isMine"] is True
    assert report["category"]["code"] == "road_damage"
    assert (report["lat"], report["lng"]) == CITY_HALL
    assert len(report["receiptNumber"]) == 9 and report["receiptNumber"][4] == "-"
    stored = await Report.get(public_id=report["id"])
    assert stored.reporter_id == hanako.model.id and stored.address_pending is True
    assert await ReportEvent.filter(report=stored, kind="submitted").count() == 1


async def test_submit__outside_the_service_area__refused_nothing_stored(world):
    hanako = await world.resident(language="en")

    body = await world.submit(hanako, lat=AT_SEA[0], lng=AT_SEA[1])

    assert error_codes(body) == ["VALIDATION"]
    assert "outside the city's service area" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["field"] == "lat"
    assert await Report.all().count() == 0


async def test_submit__description_over_4000_characters__refused(world):
    hanako = await world.resident(language="en")

    body = await world.submit(hanako, description="あ" * 5000)

    assert error_codes(body) == ["VALIDATION"]
    assert body["errors"][0]["extensions"]["field"] == "description"
    assert "at most 4000 characters (it has 5000)" in body["errors"][0]["message"]
    assert await Report.all().count() == 0


async def test_submit__exactly_4000_characters__accepted(world):
    hanako = await world.resident()

    payload = await world.submitted(hanako, description="あ" * 4000)

    assert len(payload["report"]["description"]) == 4000


async def test_submit__unknown_category__validation(world):
    hanako = await world.resident()

    body = await world.submit(hanako, categoryCode="volcano")

    assert error_codes(body) == ["VALIDATION"]
    assert body["errors"][0]["extensions"]["field"] == "categoryCode"


async def test_submit__anonymous__unauthenticated(world):
    body = await world.submit(None)

    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_submit__without_any_location__asks_for_one(world):
    hanako = await world.resident(language="en")

    body = await world.gql(
        "mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id } } }",
        {"i": {"categoryCode": "road_damage", "description": "x"}},
        auth=hanako.token,
    )

    assert error_codes(body) == ["VALIDATION"]
    assert "We need the location" in body["errors"][0]["message"]


async def test_submit__rate_limited_per_resident(world):
    hanako, taro = await world.resident(), await world.resident()
    first = await world.submitted(hanako)
    filed = await Report.get(public_id=first["report"]["id"])
    for number in range(1, world.settings.reports_per_hour):  # filed earlier in the hour
        earlier = filed.clone()
        earlier.public_id, earlier.receipt_number = uuid.uuid4(), f"T{number:07d}"
        await earlier.save()

    body = await world.submit(hanako, lat=CITY_HALL[0] - 0.02)

    assert error_codes(body) == ["RATE_LIMITED"]
    assert (
        await Report.filter(reporter_id=hanako.model.id).count() == world.settings.reports_per_hour
    )
    assert (await world.submitted(taro))["report"]["status"] == "RECEIVED"


async def test_submit__same_category_nearby__offered_as_duplicate(world):
    hanako, taro = await world.resident(), await world.resident()
    first = await world.submitted(hanako)

    second = await world.submitted(taro, lat=CITY_HALL[0] + 0.0001, lng=CITY_HALL[1])
    other_kind = await world.submitted(taro, categoryCode="graffiti", lat=CITY_HALL[0] + 0.0001)
    far = await world.submitted(taro, lat=CITY_HALL[0] + 0.01)

    assert [d["report"]["id"] for d in second["duplicates"]] == [first["report"]["id"]]
    assert 10 < second["duplicates"][0]["distanceM"] < 12
    assert other_kind["duplicates"] == [] and far["duplicates"] == []
