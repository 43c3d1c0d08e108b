"""Open311 GeoReport v2 as a client following the specification sees it."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree

from reports.models import Report
from reports.open311 import service as open311_service
from tests.reports.world import AT_SEA, CITY_HALL

BASE = "/open311/v2"
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
async def api_key(world) -> str:
    _, plain = await open311_service.create_key("test client")
    return plain


def form(api_key: str, **fields: str) -> dict[str, str]:
    return {
        "api_key": api_key,
        "service_code": "street_light",
        "lat": str(CITY_HALL[0]),
        "long": str(CITY_HALL[1]),
        "description": "街灯が点滅しています",
        **fields,
    }


async def test_discovery_and_services__json_and_xml(client, world):
    discovery = (await client.get(f"{BASE}/discovery.json")).json()
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert discovery["endpoints"][0]["url"].endswith("/open311/v2")

    services = (await client.get(f"{BASE}/services.json", headers={"Accept-Language": "en"})).json()
    codes = [s["service_code"] for s in services]
    assert codes == [
        "road_damage",
        "street_light",
        "illegal_dumping",
        "park_facility",
        "graffiti",
        "other",
    ]
    assert services[1]["service_name"] == "Street light out" and services[1]["type"] == "realtime"
    assert services[1]["metadata"] is True and services[2]["metadata"] is False

    xml = await client.get(f"{BASE}/services.xml")
    assert xml.headers["content-type"] == "text/xml; charset=utf-8"
    root = ElementTree.fromstring(xml.content)
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == codes
    assert root.find("service").findtext("service_name") == "道路の損傷（穴・段差）"


async def test_service_definition__attributes(client, world):
    definition = (await client.get(f"{BASE}/services/road_damage.json")).json()
    attribute = definition["attributes"][0]
    assert attribute["code"] == "size" and attribute["datatype"] == "singlevaluelist"
    assert [v["key"] for v in attribute["values"]] == ["small", "medium", "large"]

    root = ElementTree.fromstring((await client.get(f"{BASE}/services/road_damage.xml")).content)
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key").text == "small"

    missing = await client.get(f"{BASE}/services/volcano.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404 and "volcano" in missing.json()[0]["description"]


async def test_post_request__then_read_it_back_in_json_and_xml(client, world, api_key):
    created = await client.post(
        f"{BASE}/requests.json",
        data=form(
            api_key,
            **{
                "attribute[pole_number]": "NH-0042",
                "email": "taro@example.jp",
                "first_name": "太郎",
                "phone": "090-1111-2222",
            },
        ),
    )

    assert created.status_code == 200, created.text
    answer = created.json()
    request_id = answer[0]["service_request_id"]
    assert answer[0]["service_notice"]
    report = await Report.get(receipt_number=request_id)
    assert report.source == "open311" and report.attributes == {"pole_number": "NH-0042"}
    assert report.contact["email"] == "taro@example.jp"

    as_json = (await client.get(f"{BASE}/requests/{request_id}.json")).json()
    assert len(as_json) == 1 and set(as_json[0]) == REQUEST_FIELDS
    item = as_json[0]
    assert item["status"] == "open" and item["service_code"] == "street_light"
    assert item["lat"] == CITY_HALL[0] and item["long"] == CITY_HALL[1]
    assert item["requested_datetime"].endswith("+09:00")
    assert item["agency_responsible"] == "土木課"

    root = ElementTree.fromstring((await client.get(f"{BASE}/requests/{request_id}.xml")).content)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.findtext("service_request_id") == request_id
    assert request.findtext("status") == "open" and request.findtext("long") == str(CITY_HALL[1])
    for text in (str(as_json), (await client.get(f"{BASE}/requests/{request_id}.xml")).text):
        assert "taro@example.jp" not in text and "090-1111-2222" not in text and "太郎" not in text


async def test_post_request__xml_answer(client, world, api_key):
    created = await client.post(f"{BASE}/requests.xml", data=form(api_key))

    root = ElementTree.fromstring(created.content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text


async def test_post_request__errors_with_spec_codes(client, world, api_key):
    missing_key = await client.post(f"{BASE}/requests.json", data=form(""))
    wrong_key = await client.post(f"{BASE}/requests.json", data=form("guess"))
    unknown = await client.post(f"{BASE}/requests.json", data=form(api_key, service_code="volcano"))
    no_place = await client.post(
        f"{BASE}/requests.json", data={"api_key": api_key, "service_code": "graffiti"}
    )
    at_sea = await client.post(
        f"{BASE}/requests.xml", data=form(api_key, lat=str(AT_SEA[0]), long=str(AT_SEA[1]))
    )
    too_long = await client.post(
        f"{BASE}/requests.json", data=form(api_key, description="x" * 4001)
    )

    assert (
        missing_key.status_code == 400
        and wrong_key.status_code == 403
        and unknown.status_code == 404
    )
    assert no_place.status_code == 400 and too_long.status_code == 400
    assert at_sea.status_code == 400
    error = ElementTree.fromstring(at_sea.content).find("error")
    assert error.findtext("code") == "400" and "lat" in error.findtext("description")
    assert "description" in too_long.json()[0]["description"]
    assert await Report.all().count() == 0


async def test_get_requests__filters_paging_and_bbox(client, world, api_key):
    ids = []
    for index in range(3):
        lat = CITY_HALL[0] + index * 0.01
        response = await client.post(f"{BASE}/requests.json", data=form(api_key, lat=str(lat)))
        ids.append(response.json()[0]["service_request_id"])
    await client.post(f"{BASE}/requests.json", data=form(api_key, service_code="graffiti"))

    lights = (
        await client.get(f"{BASE}/requests.json", params={"service_code": "street_light"})
    ).json()
    page = (
        await client.get(
            f"{BASE}/requests.json",
            params={"page_size": 2, "page": 2, "service_code": "street_light"},
        )
    ).json()
    box = f"{CITY_HALL[1] - 0.001},{CITY_HALL[0] + 0.005},{CITY_HALL[1] + 0.001},{CITY_HALL[0] + 0.015}"
    boxed = (await client.get(f"{BASE}/requests.json", params={"bbox": box})).json()
    closed = (await client.get(f"{BASE}/requests.json", params={"status": "closed"})).json()
    picked = (
        await client.get(
            f"{BASE}/requests.json", params={"service_request_id": f"{ids[0]},{ids[2]}"}
        )
    ).json()
    bad = await client.get(f"{BASE}/requests.json", params={"start_date": "yesterday"})

    assert [r["service_request_id"] for r in lights] == ids[::-1]
    assert [r["service_request_id"] for r in page] == [ids[0]]
    assert [r["service_request_id"] for r in boxed] == [ids[1]]
    assert closed == []
    assert {r["service_request_id"] for r in picked} == {ids[0], ids[2]}
    assert bad.status_code == 400 and bad.json()[0]["description"].startswith("start_date")


async def test_unknown_request_token_and_format__404(client, world, api_key):
    created = await client.post(f"{BASE}/requests.json", data=form(api_key))
    request_id = created.json()[0]["service_request_id"]
    report = await Report.get(receipt_number=request_id)

    assert (await client.get(f"{BASE}/requests/NOPE-NOPE.json")).status_code == 404
    assert (await client.get(f"{BASE}/requests/{request_id}.csv")).status_code == 404
    assert (await client.get(f"{BASE}/tokens/not-a-token.json")).status_code == 404
    token = (await client.get(f"{BASE}/tokens/{report.public_id}.json")).json()
    assert token == [{"service_request_id": request_id, "token": str(report.public_id)}]


async def test_hidden_report__gone_from_open311(client, world, api_key):
    created = await client.post(f"{BASE}/requests.json", data=form(api_key))
    request_id = created.json()[0]["service_request_id"]
    await Report.filter(receipt_number=request_id).update(hidden=True)

    assert (await client.get(f"{BASE}/requests/{request_id}.json")).status_code == 404
    assert (await client.get(f"{BASE}/requests.json")).json() == []


async def test_post_request__multipart_with_a_media_file(client, world, api_key, samples):
    photo = samples.encode(
        samples.two_tone((200, 100)),
        "JPEG",
        exif=samples.make_exif(lat=37.59, lng=140.43).tobytes(),
    )

    created = await client.post(
        f"{BASE}/requests.json", data=form(api_key), files={"media": ("p.jpg", photo, "image/jpeg")}
    )

    request_id = created.json()[0]["service_request_id"]
    item = (await client.get(f"{BASE}/requests/{request_id}.json")).json()[0]
    assert item["media_url"].startswith("http://testserver/media/reports/")
    served = await client.get(item["media_url"].removeprefix("http://testserver"))
    assert served.status_code == 200 and samples.secret.encode() not in served.content


async def test_post_request__multipart_not_an_image__400_nothing_kept(client, world, api_key):
    created = await client.post(
        f"{BASE}/requests.json",
        data=form(api_key),
        files={"media": ("p.jpg", b"GIF89a not really", "image/jpeg")},
    )

    assert created.status_code == 400 and created.json()[0]["description"].startswith("media")
    assert await Report.all().count() == 0


async def test_post_request__photo_with_gps_and_no_lat_long__placed_at_the_photo(
    client, world, api_key, samples
):
    exif = samples.make_exif(lat=37.5912, lng=140.4290)
    photo = samples.encode(samples.two_tone((200, 100)), "JPEG", exif=exif.tobytes())
    fields = {"api_key": api_key, "service_code": "graffiti", "description": "壁に落書き"}

    created = await client.post(
        f"{BASE}/requests.xml", data=fields, files={"media": ("p.jpg", photo, "image/jpeg")}
    )

    request_id = ElementTree.fromstring(created.content).findtext("request/service_request_id")
    item = ElementTree.fromstring(
        (await client.get(f"{BASE}/requests/{request_id}.xml")).content
    ).find("request")
    assert (
        abs(float(item.findtext("lat")) - 37.5912) < 1e-5
        and abs(float(item.findtext("long")) - 140.4290) < 1e-5
    )
