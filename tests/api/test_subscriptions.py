from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets
from tortoise.transactions import in_transaction

from accounts.models import Resident
from notifications.service import notify
from tests.conftest import forget_other_dialect
from tests.support.graphql import GraphQL
from tests.support.server import serving

SUBSCRIBE = "subscription { notificationAdded { kind text } }"


@pytest.fixture
async def live(settings):
    from app import create_app

    forget_other_dialect()
    async with serving(create_app(settings, start_workers=False)) as base_url:
        yield base_url


async def _connect(base_url: str, payload: dict):
    ws = await websockets.connect(
        base_url.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]
    )
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert ack["type"] == "connection_ack"
    return ws


async def test_notification_added__reaches_the_subscribed_resident_only(live):
    async with httpx.AsyncClient(base_url=live) as http:
        gql = GraphQL(http)
        alice = await gql.sign_up(language="en")
        bob = await gql.sign_up()
    ws_alice = await _connect(live, {"authorization": f"Bearer {alice.token}"})
    ws_bob = await _connect(live, {"authorization": f"Bearer {bob.token}"})
    for ws in (ws_alice, ws_bob):
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    await asyncio.sleep(0.2)
    resident = await Resident.get(public_id=alice.id)
    async with in_transaction():
        await notify(resident, kind="accounts", message_key="notifications.linked")
    message = json.loads(await asyncio.wait_for(ws_alice.recv(), 5))
    assert message["type"] == "next"
    assert message["payload"]["data"]["notificationAdded"] == {
        "kind": "accounts",
        "text": "Your Telegram and app accounts are now linked.",
    }
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws_bob.recv(), 0.3)
    await ws_alice.close()
    await ws_bob.close()


async def test_subscription__without_authorization__unauthenticated(live):
    ws = await _connect(live, {})
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    message = json.loads(await asyncio.wait_for(ws.recv(), 5))
    await ws.close()
    assert message["type"] == "error" or message["payload"]
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_operation_limit_per_connection__coded_error_in_the_callers_language(live):
    from api.http import MAX_OPERATIONS_PER_CONNECTION

    async with httpx.AsyncClient(base_url=live) as http:
        alice = await GraphQL(http).sign_up(language="en")
    ws = await _connect(live, {"authorization": f"Bearer {alice.token}"})
    for number in range(MAX_OPERATIONS_PER_CONNECTION + 1):
        message = {"id": str(number), "type": "subscribe", "payload": {"query": SUBSCRIBE}}
        await ws.send(json.dumps(message))

    refused = json.loads(await asyncio.wait_for(ws.recv(), 5))

    assert refused["type"] == "error" and refused["id"] == str(MAX_OPERATIONS_PER_CONNECTION)
    [error] = refused["payload"]
    assert error["extensions"] == {"code": "RATE_LIMITED"}
    assert "most operations allowed at once" in error["message"]
    await ws.close()


async def test_text_with_control_characters_or_deep_json__refused_over_the_websocket(live):
    ws = await _connect(live, {})
    query = "subscription($box: BBoxInput) { reportChanged(bbox: $box) { id } }"
    bad_text = {
        "query": 'query { reportDuplicates(categoryCode: "a\\u0000", lat: 1, lng: 1) { distanceM } }'
    }
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": bad_text}))

    answer = json.loads(await asyncio.wait_for(ws.recv(), 5))
    deep = '{"id": "2", "type": "subscribe", "payload": {"query": "' + query + '", "variables": '
    await ws.send(deep + "[" * 5000 + "]" * 5000 + "}}")

    assert answer["type"] == "error"
    assert {e["extensions"]["code"] for e in answer["payload"]} <= {"VALIDATION", "BAD_QUERY"}
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd.code == 4400
