"""Alerts to app users by FCM topic: devices follow the cells of their watch areas through the
Instance ID API; an alert is one condition message per five topics and language; the safety
check's answers ride on the push."""

from __future__ import annotations

import json
import random

import pytest

from accounts.models import Resident
from notifications.alerts.geometry import shape_of
from notifications.alerts.watch import WatchAreaDraft, set_watch_areas
from notifications.channels.push import topics
from notifications.channels.push.models import PushDevice, PushTopic, TopicMessage
from notifications.models import Delivery, LedgerStatus
from tests.alerts.city import CITY_HALL, DELIVERY, SUBSCRIBE, City
from tests.bots.conftest import BotHarness
from tests.support.metrics import counted, samples, value

NEAR = (CITY_HALL[0] + 0.01, CITY_HALL[1], 800.0)  # about 1 km north of the city hall
FAR = (37.80, 140.80, 500.0)  # 40 km away
LINK_CODE = "mutation { createTelegramLinkCode { code } }"
METRICS = (  # what /metrics shows of an alert's push
    ("madoguchi_push_topic_messages_total", {"outcome": "delivered"}),
    ("madoguchi_push_topic_devices_total", {"outcome": "delivered"}),
    ("madoguchi_messages_total", {"channel": "push", "outcome": "delivered"}),
)


@pytest.fixture
async def city(channels) -> City:
    town = City(channels.gql, channels.app.state.services.settings)
    await town.seed()
    return town


async def _app_user(channels, city: City, language: str, *areas):
    caller = await city.resident(language=language)
    token = channels.fcm.device()
    body = await channels.gql.op(
        "RegisterPushDevice", auth=caller.token, token=token, platform="IOS"
    )
    assert body["data"]["registerPushDevice"]["pushDevices"] == 1, body
    if areas:
        await city.watch(caller, *areas)
    return caller, token


def _cells(lat: float, lng: float, radius: float, language: str, grid: str = "f") -> set[str]:
    """The cells (of the fine or the coarse grid) an alert over exactly this circle names."""
    shape = shape_of([{"circles": [{"lat": lat, "lng": lng, "radiusMeters": radius}]}])
    return {n for n in topics.alert_topics(shape, False, language) if f"-{language}-{grid}" in n}


def _areas(language: str, *areas) -> set[str]:
    """What a device of a resident with these watch areas follows."""
    return {name for area in areas for name in topics.area_topics(*area, language)}


async def _op(harness, name: str, auth: str, **variables) -> dict:
    body = await harness.gql.op(name, auth=auth, **variables)
    assert "errors" not in body, body
    return body["data"]


def test_topics__a_watch_area_follows_every_cell_an_alert_over_it_names():
    rng = random.Random(12)
    for _ in range(60):
        lat, lng = 37.4 + rng.random() * 0.4, 140.2 + rng.random() * 0.4
        radius = rng.choice((50.0, 400.0, 1500.0, 4000.0))
        followed = set(topics.area_topics(lat, lng, radius, "ja"))
        grid = "f" if all("-ja-f" in name for name in followed) else "k"
        assert _cells(lat, lng, radius, "ja", grid) <= followed
        wider = _cells(lat, lng, radius * 1.05 + 50, "ja", grid)
        assert followed <= wider, (lat, lng, radius)  # and no cell much farther away
    wide = topics.area_topics(37.6, 140.4, 30_000.0, "en")
    assert all(name.startswith("alert-en-k") for name in wide) and len(wide) <= 16


async def test_topics__a_device_follows_areas_city_and_language__and_leaves_them(channels, city):
    caller, token = await _app_user(channels, city, "en", NEAR)
    await channels.worker.run_once()
    assert _cells(*NEAR, "en") <= channels.fcm.topics_of(token)
    assert 1 <= len(channels.fcm.topics_of(token)) <= 4

    await channels.gql.data(SUBSCRIBE, {"cityWide": True}, auth=caller.token)
    await city.watch(caller, FAR)
    await channels.worker.run_once()
    followed = channels.fcm.topics_of(token)
    assert "alert-en-city" in followed and _cells(*FAR, "en") <= followed
    assert not followed & _cells(*NEAR, "en")  # the old area's cells are left
    assert set(await PushTopic.filter(token=token).values_list("topic", flat=True)) == (
        channels.fcm.topics_of(token)
    )

    await _op(
        channels, "SetNotificationPreferences", caller.token, channels=["PUSH"], language="ja"
    )
    await channels.worker.run_once()
    assert channels.fcm.topics_of(token) == _areas("ja", FAR) | {"alert-ja-city"}  # en left
    await _op(channels, "SetLanguage", caller.token, language="en")
    await channels.worker.run_once()
    assert channels.fcm.topics_of(token) == _areas("en", FAR) | {"alert-en-city"}

    body = await channels.gql.op("UnregisterPushDevice", auth=caller.token, token=token)
    assert "errors" not in body, body
    await channels.worker.run_once()
    assert channels.fcm.topics_of(token) == set()  # a signed-out phone hears no more alerts
    assert not await PushTopic.exists()


async def test_topics__a_device_gone_at_fcm_or_with_its_resident_leaves_them(channels, city):
    _, gone_token = await _app_user(channels, city, "ja", NEAR)
    caller, token = await _app_user(channels, city, "ja", NEAR)
    channels.fcm.unregister(gone_token)
    await channels.worker.run_once()
    assert not await PushDevice.filter(token=gone_token).exists()
    assert channels.fcm.topics_of(gone_token) == set()
    assert channels.fcm.topics_of(token) == _areas("ja", NEAR)

    await caller.model.delete()  # the resident's account is deleted
    await channels.worker.run_once()
    assert channels.fcm.topics_of(token) == set()
    assert not await PushTopic.exists()


