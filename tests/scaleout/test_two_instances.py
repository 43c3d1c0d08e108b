"""Two real instances (`madoguchi serve`, each its own process and its own local directory) on
one PostgreSQL, one Redis and one bucket, as the deployment page runs them: events, limits and
photos cross between them, and killing one during a broadcast loses and repeats nothing.

Starting instances is what costs, so one test starts the pair once and runs each part in turn
(in one test, parallel test workers never start a second pair); each part talks to them from its
own client address (X-Forwarded-For from a trusted proxy), so rate-limit budgets stay apart.
The test process itself plays a third instance where it must fail a transaction on purpose.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

import httpx
import pytest
import redis.asyncio
import websockets
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from accounts.models import Resident
from core import database, pubsub
from core.instances.event_transports import RedisTransport
from notifications.broadcasts.service import start_broadcast
from notifications.in_flight import GROUP
from notifications.ledger import PRESUMED_DELIVERED
from notifications.models import Channel, Delivery, LedgerStatus
from reports import events
from reports.models import Report
from tests.conftest import TEST_SECRET, forget_other_dialect, make_settings
from tests.fakes.telegram import FakeTelegramServer
from tests.reports.world import CITY_HALL, World, jpeg
from tests.support.graphql import GraphQL
from tests.support.instances import Instance
from tests.support.postgres import throwaway_database

RATE_LIMIT = 30
RECIPIENTS = 600
FIRST_CHAT = 7_000_000
SUBSCRIBE = "subscription { reportChanged { id created report { description } } }"
QUIET = 0.5
pytestmark = pytest.mark.slow


@dataclass
class Pair:
    a: Instance
    b: Instance
    database_url: str
    redis_url: str
    telegram: FakeTelegramServer
    world_settings: object


@pytest.fixture
async def shared_database(pg_cluster, pg_template) -> AsyncIterator[str]:
    if pg_template is None:
        pytest.skip("two instances share a PostgreSQL database: its binaries are not installed")
    async with throwaway_database(pg_cluster, "pair", pg_template) as url:
        yield url


@pytest.fixture
async def pair(shared_database, redis_server, s3_server, tmp_path_factory) -> AsyncIterator[Pair]:
    redis_url = redis_server.url(db=3)
    client = redis.asyncio.from_url(redis_url)
    await client.flushdb()
    await client.aclose()
    common = {
        "DATABASE_URL": shared_database,
        "SECRET_KEY": TEST_SECRET,
        "NO_DEMO_SEED": "1",
        "REDIS_URL": redis_url,
        **s3_server.env(s3_server.create_bucket()),
        "RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
        "TRUSTED_PROXIES": "127.0.0.1",
        "PUBLIC_BASE_URL": "https://city.example.jp",
        "ACCESS_TOKEN_MINUTES": "60",
        "TELEGRAM_RATE_PER_SECOND": "150",
        "DELIVERY_LEASE_SECONDS": "3",
        "SHUTDOWN_GRACE_SECONDS": "5",
    }
    forget_other_dialect()
    await database.init(database.tortoise_config(shared_database))
    async with FakeTelegramServer() as telegram:
        common |= {
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_API_BASE": telegram.base_url,
            "TELEGRAM_WEBHOOK_SECRET": "pair-secret",
        }
        directory = tmp_path_factory.mktemp("pair")
        a, b = (
            Instance({**common, "VAR_DIR": str(directory / name)}, directory / f"{name}.log")
            for name in ("a", "b")
        )
        try:
            await asyncio.gather(a.start(), b.start())
            settings = make_settings(directory, shared_database, **common)
            pair = Pair(a, b, shared_database, redis_url, telegram, settings)
            await World(None, None, settings).seed()  # type: ignore[arg-type]  # database only
            yield pair
        finally:
            a.stop()
            b.stop()
            await Tortoise.close_connections()


def client_of(instance: Instance, address: str) -> httpx.AsyncClient:
    """A client of `instance` seen by it as `address` (forwarded by the trusted proxy)."""
    return httpx.AsyncClient(
        base_url=instance.url, headers={"X-Forwarded-For": address}, timeout=30
    )


def world_on(pair: Pair, client: httpx.AsyncClient) -> World:
    return World(client, GraphQL(client), pair.world_settings)  # type: ignore[arg-type]


async def subscribed(instance: Instance, token: str):
    ws = await websockets.connect(instance.ws_url, subprotocols=["graphql-transport-ws"])
    init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
    await ws.send(json.dumps(init))
    assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    await asyncio.sleep(0.3)  # the subscription is registered before anything is changed
    return ws


async def next_change(ws) -> dict:
    frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert frame["type"] == "next", frame
    return frame["payload"]["data"]["reportChanged"]


async def test_two_instances__events_limits_photos_and_a_kill_9(pair):
    await report_made_through_b__seen_by_a_subscriber_on_a(pair)
    await rolled_back_change__never_reaches_a_subscriber_on_another_instance(pair)
    await rate_limit__one_budget_across_both_instances(pair)
    await photo_uploaded_through_a__served_by_b(pair)
    await kill_9_of_one_instance_during_a_broadcast__everyone_gets_it_once(pair)  # the last


async def report_made_through_b__seen_by_a_subscriber_on_a(pair):
    async with client_of(pair.b, "198.51.100.1") as on_b:
        world = world_on(pair, on_b)
        clerk, hanako = await world.staff(), await world.resident()
        ws = await subscribed(pair.a, clerk.token)
        try:
            submitted = await world.submitted(hanako, description="through B")

            change = await next_change(ws)
        finally:
            await ws.close()
    assert change["id"] == submitted["report"]["id"] and change["created"] is True
    assert change["report"]["description"] == "through B"


async def rolled_back_change__never_reaches_a_subscriber_on_another_instance(pair):
    async with client_of(pair.b, "198.51.100.2") as on_b:
        world = world_on(pair, on_b)
        clerk, hanako = await world.staff(), await world.resident()
        existing = (await world.submitted(hanako, description="existing"))["report"]
        ws = await subscribed(pair.a, clerk.token)
        client = redis.asyncio.from_url(pair.redis_url)
        await pubsub.start(RedisTransport(client, pubsub.broker))  # this process: a third one
        try:
            report = await Report.get(public_id=existing["id"])
            with pytest.raises(RuntimeError):
                async with in_transaction():
                    await Report.filter(id=report.id).update(description="rolled back")
                    change = events.ReportChanged(report.id, report.lat, report.lng)
                    pubsub.publish(events.TOPIC, asdict(change))
                    raise RuntimeError("the change failed")
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(ws.recv(), QUIET)
            kept = await world.submitted(hanako, description="kept")

            first = await next_change(ws)
        finally:
            await pubsub.stop()
            await client.aclose()
            await ws.close()
    assert first["id"] == kept["report"]["id"]
    assert (await Report.get(id=report.id)).description == "existing"


async def rate_limit__one_budget_across_both_instances(pair):
    async with (
        client_of(pair.a, "203.0.113.50") as on_a,
        client_of(pair.b, "203.0.113.50") as on_b,
    ):
        answers = []
        for n in range(RATE_LIMIT):
            client = on_a if n % 2 else on_b
            answers.append(await client.post("/graphql", json={"query": "{ __typename }"}))
        over = await on_a.post("/graphql", json={"query": "{ __typename }"})
        async with client_of(pair.a, "203.0.113.51") as elsewhere:
            other_client = await elsewhere.post("/graphql", json={"query": "{ __typename }"})
    assert [answer.status_code for answer in answers] == [200] * RATE_LIMIT
    assert over.status_code == 429  # each instance alone has seen only half the budget
    assert over.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert other_client.status_code == 200


async def photo_uploaded_through_a__served_by_b(pair):
    async with (
        client_of(pair.a, "198.51.100.3") as on_a,
        client_of(pair.b, "198.51.100.3") as on_b,
    ):
        world = world_on(pair, on_a)
        hanako = await world.resident()
        response = await world.upload(
            hanako, [("a.jpg", jpeg((120, 90)), "image/jpeg")], lat=CITY_HALL[0], lng=CITY_HALL[1]
        )
        assert not response.json().get("errors"), response.json()
        photo = response.json()["data"]["submitReport"]["report"]["photos"][0]
        path = urlsplit(photo["url"])
        local = path.path + (f"?{path.query}" if path.query else "")

        from_a, from_b = await on_a.get(local), await on_b.get(local)
    assert from_b.status_code == 200 and from_b.headers["content-type"] == "image/jpeg"
    assert from_b.content == from_a.content and from_b.content[:2] == b"\xff\xd8"


async def kill_9_of_one_instance_during_a_broadcast__everyone_gets_it_once(pair):
    """It kills instance A mid-broadcast; B takes over A's rows when their leases lapse. A row
    A had only claimed is sent by B; a row A had marked in flight had its request complete
    but for its last byte (channels/telegram.py) and is taken as delivered. Everyone gets the
    alert exactly once, and the ledger says so."""
    await Resident.bulk_create(
        [
            Resident(
                display_name=f"住民{n}",
                telegram_user_id=FIRST_CHAT + n,
                telegram_chat_id=FIRST_CHAT + n,
            )
            for n in range(RECIPIENTS)
        ],
        batch_size=500,
    )
    ids = await Resident.filter(telegram_chat_id__gte=FIRST_CHAT).values_list("id", flat=True)
    assert len(ids) == RECIPIENTS
    await start_broadcast(
        alert_id=14, message_key="notifications.linked", params={}, resident_ids=list(ids)
    )

    await _eventually(lambda: _received(pair.telegram, RECIPIENTS // 3), 60)
    pair.a.kill()
    assert not await _received(pair.telegram, RECIPIENTS), "the broadcast ended before the kill"
    await _eventually(_every_row_settled, 60)

    sent = _sent(pair.telegram)
    rows = await Delivery.filter(channel=Channel.TELEGRAM).values(
        "address", "status", "attempts", "last_error"
    )
    everyone = set(range(FIRST_CHAT, FIRST_CHAT + RECIPIENTS))
    delivered = {int(r["address"]) for r in rows if r["status"] == LedgerStatus.DELIVERED}
    presumed = {int(r["address"]) for r in rows if r["last_error"] == PRESUMED_DELIVERED}
    assert set(sent.values()) == {1}, "nobody got it twice"
    assert len(rows) == RECIPIENTS  # a row A had only claimed was taken over: attempts may be 2
    assert delivered == everyone, "the ledger has everyone delivered"
    assert presumed <= delivered and len(presumed) <= 50, "at most A's round was in flight"
    lost = everyone - set(sent)
    assert lost <= presumed and len(lost) <= GROUP, (
        f"{len(lost)} lost: only a group A had marked between its commit and last bytes"
    )


async def _received(telegram: FakeTelegramServer, count: int) -> bool:
    return sum(_sent(telegram).values()) >= count


async def _every_row_settled() -> bool:
    """Each row delivered (a dead instance's in-flight rows once their lease lapsed)."""
    return (
        not await Delivery.filter(channel=Channel.TELEGRAM)
        .exclude(status=LedgerStatus.DELIVERED)
        .exists()
    )


def _sent(telegram: FakeTelegramServer) -> Counter:
    return Counter(
        int(call.params["chat_id"])
        for call in telegram.calls_to("sendMessage")
        if int(call.params["chat_id"]) >= FIRST_CHAT
    )


async def _eventually(check, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.1)
