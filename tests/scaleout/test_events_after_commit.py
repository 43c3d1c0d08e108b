"""Subscription events leave only once their transaction commits, in order, over every transport:
in process (SQLite), PostgreSQL LISTEN/NOTIFY (PostgreSQL without Redis) and Redis pub/sub."""

from __future__ import annotations

import asyncio
import json
import math

import httpx
import pytest
import websockets
from tortoise.transactions import in_transaction

from accounts.models import Resident
from core import pubsub
from core.instances.event_transports import PostgresTransport, RedisTransport
from notifications.models import Notification
from notifications.service import Update, notify, notify_each, topic_for
from tests.conftest import forget_other_dialect, make_settings
from tests.support.graphql import GraphQL
from tests.support.server import serving

QUIET = 0.4  # how long "nothing arrives" is watched for


@pytest.fixture(params=["no-redis", "redis"])
def events_settings(request, tmp_path, database_url):
    env = {}
    if request.param == "redis":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
    return make_settings(tmp_path, database_url, **env)


@pytest.fixture
async def running(events_settings):
    from app import create_app

    forget_other_dialect()
    application = create_app(events_settings, start_workers=False)
    async with application.router.lifespan_context(application):
        yield application


def expected_transport(settings) -> type:
    if settings.deployment.uses_redis:
        return RedisTransport
    return pubsub.InProcess if settings.is_sqlite else PostgresTransport


async def quiet(queue: asyncio.Queue) -> bool:
    try:
        await asyncio.wait_for(queue.get(), QUIET)
    except TimeoutError:
        return True
    return False


async def test_transport__chosen_by_the_settings(running, events_settings):
    assert isinstance(pubsub._transport, expected_transport(events_settings))


async def test_publish__inside_a_transaction__waits_for_the_commit(running):
    async with pubsub.broker.subscribe("t:commit") as queue:
        async with in_transaction():
            pubsub.publish("t:commit", {"n": 1})
            assert await quiet(queue)
        assert await asyncio.wait_for(queue.get(), 5) == {"n": 1}


async def test_publish__rolled_back__never_sent(running):
    async with pubsub.broker.subscribe("t:rollback") as queue:
        with pytest.raises(RuntimeError):
            async with in_transaction():
                pubsub.publish("t:rollback", {"n": 1})
                raise RuntimeError("refused")
        assert await quiet(queue)
        pubsub.publish("t:rollback", {"n": 2})  # outside a transaction: at once
        assert await asyncio.wait_for(queue.get(), 5) == {"n": 2}


async def test_publish__nested_block__waits_for_the_outer_commit(running):
    async with pubsub.broker.subscribe("t:nested") as queue:
        async with in_transaction():
            async with in_transaction():
                pubsub.publish("t:nested", {"n": 1})
            assert await quiet(queue)
        assert await asyncio.wait_for(queue.get(), 5) == {"n": 1}


async def test_publish__many_transactions__one_order(running):
    async with pubsub.broker.subscribe("t:order") as queue:
        for n in range(40):
            async with in_transaction():
                pubsub.publish("t:order", {"n": n})
        received = [(await asyncio.wait_for(queue.get(), 5))["n"] for _ in range(40)]
    assert received == list(range(40))


async def test_publish__what_json_cannot_carry__refused_in_every_mode(running):
    with pytest.raises(TypeError):
        pubsub.publish("t:bad", {"when": object()})


async def test_publish__other_topics_not_delivered(running):
    async with pubsub.broker.subscribe("t:mine") as queue:
        pubsub.publish("t:other", {"n": 1})
        assert await quiet(queue)


async def test_publish_many__each_topic_its_own_events_in_few_messages(running, monkeypatch):
    carried: list[str] = []
    send = pubsub._transport.send
    monkeypatch.setattr(
        pubsub._transport, "send", lambda topic, data: (carried.append(topic), send(topic, data))
    )
    events = [(f"t:many:{n % 2}", {"n": n, "text": "避難指示" * 4}) for n in range(400)]
    async with (
        pubsub.broker.subscribe("t:many:0") as even,
        pubsub.broker.subscribe("t:many:1") as odd,
    ):
        async with in_transaction():
            pubsub.publish_many(events)
        received_even = [await asyncio.wait_for(even.get(), 5) for _ in range(200)]
        received_odd = [await asyncio.wait_for(odd.get(), 5) for _ in range(200)]
    assert received_even == [data for topic, data in events if topic == "t:many:0"]
    assert received_odd == [data for topic, data in events if topic == "t:many:1"]
    assert 1 < len(carried) <= 20  # under a NOTIFY payload each, far fewer than 400


