"""A site is OPEN only when staff opened it for evacuees; the usual state is NOT_OPENED; CLOSED
when staff closed it. Every process sees the change. Hazards come with their labels."""

from __future__ import annotations

from accounts.models import Role
from geo.demo import DEMO_DATA
from geo.runtime import GeoRuntime
from tests.geo.test_geo_runtime import CITY_HALL, staff_token
from tests.support.graphql import error_codes

NEAREST = """query($lat: Float!, $lng: Float!) {
  nearestShelters(lat: $lat, lng: $lng, limit: 1) { shelter { id name isOpen status } }
}"""
SET_STATUS = """mutation($id: ID!, $status: ShelterStatus!) {
  setShelterStatus(id: $id, status: $status) { id isOpen status }
}"""


async def nearest(gql) -> dict:
    body = await gql.data(NEAREST, {"lat": CITY_HALL[0], "lng": CITY_HALL[1]})
    return body["nearestShelters"][0]["shelter"]


async def test_status__not_opened_until_staff_open_it__then_closed__every_process(
    gql, import_files
):
    await import_files(DEMO_DATA / "nihonmatsu_emergency_sites.csv")
    other_process = GeoRuntime()
    await other_process.load()
    site = await nearest(gql)
    assert (site["isOpen"], site["status"]) == (True, "NOT_OPENED")
    token = await staff_token(gql)

    for status, is_open in (("OPEN", True), ("CLOSED", False), ("NOT_OPENED", True)):
        changed = await gql.data(SET_STATUS, {"id": site["id"], "status": status}, auth=token)
        assert changed["setShelterStatus"] == {
            "id": site["id"],
            "isOpen": is_open,
            "status": status,
        }
        assert (await nearest(gql))["status"] == status
        await other_process.refresh()
        view = other_process.shelters.nearest(*CITY_HALL, 1, 0, None)[0][0]
        assert (view.is_open, view.opened) == (is_open, status == "OPEN")
    opened = await gql.op("SetShelterOpen", auth=token, id=site["id"], isOpen=True)
    assert opened["data"]["setShelterOpen"]["isOpen"] is True
    assert (await nearest(gql))["status"] == "OPEN"  # opening is opening for evacuees


async def test_set_status__only_staff__bad_values_refused(gql, import_files):
    await import_files(DEMO_DATA / "nihonmatsu_emergency_sites.csv")
    site = await nearest(gql)
    resident = await gql.sign_up()
    variables = {"id": site["id"], "status": "OPEN"}
    assert error_codes(await gql(SET_STATUS, variables)) == ["UNAUTHENTICATED"]
    assert error_codes(await gql(SET_STATUS, variables, auth=resident.token)) == ["FORBIDDEN"]
    token = await staff_token(gql, Role.FIELD_STAFF)
    wrong = await gql(SET_STATUS, {"id": site["id"], "status": "FULL"}, auth=token)
    unknown = await gql(SET_STATUS, {**variables, "id": "x" * 300}, auth=token)
    assert error_codes(wrong) == ["BAD_QUERY"] and error_codes(unknown) == ["NOT_FOUND"]
    assert (await nearest(gql))["status"] == "NOT_OPENED"


async def test_hazards__in_the_standard_order_labelled_in_the_callers_language(gql):
    query = "{ hazards { hazard label officialLabel } }"
    japanese = (await gql.data(query))["hazards"]
    english = (await gql(query, headers={"Accept-Language": "en"}))["data"]["hazards"]
    assert [h["hazard"] for h in japanese] == [
        "FLOOD",
        "LANDSLIDE",
        "STORM_SURGE",
        "EARTHQUAKE",
        "TSUNAMI",
        "LARGE_FIRE",
        "INLAND_FLOOD",
        "VOLCANO",
    ]
    assert japanese[1] == {
        "hazard": "LANDSLIDE",
        "label": "土砂災害",
        "officialLabel": "崖崩れ、土石流及び地滑り",
    }
    assert english[7]["label"] == "Volcano" and english[7]["officialLabel"] == "Volcanic phenomena"
