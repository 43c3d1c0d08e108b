"""reportChanged over graphql-transport-ws, as the live map uses it."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from tests.conftest import forget_other_dialect
from tests.reports.world import CITY_HALL, World
from tests.support.graphql import GraphQL
from tests.support.server import serving

SUBSCRIBE = """
subscription($box: BBoxInput) {
  reportChanged(bbox: $box) { id created removed report { receiptNumber status staffDetails { hidden } } }
}
"""
NEAR_CITY_HALL = {"minLng": 140.42, "minLat": 37.57, "maxLng": 140.44, "maxLat": 37.60}


@pytest.fixture
async def live(settings):
    from app import create_app

    forget_other_dialect()
    async with (
        serving(create_app(settings, start_workers=False)) as base_url,
        httpx.AsyncClient(base_url=base_url) as http,
    ):
        city = World(http, GraphQL(http), settings)
        await city.seed()
        yield base_url, city


async def subscribe(base_url: str, token: str | None, box=NEAR_CITY_HALL):
    ws = await websockets.connect(
        base_url.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]
    )
    payload = {"authorization": f"Bearer {token}"} if token else {}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
    await ws.send(
        json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": {"box": box}},
            }
        )
    )
    await asyncio.sleep(0.2)
    return ws


async def next_event(ws) -> dict:
    message = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert message["type"] == "next", message
    return message["payload"]["data"]["reportChanged"]


async def test_new_and_changed_reports_reach_the_map_in_the_box(live):
    base_url, city = live
    hanako = await city.resident()
    clerk = await city.staff()
    staff_ws = await subscribe(base_url, clerk.token)
    public_ws = await subscribe(base_url, None)
    far_ws = await subscribe(
        base_url, None, box={"minLng": 140.5, "minLat": 37.6, "maxLng": 140.6, "maxLat": 37.7}
    )

    report = (await city.submitted(hanako))["report"]
    created = await next_event(staff_ws)
    assert (
        created["created"] is True and created["report"]["receiptNumber"] == report["receiptNumber"]
    )
    assert created["report"]["staffDetails"] == {"hidden": False}
    public = await next_event(public_ws)
    assert public["report"]["staffDetails"] is None

    await city.gql(
        "mutation($id: ID!) { acknowledgeReport(id: $id) { id } }",
        {"id": report["id"]},
        auth=clerk.token,
    )
    changed = await next_event(staff_ws)
    assert changed["created"] is False and changed["report"]["status"] == "ACKNOWLEDGED"
    assert (await next_event(public_ws))["report"]["status"] == "ACKNOWLEDGED"

    await city.gql(
        "mutation($id: ID!) { hideReport(id: $id) { id } }", {"id": report["id"]}, auth=clerk.token
    )
    assert (await next_event(staff_ws))["report"]["staffDetails"] == {"hidden": True}
    assert (await next_event(public_ws)) == {
        "id": report["id"],
        "created": False,
        "removed": True,
        "report": None,
    }

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(far_ws.recv(), 0.3)
    for ws in (staff_ws, public_ws, far_ws):
        await ws.close()


async def test_report_outside_the_box__not_sent(live):
    base_url, city = live
    hanako = await city.resident()
    ws = await subscribe(base_url, None)

    await city.submitted(hanako, lat=CITY_HALL[0] + 0.05)

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws.recv(), 0.3)
    await ws.close()


async def test_hidden_report__staff_notes_not_broadcast_to_the_public(live):
    base_url, city = live
    hanako = await city.resident()
    clerk = await city.staff()
    report = (await city.submitted(hanako))["report"]
    await city.gql(
        "mutation($id: ID!) { hideReport(id: $id) { id } }", {"id": report["id"]}, auth=clerk.token
    )
    staff_ws = await subscribe(base_url, clerk.token)
    public_ws = await subscribe(base_url, None)

    for note in ("internal: called the reporter", "internal: crew booked"):
        await city.gql(
            "mutation($id: ID!, $note: String!) { addReportNote(id: $id, note: $note) { id } }",
            {"id": report["id"], "note": note},
            auth=clerk.token,
        )

    assert (await next_event(staff_ws))["id"] == report["id"]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(public_ws.recv(), 0.3)

    await city.gql(
        "mutation($id: ID!) { hideReport(id: $id, hidden: false) { id } }",
        {"id": report["id"]},
        auth=clerk.token,
    )
    shown = await next_event(public_ws)
    assert shown["removed"] is False and shown["report"]["receiptNumber"] == report["receiptNumber"]
    for ws in (staff_ws, public_ws):
        await ws.close()
