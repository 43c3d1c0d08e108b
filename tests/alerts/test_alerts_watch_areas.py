"""setWatchAreas / watchAreas, setAlertSubscription, shareLocation: each resident's own."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from core import clock
from tests.alerts.city import SET_WATCH, SUBSCRIBE
from tests.support.graphql import error_codes

READ = "{ watchAreas { label lat lng radiusMeters } alertSubscription { cityWide exercises } }"
SHARE = """mutation($lat: Float!, $lng: Float!) {
  shareLocation(lat: $lat, lng: $lng) { lat lng sharedAt expiresAt } }"""
SHARED = "{ sharedLocation { lat lng } }"
HOME = {"label": "自宅", "lat": 37.5849, "lng": 140.4312, "radiusMeters": 500}
SCHOOL = {"label": "School", "lat": 37.60, "lng": 140.40, "radiusMeters": 1000}


async def test_set_watch_areas__replaces_and_reads_back(city):
    resident = await city.resident()
    await city.gql.data(SET_WATCH, {"areas": [HOME, SCHOOL]}, auth=resident.token)
    await city.gql.data(SET_WATCH, {"areas": [SCHOOL]}, auth=resident.token)
    body = await city.gql.data(READ, auth=resident.token)
    assert body["watchAreas"] == [{**SCHOOL, "radiusMeters": 1000.0}]
    assert body["alertSubscription"] == {"cityWide": False, "exercises": False}


async def test_watch_areas__one_residents_are_not_anothers(city):
    alice, bob = await city.resident(), await city.resident()
    await city.gql.data(SET_WATCH, {"areas": [HOME]}, auth=alice.token)
    assert (await city.gql.data(READ, auth=bob.token))["watchAreas"] == []


@pytest.mark.parametrize(
    ("area", "field"),
    [
        ({**HOME, "lat": 90.5}, "areas[0].lat"),
        ({**HOME, "lng": 181}, "areas[0].lng"),
        ({**HOME, "radiusMeters": 10}, "areas[0].radiusMeters"),
        ({**HOME, "radiusMeters": 50_001}, "areas[0].radiusMeters"),
        ({**HOME, "label": "家" * 51}, "areas[0].label"),
        ({**HOME, "label": "家\n"}, "areas[0].label"),
    ],
)
async def test_set_watch_areas__bad_input(city, area, field):
    resident = await city.resident()
    await city.gql.data(SET_WATCH, {"areas": [HOME]}, auth=resident.token)
    body = await city.gql(SET_WATCH, {"areas": [HOME, area]}, auth=resident.token)
    assert error_codes(body) == ["VALIDATION"]
    assert body["errors"][0]["extensions"]["field"] == field.replace("[0]", "[1]")
    assert len((await city.gql.data(READ, auth=resident.token))["watchAreas"]) == 1


async def test_set_watch_areas__at_most_ten(city):
    resident = await city.resident()
    body = await city.gql(SET_WATCH, {"areas": [HOME] * 11}, auth=resident.token)
    assert error_codes(body) == ["VALIDATION"]


async def test_watch_areas__need_a_resident(city):
    assert error_codes(await city.gql(READ)) == ["UNAUTHENTICATED"]
    staff = await city.crisis_staff()
    assert error_codes(await city.gql(SET_WATCH, {"areas": [HOME]}, auth=staff.token)) == [
        "FORBIDDEN"
    ]


async def test_alert_subscription__city_wide_and_exercises(city):
    resident = await city.resident()
    body = await city.gql.data(
        SUBSCRIBE, {"cityWide": True, "exercises": True}, auth=resident.token
    )
    assert body["setAlertSubscription"] == {"cityWide": True, "exercises": True}
    body = await city.gql.data(SUBSCRIBE, {"cityWide": False}, auth=resident.token)
    assert body["setAlertSubscription"] == {"cityWide": False, "exercises": True}


async def test_share_location__kept_for_24_hours(city):
    resident = await city.resident()
    body = await city.gql.data(SHARE, {"lat": 37.59, "lng": 140.43}, auth=resident.token)
    shared = body["shareLocation"]
    assert (shared["lat"], shared["lng"]) == (37.59, 140.43)
    assert (await city.gql.data(SHARED, auth=resident.token))["sharedLocation"] is not None
    with time_machine.travel(clock.now() + timedelta(hours=24, seconds=1)):
        token = city.token_for(resident.model)
        assert (await city.gql.data(SHARED, auth=token))["sharedLocation"] is None


async def test_share_location__bad_point(city):
    resident = await city.resident()
    body = await city.gql(SHARE, {"lat": -91, "lng": 140.43}, auth=resident.token)
    assert error_codes(body) == ["VALIDATION"]


async def test_merge__telegram_residents_alert_settings_join_the_app_account(city):
    from accounts.models import Resident
    from accounts.service import create_link_code, redeem_link_code
    from notifications.alerts.models import AlertSubscription, SharedLocation, WatchArea

    app_account = await city.resident()
    chat = await Resident.create(
        display_name="Telegram 1", telegram_user_id=501, telegram_chat_id=501
    )
    await SharedLocation.create(resident=chat, lat=37.58, lng=140.43, shared_at=clock.now())
    await AlertSubscription.create(resident=chat, city_wide=True, exercises=True)
    await WatchArea.create(
        resident=chat,
        label="家",
        lat=37.58,
        lng=140.43,
        radius_m=300,
        min_lat=37.57,
        min_lng=140.42,
        max_lat=37.59,
        max_lng=140.44,
    )

    await redeem_link_code(chat, await create_link_code(app_account.model))

    assert (await SharedLocation.get(resident_id=app_account.model.id)).lat == 37.58
    subscription = await AlertSubscription.get(resident_id=app_account.model.id)
    assert (subscription.city_wide, subscription.exercises) == (True, True)
    assert await WatchArea.filter(resident_id=app_account.model.id).count() == 1


async def test_merge__the_app_accounts_own_subscription_wins(city):
    from accounts.models import Resident
    from accounts.service import create_link_code, redeem_link_code
    from notifications.alerts.models import AlertSubscription

    app_account = await city.resident()
    await AlertSubscription.create(resident=app_account.model, city_wide=False, exercises=False)
    chat = await Resident.create(
        display_name="Telegram 2", telegram_user_id=502, telegram_chat_id=502
    )
    await AlertSubscription.create(resident=chat, city_wide=True, exercises=True)

    await redeem_link_code(chat, await create_link_code(app_account.model))

    subscription = await AlertSubscription.get(resident_id=app_account.model.id)
    assert (subscription.city_wide, subscription.exercises) == (False, False)
    assert await AlertSubscription.all().count() == 1