async def test_topics__a_merged_account_follows_both_areas__and_the_bots_language(channels, city):
    """The app account joins the Telegram account's watch areas (/link) and its devices
    follow them; the bot's language button moves them to that language's topics."""
    bot = BotHarness(channels.app, channels.http, channels.tg)
    user = bot.user("ja")
    await bot.send(bot.updates.command("start", user=user))
    from_telegram = await Resident.get(telegram_user_id=user.id)
    await set_watch_areas(from_telegram, [WatchAreaDraft("実家", *FAR)])
    other_token = channels.fcm.device()  # a device of the joined account goes with it
    await PushDevice.create(resident=from_telegram, token=other_token, platform="android")
    caller, token = await _app_user(channels, city, "ja", NEAR)
    await channels.worker.run_once()
    assert channels.fcm.topics_of(token) == _areas("ja", NEAR)

    made = await channels.gql.data(LINK_CODE, auth=caller.token)
    code = made["createTelegramLinkCode"]["code"]
    await bot.send(bot.updates.command("link", args=code, user=user))
    await channels.worker.run_once()
    for device in (token, other_token):
        assert channels.fcm.topics_of(device) == _areas("ja", NEAR, FAR)

    await bot.send(bot.updates.command("language", user=user))
    prompt = bot.last_reply(user)
    await bot.send(bot.updates.callback_query("lang:en", message=prompt, user=user))
    await channels.worker.run_once()
    for device in (token, other_token):
        assert channels.fcm.topics_of(device) == _areas("en", NEAR, FAR)


async def test_alert__one_message_per_condition__each_device_shows_it_once(channels, city):
    _, near_ja_token = await _app_user(channels, city, "ja", NEAR, NEAR[:2] + (3000.0,))
    _, near_en_token = await _app_user(channels, city, "en", NEAR)
    _, far_token = await _app_user(channels, city, "ja", FAR)
    await channels.worker.run_once()  # the devices follow their topics
    _, late_token = await _app_user(channels, city, "ja", NEAR)  # not following them yet
    before = {name: counted(name, **labels) for name, labels in METRICS}

    alert = await city.create(await city.crisis_staff(), severity="SEVERE")
    await channels.worker.run_once()

    conditions = [m for m in channels.fcm.messages if "condition" in m]
    sent = await TopicMessage.all()
    assert len(conditions) == len(sent) >= 4  # a 5 km circle: several conditions, ja and en
    assert all(row.status == LedgerStatus.DELIVERED for row in sent)
    assert all(len(row.topics) <= topics.CONDITION_TOPICS for row in sent)
    for token in (near_ja_token, near_en_token, late_token):
        assert len(channels.fcm.shown[token]) == 1, token  # one alert on the screen
    assert channels.fcm.messages_to(far_token) == []
    for token, language in ((near_ja_token, "ja"), (near_en_token, "en")):
        assert {m["data"]["language"] for m in channels.fcm.messages_to(token)} == {language}
    # Only the device that did not follow the topics yet has a push row of its own.
    rows = await Delivery.filter(channel="push")
    assert [(row.address, row.status) for row in rows] == [(late_token, LedgerStatus.DELIVERED)]

    staff = await city.crisis_staff()
    counts = (await channels.gql.data(DELIVERY, {"id": alert["id"]}, auth=staff.token))[
        "alertDelivery"
    ]
    push = next(c for c in counts["byChannel"] if c["channel"] == "push")
    assert push == {
        "channel": "push",
        "targeted": 3,  # the two near devices by topic, the late one by its own row
        "sent": 3,
        "delivered": 3,
        "failed": 0,
    }
    scraped = (await channels.http.get("/metrics")).text
    grown = {
        name: value(samples(scraped, name), **labels) - before[name] for name, labels in METRICS
    }
    assert grown == {
        "madoguchi_push_topic_messages_total": len(sent),
        "madoguchi_push_topic_devices_total": 2,  # the two near devices, once each
        "madoguchi_messages_total": 1,  # the late device's own push
    }


async def test_alert__the_push_asks_the_safety_check(channels, city):
    _, token = await _app_user(channels, city, "ja", NEAR)
    await channels.worker.run_once()
    _, late_token = await _app_user(channels, city, "en", NEAR)
    alert = await city.create(await city.crisis_staff(), severity="SEVERE")
    await channels.worker.run_once()

    received = [(m, "ja") for m in channels.fcm.messages_to(token)]  # by topic: one or two
    received += [(m, "en") for m in channels.fcm.messages_to(late_token)]  # by token
    assert len(channels.fcm.messages_to(late_token)) == 1
    for message, language in received:
        data = message["data"]
        assert data["category"] == "SAFETY_CHECK" and data["alertId"] == alert["id"]
        answers = json.loads(data["answers"])
        assert [a["status"] for a in answers] == ["SAFE", "AT_SHELTER", "NEED_HELP"]
        assert ("無事" in answers[0]["label"]) == (language == "ja")
        assert message["android"]["notification"]["click_action"] == "SAFETY_CHECK"
        assert message["apns"]["payload"]["aps"]["category"] == "SAFETY_CHECK"
        assert message["android"]["priority"] == "HIGH"
    collapse = {m["apns"]["headers"]["apns-collapse-id"] for m in channels.fcm.messages}
    assert len(collapse) == 1  # by topic or by token: one alert, one collapse key
    assert len(channels.fcm.shown[token]) == len(channels.fcm.shown[late_token]) == 1

    await city.create(await city.crisis_staff(), severity="MODERATE")
    await channels.worker.run_once()
    moderate = channels.fcm.messages_to(token)[-1]
    assert "category" not in moderate["data"]  # no disaster mode, no safety check
    assert "payload" not in moderate["apns"]
