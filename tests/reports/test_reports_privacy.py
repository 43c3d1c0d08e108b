"""No resident sees another resident's identity or the staff's internal notes, by any road."""

from __future__ import annotations

from reports.open311 import service as open311_service
from tests.reports.world import CITY_HALL
from tests.support.graphql import error_codes

EVERYTHING = """
query($id: ID!) {
  report(id: $id) {
    id receiptNumber description isMine isFollowing publicNote
    history { kind note public actor }
    staffDetails { reporterName reporterContact source hiddenReason answers { code values } }
  }
}
"""
AREA = """
query($box: BBoxInput!) {
  reportsInArea(bbox: $box, status: [RECEIVED, ACKNOWLEDGED, IN_PROGRESS], includeHidden: true) {
    id isMine staffDetails { reporterName }
  }
}
"""
BOX = {"minLng": 140.42, "minLat": 37.57, "maxLng": 140.44, "maxLat": 37.60}


async def test_private_data__not_reachable_by_other_residents_or_anyone(world, client):
    hanako = await world.resident(name="安達 花子秘密")
    taro = await world.resident(name="二本松 太郎")
    clerk = await world.staff(name="職員 秘密")
    report_id = (await world.submitted(hanako))["report"]["id"]
    await world.gql(
        'mutation($id: ID!) { addReportNote(id: $id, note: "内部メモ秘密", public: false) { id } }',
        {"id": report_id},
        auth=clerk.token,
    )
    staff_view = await world.gql(EVERYTHING, {"id": report_id}, auth=clerk.token)
    assert staff_view["data"]["report"]["staffDetails"]["reporterName"] == "安達 花子秘密"

    leaks = ("秘密", hanako.model.email, str(hanako.model.public_id))
    for viewer in (taro, None):
        token = viewer.token if viewer else None
        answers = [
            await world.gql(EVERYTHING, {"id": report_id}, auth=token),
            await world.gql(AREA, {"box": BOX}, auth=token),
            (
                await client.get("/reports.geojson", params={"bbox": "140.42,37.57,140.44,37.60"})
            ).text,
            (await client.get("/open311/v2/requests.json")).text,
            (await client.get("/open311/v2/requests.xml")).text,
        ]
        for answer in answers:
            assert not any(leak in str(answer) for leak in leaks), answer
        report = answers[0]["data"]["report"]
        assert report["staffDetails"] is None and report["isMine"] is False
        assert [entry["actor"] for entry in report["history"]] == ["通報者"]


async def test_my_reports__only_my_own(world):
    hanako, taro = await world.resident(), await world.resident()
    mine = (await world.submitted(hanako))["report"]["id"]
    await world.submitted(taro, lat=CITY_HALL[0] + 0.01)

    body = await world.gql("{ myReports { id isMine } }", auth=hanako.token)

    assert body["data"]["myReports"] == [{"id": mine, "isMine": True}]


async def test_hidden_report__only_staff_and_its_reporter_see_it(world):
    hanako, taro = await world.resident(), await world.resident()
    clerk = await world.staff()
    report_id = (await world.submitted(hanako))["report"]["id"]
    hide = await world.gql(
        'mutation($id: ID!) { hideReport(id: $id, reason: "個人情報") { staffDetails { hidden hiddenReason } } }',
        {"id": report_id},
        auth=clerk.token,
    )
    assert hide["data"]["hideReport"]["staffDetails"] == {
        "hidden": True,
        "hiddenReason": "個人情報",
    }

    assert error_codes(await world.gql(EVERYTHING, {"id": report_id}, auth=taro.token)) == [
        "NOT_FOUND"
    ]
    assert error_codes(await world.gql(EVERYTHING, {"id": report_id})) == ["NOT_FOUND"]
    assert (await world.gql(EVERYTHING, {"id": report_id}, auth=hanako.token))["data"]["report"][
        "id"
    ]
    public = await world.gql(AREA, {"box": BOX}, auth=taro.token)
    staff = await world.gql(AREA, {"box": BOX}, auth=clerk.token)
    assert public["data"]["reportsInArea"] == []
    assert [r["id"] for r in staff["data"]["reportsInArea"]] == [report_id]


async def test_hidden_photo__not_served_nor_listed(world, client, samples):
    hanako = await world.resident()
    clerk = await world.staff()
    from tests.reports.world import jpeg

    response = await world.upload(
        hanako, [("a.jpg", jpeg(), "image/jpeg")], lat=CITY_HALL[0], lng=CITY_HALL[1]
    )
    report = response.json()["data"]["submitReport"]["report"]
    photo = report["photos"][0]
    assert (await client.get(photo["url"])).status_code == 200

    await world.gql(
        'mutation($p: ID!) { hideReportPhoto(photoId: $p, reason: "顔が写っている") { id } }',
        {"p": photo["id"]},
        auth=clerk.token,
    )

    assert (await client.get(photo["url"])).status_code == 404
    assert (await client.get(photo["thumbUrl"])).status_code == 404
    seen = await world.gql(
        "query($id: ID!) { report(id: $id) { photos { id } } }", {"id": report["id"]}
    )
    assert seen["data"]["report"]["photos"] == []
    staff = await world.gql(
        "query($id: ID!) { report(id: $id) { photos { hidden } } }",
        {"id": report["id"]},
        auth=clerk.token,
    )
    assert staff["data"]["report"]["photos"] == [{"hidden": True}]


async def test_open311_contact__kept_for_staff_only(world, client):
    _, key = await open311_service.create_key("client")
    created = await client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "graffiti",
            "lat": str(CITY_HALL[0]),
            "long": str(CITY_HALL[1]),
            "email": "kaori@example.jp",
            "first_name": "Kaori",
        },
    )
    clerk = await world.staff()
    from reports.models import Report

    report = await Report.get(receipt_number=created.json()[0]["service_request_id"])
    staff = await world.gql(EVERYTHING, {"id": str(report.public_id)}, auth=clerk.token)
    public = await world.gql(EVERYTHING, {"id": str(report.public_id)})

    assert staff["data"]["report"]["staffDetails"]["reporterContact"] == "kaori@example.jp"
    assert "kaori" not in str(public).lower()
