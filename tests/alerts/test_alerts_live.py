"""alertIssued(lat, lng) over graphql-transport-ws: alerts whose area covers the point."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from tests.alerts.city import CITY_HALL, City
from tests.conftest import forget_other_dialect
from tests.support.graphql import GraphQL
from tests.support.server import serving

SUBSCRIBE = """subscription($lat: Float!, $lng: Float!) {
  alertIssued(lat: $lat, lng: $lng) { id msgType event } }"""


@pytest.fixture
async def live(settings):
    from app import create_app

    forget_other_dialect()
    async with serving(create_app(settings, start_workers=False)) as base_url:
        yield base_url


async def _subscribe(base_url: str, lat: float, lng: float):
    ws = await websockets.connect(
        base_url.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]
    )
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
    payload = {"query": SUBSCRIBE, "variables": {"lat": lat, "lng": lng}}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
    return ws


async def test_alert_issued__reaches_subscribers_inside_the_area_only(live, settings):
    async with httpx.AsyncClient(base_url=live) as http:
        city = City(GraphQL(http), settings)
        await city.seed()
        staff = await city.crisis_staff()
        inside = await _subscribe(live, *CITY_HALL)
        outside = await _subscribe(live, 37.70, 140.60)
        await asyncio.sleep(0.2)
        alert = await city.create(staff)
        message = json.loads(await asyncio.wait_for(inside.recv(), 5))
        assert message["payload"]["data"]["alertIssued"] == {
            "id": alert["id"],
            "msgType": "ALERT",
            "event": "大雨",
        }
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(outside.recv(), 0.3)
        for ws in (inside, outside):
            await ws.close()