async def test_publish_many__batches_in_order_each_under_the_payload_limit(running, monkeypatch):
    carried: list[dict] = []
    monkeypatch.setattr(pubsub._transport, "send", lambda topic, data: carried.append(data))
    sizes = [1, 300, 5, 600, 2, 3, 450, 9, 1, 1, 550, 40] * 8  # "避難" is 6 bytes
    events = [(f"t:sizes:{n}", {"n": n, "text": "避難" * size}) for n, size in enumerate(sizes)]
    pubsub.publish_many(events)
    assert [(topic, data) for batch in carried for topic, data in batch["events"]] == events
    encoded = [json.dumps(batch, separators=(",", ":"), ensure_ascii=False) for batch in carried]
    assert max(len(text.encode()) for text in encoded) <= pubsub._BATCH_BYTES
    at_least = sum(len(text.encode()) for text in encoded) / pubsub._BATCH_BYTES
    assert len(carried) <= 2 * math.ceil(at_least)


async def test_publish_many__one_event_not_json__none_published(running):
    events = [("t:partly", {"n": n}) for n in range(1000)]
    events[-1] = ("t:partly", {"when": object()})
    async with pubsub.broker.subscribe("t:partly") as queue:
        with pytest.raises(TypeError):
            pubsub.publish_many(events)
        assert await quiet(queue)


async def test_batch__from_elsewhere__only_its_well_formed_events_delivered():
    broker = pubsub.Broker()
    events = [["t:x", {"n": 1}], "junk", [1, {}], ["t:x", "text"], [pubsub.BATCH_TOPIC, {}]]
    async with broker.subscribe("t:x") as queue:
        broker.deliver(pubsub.BATCH_TOPIC, {"events": events})
        received = [queue.get_nowait() for _ in range(queue.qsize())]
    assert received == [{"n": 1}]


async def test_notify_each__one_event_per_message_after_commit_none_on_rollback(running):
    resident = await Resident.create(display_name="住民", language="ja")
    updates = [Update(kind="case", message_key="notifications.linked") for _ in range(2)]
    async with pubsub.broker.subscribe(topic_for(resident.id)) as queue:
        with pytest.raises(RuntimeError):
            async with in_transaction():
                await notify_each(resident, updates)
                raise RuntimeError("the submission failed")
        assert await quiet(queue)
        async with in_transaction():
            kept = await notify_each(resident, updates)
        received = [await asyncio.wait_for(queue.get(), 5) for _ in kept]
    assert received == [{"id": notification.id} for notification in kept]


# --- through a real server and its websocket -----------------------------------------------------

SUBSCRIBE = "subscription { notificationAdded { kind text } }"


async def test_notification_added__a_rolled_back_notification_never_reaches_the_socket(
    events_settings,
):
    from app import create_app

    forget_other_dialect()
    async with serving(create_app(events_settings, start_workers=False)) as base_url:
        async with httpx.AsyncClient(base_url=base_url) as http:
            alice = await GraphQL(http).sign_up(language="en")
        ws = await websockets.connect(
            base_url.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]
        )
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {alice.token}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
        subscribe = {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}
        await ws.send(json.dumps(subscribe))
        await asyncio.sleep(0.2)
        resident = await Resident.get(public_id=alice.id)

        with pytest.raises(RuntimeError):
            async with in_transaction():
                await notify(resident, kind="rolled-back", message_key="notifications.linked")
                raise RuntimeError("the change failed")
        async with in_transaction():
            await notify(resident, kind="kept", message_key="notifications.linked")

        first = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert first["payload"]["data"]["notificationAdded"]["kind"] == "kept"
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(ws.recv(), QUIET)
        await ws.close()
        assert await Notification.filter(kind="rolled-back").count() == 0
