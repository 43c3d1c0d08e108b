"""Recipient selection: watch areas reached by the alert area (in metres, on the ellipsoid),
a location shared in the last 24 hours, whole-city subscribers; each resident once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from pyproj import Geod

from core import clock
from notifications.alerts.models import Alert, SharedLocation
from notifications.alerts.recipients import select_recipients
from notifications.alerts.watch import set_subscription
from tests.alerts.city import CITY_HALL, DELIVERY, SUBSCRIBE

GEOD = Geod(ellps="WGS84")


def moved(metres: float, azimuth: float, start: tuple[float, float] = CITY_HALL):
    lng, lat, _ = GEOD.fwd(start[1], start[0], azimuth, metres)
    return lat, lng


async def _recipients(city, alert_id: str) -> list[int]:
    alert = await Alert.get(public_id=alert_id)
    return await select_recipients(alert, service_area=city.settings.service_area)


@pytest.mark.parametrize("azimuth", [0.0, 90.0, 225.0])
async def test_watch_circle_at_the_edge__metres_not_degrees(city, azimuth):
    staff = await city.crisis_staff()
    alert = await city.create(staff)  # 5 km around the city hall
    touching, apart = await city.resident(), await city.resident()
    await city.watch(touching, (*moved(5_300 - 2, azimuth), 300))
    await city.watch(apart, (*moved(5_300 + 2, azimuth), 300))
    assert await _recipients(city, alert["id"]) == [touching.model.id]


async def test_each_resident_once_and_only_the_reached(city):
    staff = await city.crisis_staff()
    near, far, many, nothing = [await city.resident() for _ in range(4)]
    await city.watch(near, (*CITY_HALL, 1000))
    await city.watch(far, (*moved(8_000, 45), 1000))
    await city.watch(many, (*CITY_HALL, 100), (*moved(1_000, 0), 100), (*moved(2_000, 180), 100))
    alert = await city.create(staff)
    assert await _recipients(city, alert["id"]) == sorted([near.model.id, many.model.id])
    assert nothing.model.id not in await _recipients(city, alert["id"])


async def test_polygon_area__reaches_watch_circles_that_cross_it(city):
    staff = await city.crisis_staff()
    ring = [moved(1000, a) for a in (0, 90, 180, 270)]
    polygon = [{"lat": lat, "lng": lng} for lat, lng in ring]
    inside, crossing, outside = [await city.resident() for _ in range(3)]
    await city.watch(inside, (*CITY_HALL, 50))
    await city.watch(crossing, (*moved(1_500, 0), 600))
    await city.watch(outside, (*moved(1_500, 0), 400))
    alert = await city.create(staff, areas=[{"description": "中心", "polygons": [polygon]}])
    assert await _recipients(city, alert["id"]) == sorted([inside.model.id, crossing.model.id])


async def test_shared_location__counts_for_24_hours(city):
    staff = await city.crisis_staff()
    fresh, stale = await city.resident(), await city.resident()
    await SharedLocation.create(
        resident=fresh.model,
        lat=CITY_HALL[0],
        lng=CITY_HALL[1],
        shared_at=clock.now() - timedelta(hours=23),
    )
    await SharedLocation.create(
        resident=stale.model,
        lat=CITY_HALL[0],
        lng=CITY_HALL[1],
        shared_at=clock.now() - timedelta(hours=25),
    )
    alert = await city.create(staff)
    assert await _recipients(city, alert["id"]) == [fresh.model.id]


async def test_city_wide__gets_alerts_touching_the_city_only(city):
    staff = await city.crisis_staff()
    subscriber = await city.resident()
    await city.gql.data(SUBSCRIBE, {"cityWide": True}, auth=subscriber.token)
    here = await city.create(staff)
    tokyo = await city.create(
        staff,
        areas=[
            {
                "description": "東京",
                "circles": [{"lat": 35.68, "lng": 139.76, "radiusMeters": 5000}],
            }
        ],
    )
    assert await _recipients(city, here["id"]) == [subscriber.model.id]
    assert await _recipients(city, tokyo["id"]) == []


async def test_exercise__only_opted_in_testers(city):
    staff = await city.crisis_staff()
    tester, plain = await city.resident(), await city.resident()
    await city.watch(tester, (*CITY_HALL, 500))
    await city.watch(plain, (*CITY_HALL, 500))
    await set_subscription(tester.model, city_wide=False, exercises=True)
    drill = await city.create(staff, status="EXERCISE")
    test = await city.create(staff, status="TEST")
    real = await city.create(staff)
    assert await _recipients(city, drill["id"]) == [tester.model.id]
    assert await _recipients(city, test["id"]) == [tester.model.id]
    assert await _recipients(city, real["id"]) == sorted([tester.model.id, plain.model.id])


async def test_alert_delivery__counts_the_targeted_once_per_message(city):
    staff = await city.crisis_staff()
    residents = [await city.resident() for _ in range(3)]
    for resident in residents:
        await city.watch(resident, (*CITY_HALL, 300), (*moved(500, 90), 300))
    alert = await city.create(staff)
    delivery = (await city.gql.data(DELIVERY, {"id": alert["id"]}, auth=staff.token))[
        "alertDelivery"
    ]
    assert delivery["targeted"] == 3
    assert {c["channel"] for c in delivery["byChannel"]} >= {"in_app"}


async def test_exercise_message__marked(city):
    staff = await city.crisis_staff()
    tester = await city.resident(language="en")
    await city.watch(tester, (*CITY_HALL, 500))
    await set_subscription(tester.model, city_wide=False, exercises=True)
    await city.create(staff, status="EXERCISE")
    body = await city.gql.data("{ myNotifications { text } }", auth=tester.token)
    [notification] = body["myNotifications"]
    assert notification["text"].startswith("[EXERCISE]\n")
    assert "大雨" in notification["text"]


async def test_resident_message__in_their_language(city):
    staff = await city.crisis_staff()
    ja, en = await city.resident(), await city.resident(language="en")
    for resident in (ja, en):
        await city.watch(resident, (*CITY_HALL, 500))
    with time_machine.travel(clock.now(), tick=True):
        await city.create(staff)
    ja_text = await city.gql.data("{ myNotifications { text } }", auth=ja.token)
    en_text = await city.gql.data("{ myNotifications { text } }", auth=en.token)
    assert "緊急情報" in ja_text["myNotifications"][0]["text"]
    assert "ALERT" in en_text["myNotifications"][0]["text"]
