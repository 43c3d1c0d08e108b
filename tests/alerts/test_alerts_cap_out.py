"""CAP out: /alerts/{id}.cap.xml and /alerts.atom validate (OASIS CAP 1.2 XSD, xmlschema)."""

from __future__ import annotations

from lxml import etree

from tests.alerts.city import CANCEL, UPDATE, alert_input
from tests.alerts.samples import cap_schema, needs_samples

ATOM = "{http://www.w3.org/2005/Atom}"
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"

pytestmark = needs_samples


async def _cap(client, alert_id: str) -> etree._Element:
    response = await client.get(f"/alerts/{alert_id}.cap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/cap+xml")
    cap_schema().validate(response.content)
    return etree.fromstring(response.content)


async def test_cap_xml__valid_with_circle_polygon_and_japanese_text(city, client):
    staff = await city.crisis_staff()
    ring = [
        {"lat": 37.58, "lng": 140.42},
        {"lat": 37.58, "lng": 140.44},
        {"lat": 37.6, "lng": 140.43},
    ]
    alert = await city.create(
        staff,
        areas=[
            {
                "description": "二本松市役所周辺",
                "circles": [{"lat": 37.5849, "lng": 140.4312, "radiusMeters": 2500}],
            },
            {"description": "中心部", "polygons": [ring]},
        ],
    )
    root = await _cap(client, alert["id"])
    assert root.findtext(f"{CAP}msgType") == "Alert"
    assert root.findtext(f"{CAP}sent").endswith("+09:00")
    info = root.find(f"{CAP}info")
    assert info.findtext(f"{CAP}event") == "大雨"
    assert info.findtext(f"{CAP}severity") == "Severe"
    areas = info.findall(f"{CAP}area")
    assert areas[0].findtext(f"{CAP}circle") == "37.5849,140.4312 2.5"
    polygon = areas[1].findtext(f"{CAP}polygon").split()
    assert len(polygon) == 4 and polygon[0] == polygon[-1]


async def test_cap_xml__update_and_cancel_carry_references(city, client):
    staff = await city.crisis_staff()
    alert = await city.create(staff)
    await city.gql.data(
        UPDATE, {"id": alert["id"], "input": alert_input(msgType="UPDATE")}, auth=staff.token
    )
    root = await _cap(client, alert["id"])
    assert root.findtext(f"{CAP}msgType") == "Update"
    assert root.findtext(f"{CAP}references").split(",")[1] == alert["identifier"]
    await city.gql.data(CANCEL, {"id": alert["id"]}, auth=staff.token)
    root = await _cap(client, alert["id"])
    assert root.findtext(f"{CAP}msgType") == "Cancel"
    assert len(root.findtext(f"{CAP}references").split()) == 2


async def test_cap_xml__not_for_exercises_or_unknown_ids(city, client):
    staff = await city.crisis_staff()
    drill = await city.create(staff, status="EXERCISE")
    for path in (drill["id"], "00000000-0000-0000-0000-000000000000", "nonsense"):
        assert (await client.get(f"/alerts/{path}.cap.xml")).status_code == 404


async def test_atom__lists_current_alerts_with_valid_cap_links(city, client):
    staff = await city.crisis_staff()
    first = await city.create(staff)
    second = await city.create(staff, headline="土砂災害の危険", hazard="LANDSLIDE")
    await city.create(staff, status="TEST")
    response = await client.get("/alerts.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [second["headline"], first["headline"]]
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith("http://testserver/alerts/")
        cap_schema().validate((await client.get(link.removeprefix("http://testserver"))).content)
