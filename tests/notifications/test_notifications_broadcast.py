"""Broadcasts: one message per resident per alert, alerts ahead of status updates, counted."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from datetime import timedelta

import pytest
from tortoise import connections

from accounts.models import Resident
from core import clock, database, pubsub
from core.i18n import register
from notifications.broadcasts import service as broadcast_service
from notifications.broadcasts.fanout import fan_out_once
from notifications.broadcasts.service import delivery_counts, start_broadcast
from notifications.channels.email.models import EmailAddress
from notifications.channels.push.models import PushDevice
from notifications.models import Channel, Delivery, Lane, LedgerStatus, Notification
from notifications.rows import insert_deliveries
from notifications.service import notify, topic_for

register(
    {
        "tests.alert": {"ja": "大雨警報: {headline}", "en": "Heavy rain warning: {headline}"},
        "tests.alert.title": {"ja": "【緊急】{headline}", "en": "[Alert] {headline}"},
    }
)
PARAMS = {"headline": "阿武隈川 氾濫危険"}
_chat_ids = itertools.count(7_000_000)


async def _residents(channels, count: int, *, push: bool = False, language: str = "ja"):
    made = []
    for _ in range(count):
        chat = None if push else next(_chat_ids)
        resident = await Resident.create(
            display_name="r", language=language, telegram_user_id=chat, telegram_chat_id=chat
        )
        if push:
            await PushDevice.create(resident=resident, token=channels.fcm.device(), platform="ios")
        made.append(resident)
    return made


def _texts_to(channels, chat_id: int) -> list[str]:
    return [
        c.params["text"]
        for c in channels.tg.calls_to("sendMessage")
        if c.params["chat_id"] == chat_id
    ]


async def test_start_broadcast__again_for_the_same_alert_adds_only_new_residents(channels):
    first = await _residents(channels, 3)
    later = await _residents(channels, 2)
    ids = [r.id for r in first]
    broadcast = await start_broadcast(
        alert_id=11, message_key="tests.alert", params=PARAMS, resident_ids=ids + ids[:1]
    )
    assert await channels.worker.run_once() == 3
    again = await start_broadcast(
        alert_id=11,
        message_key="tests.alert",
        params=PARAMS,
        resident_ids=[*ids, *(r.id for r in later), 999_999],
    )
    assert again == broadcast
    assert await channels.worker.run_once() == 2
    assert await channels.worker.run_once() == 0
    for resident in first + later:
        texts = _texts_to(channels, resident.telegram_chat_id)
        assert texts == ["【緊急】阿武隈川 氾濫危険\n\n大雨警報: 阿武隈川 氾濫危険"]
    assert await Notification.filter(broadcast_id=broadcast).count() == 5


async def test_fan_out__residents_on_paced_channels_first_whatever_their_ids(app):
    app_only = [await Resident.create(display_name="r") for _ in range(3)]
    for resident in app_only:
        await PushDevice.create(resident=resident, token=f"token-{resident.id}", platform="ios")
    unconfirmed = app_only[0]
    await EmailAddress.create(resident=unconfirmed, address="u@example.jp")
    on_telegram = await Resident.create(
        display_name="r", telegram_user_id=8_100_001, telegram_chat_id=8_100_001
    )
    by_mail = await Resident.create(display_name="r")
    await EmailAddress.create(resident=by_mail, address="m@example.jp", verified_at=clock.now())
    assert max(r.id for r in app_only) < on_telegram.id < by_mail.id
    ids = [r.id for r in (*app_only, on_telegram, by_mail)]
    broadcast = await start_broadcast(
        alert_id=17, message_key="tests.alert", params=PARAMS, resident_ids=ids
    )

    assert await fan_out_once(limit=2) == 2

    fanned = Notification.filter(broadcast_id=broadcast, fanout_pending__isnull=True)
    assert set(await fanned.values_list("resident_id", flat=True)) == {on_telegram.id, by_mail.id}
    rows = await Delivery.filter(broadcast_id=broadcast).values_list("channel", "address")
    assert sorted(rows) == [(Channel.EMAIL, "m@example.jp"), (Channel.TELEGRAM, "8100001")]
    while await fan_out_once(limit=2):
        pass
    assert await Delivery.filter(broadcast_id=broadcast).count() == 5
    assert await Notification.filter(broadcast_id=broadcast).count() == 5


async def test_fan_out__a_message_given_back_behind_the_last_chunk_is_still_fanned_out(app):
    residents = await _residents(None, 4)
    broadcast = await start_broadcast(
        alert_id=20,
        message_key="tests.alert",
        params=PARAMS,
        resident_ids=[r.id for r in residents],
    )
    assert await fan_out_once(limit=2) == 2
    first = await Notification.filter(broadcast_id=broadcast).order_by("id").first()
    # As if the chunk that wrote its rows had rolled back (another instance, a crash).
    await Delivery.filter(notification_id=first.id).delete()
    await Notification.filter(id=first.id).update(fanout_pending=True)

    assert await fan_out_once(limit=2) == 2  # those after the last chunk first
    assert await fan_out_once(limit=2) == 1  # then the one behind it
    assert await fan_out_once(limit=2) == 0
    rows = await Delivery.filter(broadcast_id=broadcast).values_list("address", flat=True)
    assert sorted(rows) == sorted(str(r.telegram_chat_id) for r in residents)


async def test_fan_out__every_resident_told_in_app_with_requests_between_the_parts(
    app, monkeypatch
):
    await Resident.bulk_create([Resident(display_name="told") for _ in range(250)])
    ids = sorted(await Resident.filter(display_name="told").values_list("id", flat=True))
    broadcast = await start_broadcast(
        alert_id=18, message_key="tests.alert", params=PARAMS, resident_ids=ids
    )
    ticks = 0

    async def requests() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    told: list[tuple[int, int]] = []  # (events, ticks of the requests by then)
    publish_many = pubsub.publish_many

    def counting(events) -> None:
        events = list(events)
        told.append((len(events), ticks))
        publish_many(events)

    monkeypatch.setattr(pubsub, "publish_many", counting)
    watched = (ids[0], ids[120], ids[-1])
    async with contextlib.AsyncExitStack() as stack:
        queues = [
            await stack.enter_async_context(pubsub.broker.subscribe(topic_for(resident_id)))
            for resident_id in watched
        ]
        ticking = asyncio.create_task(requests())
        assert await fan_out_once(limit=len(ids)) == len(ids)
        ticking.cancel()
        received = [await asyncio.wait_for(queue.get(), 5) for queue in queues]

    messages = dict(
        await Notification.filter(broadcast_id=broadcast).values_list("resident_id", "id")
    )
    assert received == [{"id": messages[resident_id]} for resident_id in watched]
    assert [count for count, _ in told] == [100, 100, 50]
    assert told[0][1] < told[1][1] < told[2][1]


async def test_ledger_rows__written_as_given_in_their_order_a_repeat_skipped(app):
    resident = await Resident.create(display_name="r", language="en")
    message = await Notification.create(resident=resident, kind="k", message_key="m")
    now = clock.now().replace(microsecond=0)
    due = now + timedelta(minutes=5)
    rows = [
        (message.id, resident.id, None, Channel.TELEGRAM, "8200001", "en", Lane.ALERT, due),
        (message.id, resident.id, 7, Channel.EMAIL, "r@example.jp", "en", Lane.STATUS, None),
        (message.id, resident.id, None, Channel.TELEGRAM, "8200001", "ja", Lane.STATUS, now),
    ]

    await insert_deliveries(rows, now)
    await insert_deliveries(rows[:1], now)  # again: already there

    written = await Delivery.filter(notification_id=message.id).order_by("id")
    assert [
        (d.broadcast_id, d.channel, d.address, d.language, d.lane, d.next_attempt_at)
        for d in written
    ] == [(b, c, a, lang, lane, when) for _, _, b, c, a, lang, lane, when in rows[:2]]
    assert {(d.status, d.attempts, d.last_error, d.resident_id) for d in written} == {
        (LedgerStatus.CREATED, 0, "", resident.id)
    }
    assert {d.created_at for d in written} == {now} == {d.updated_at for d in written}


async def test_start_broadcast__a_large_one_leaves_the_planner_its_statistics(app, monkeypatch):
    """A table that was empty when last analyzed plans as if it still were (every chunk of
    the fan-out scanned and sorted all waiting messages): a broadcast of more than a chunk
    analyzes the messages once its first chunk is written, while the rest are."""
    if database.dialect() != "postgres":
        pytest.skip("PostgreSQL's planner statistics")
    monkeypatch.setattr(broadcast_service, "_CHUNK", 4)
    statistics = "SELECT reltuples FROM pg_class WHERE relname = 'notification'"
    [before] = await connections.get("default").execute_query_dict(statistics)
    assert before["reltuples"] <= 0  # never analyzed, or empty when it was
    residents = [await Resident.create(display_name="r") for _ in range(5)]

    await start_broadcast(
        alert_id=19,
        message_key="tests.alert",
        params=PARAMS,
        resident_ids=[r.id for r in residents],
    )

    [after] = await connections.get("default").execute_query_dict(statistics)
    assert after["reltuples"] == 4  # the first chunk


async def test_alerts_go_before_every_status_update(channels):
    waiting = await _residents(channels, 3)
    for resident in waiting:
        await notify(resident, kind="accounts", message_key="notifications.linked")
    threatened = await _residents(channels, 2)
    await start_broadcast(
        alert_id=12,
        message_key="tests.alert",
        params=PARAMS,
        resident_ids=[r.id for r in threatened],
    )
    assert await channels.worker.run_once() == 5
    order = [c.params["chat_id"] for c in channels.tg.calls_to("sendMessage")]
    assert set(order[:2]) == {r.telegram_chat_id for r in threatened}
    assert all("allow_paid_broadcast" not in c.params for c in channels.tg.calls_to("sendMessage"))


async def test_exercise__marked_on_every_channel_and_in_the_app(channels):
    [on_telegram] = await _residents(channels, 1, language="en")
    [on_push] = await _residents(channels, 1, push=True)
    await start_broadcast(
        alert_id=13,
        message_key="tests.alert",
        params=PARAMS,
        resident_ids=[on_telegram.id, on_push.id],
        exercise=True,
    )
    assert await channels.worker.run_once() == 2
    [text] = _texts_to(channels, on_telegram.telegram_chat_id)
    assert (
        text.startswith("[EXERCISE / TEST] [Alert]") and "\n[EXERCISE / TEST]\nHeavy rain" in text
    )
    [push] = channels.fcm.messages
    assert push["notification"]["title"].startswith("【訓練・テスト】")
    assert push["android"]["priority"] == "HIGH"
    [in_app] = await Notification.filter(resident=on_push).select_related("broadcast")
    from notifications.service import render

    assert render(in_app, "ja").startswith("【訓練・テスト】\n大雨警報")


async def test_delivery_counts__by_channel_and_per_resident(channels):
    telegram = await _residents(channels, 3)
    push = await _residents(channels, 2, push=True)
    [in_app_only] = await _residents(channels, 1, push=True)
    await PushDevice.filter(resident=in_app_only).delete()
    channels.tg.block_chat(telegram[0].telegram_chat_id)
    ids = [r.id for r in telegram + push] + [in_app_only.id]
    await start_broadcast(alert_id=14, message_key="tests.alert", params=PARAMS, resident_ids=ids)
    before = await delivery_counts(14)
    assert before["total"] == {"targeted": 6, "sent": 0, "delivered": 0, "failed": 0, "unknown": 0}
    assert before["in_app"]["targeted"] == 6 and before["telegram"]["targeted"] == 0
    assert await channels.worker.run_once() == 4
    counts = await delivery_counts(14)
    assert counts["telegram"] == {
        "targeted": 3,
        "sent": 2,
        "delivered": 2,
        "failed": 1,
        "unknown": 0,
    }
    assert counts["push"] == {"targeted": 2, "sent": 2, "delivered": 2, "failed": 0, "unknown": 0}
    assert counts["email"] == {"targeted": 0, "sent": 0, "delivered": 0, "failed": 0, "unknown": 0}
    assert counts["in_app"] == {"targeted": 6, "sent": 6, "delivered": 6, "failed": 0, "unknown": 0}
    assert counts["total"] == {"targeted": 6, "sent": 5, "delivered": 5, "failed": 1, "unknown": 0}
    assert await delivery_counts(404) == {
        key: {"targeted": 0, "sent": 0, "delivered": 0, "failed": 0, "unknown": 0}
        for key in ("telegram", "push", "email", "in_app", "total")
    }


async def test_alert__in_the_in_app_list_at_once(channels):
    account = await channels.gql.sign_up(language="en")
    resident = await Resident.get(public_id=account.id)
    await start_broadcast(
        alert_id=15, message_key="tests.alert", params=PARAMS, resident_ids=[resident.id]
    )
    body = await channels.gql.op("MyNotifications", auth=account.token)
    [item] = body["data"]["myNotifications"]
    assert item["kind"] == "alert" and item["text"] == "Heavy rain warning: 阿武隈川 氾濫危険"


class TestPaidBroadcast:
    @pytest.fixture
    def channel_env(self):
        return {"TELEGRAM_PAID_BROADCAST": "1"}

    async def test_paid_broadcast__alerts_only(self, channels):
        [waiting] = await _residents(channels, 1)
        await notify(waiting, kind="accounts", message_key="notifications.linked")
        threatened = await _residents(channels, 2)
        await start_broadcast(
            alert_id=16,
            message_key="tests.alert",
            params=PARAMS,
            resident_ids=[r.id for r in threatened],
        )
        assert await channels.worker.run_once() == 3
        paid = {
            c.params["chat_id"]: c.params.get("allow_paid_broadcast")
            for c in channels.tg.calls_to("sendMessage")
        }
        assert paid == {
            waiting.telegram_chat_id: None,
            **{r.telegram_chat_id: True for r in threatened},
        }
        assert await Delivery.filter(status=LedgerStatus.DELIVERED).count() == 3
