"""createAlert / updateAlert / cancelAlert as crisis staff: CAP fields, messages, references."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from notifications.alerts.models import AlertMessage
from tests.alerts.city import ACTIVE, ALERTS, CANCEL, CITY_HALL, UPDATE, alert_input
from tests.support.graphql import error_codes


async def test_create_alert__stores_the_cap_fields(city):
    staff = await city.crisis_staff()
    alert = await city.create(staff)
    assert alert["status"] == "ACTUAL" and alert["msgType"] == "ALERT"
    assert alert["source"] == "STAFF" and alert["category"] == "MET"
    assert (alert["event"], alert["urgency"], alert["severity"], alert["certainty"]) == (
        "大雨",
        "IMMEDIATE",
        "SEVERE",
        "LIKELY",
    )
    assert alert["hazard"] == "FLOOD" and alert["isActive"] is True
    assert alert["identifier"].startswith("urn:uuid:") and alert["references"] == []
    assert alert["areas"][0]["circles"] == [
        {"lat": CITY_HALL[0], "lng": CITY_HALL[1], "radiusMeters": 5000.0}
    ]
    assert alert["capUrl"] == f"/alerts/{alert['id']}.cap.xml"


async def test_create_alert__polygon_is_closed_and_found_inside(city):
    staff = await city.crisis_staff()
    ring = [
        {"lat": 37.58, "lng": 140.42},
        {"lat": 37.58, "lng": 140.44},
        {"lat": 37.60, "lng": 140.44},
        {"lat": 37.60, "lng": 140.42},
    ]
    alert = await city.create(staff, areas=[{"description": "中心部", "polygons": [ring]}])
    stored = alert["areas"][0]["polygons"][0]
    assert stored[0] == stored[-1] and len(stored) == 5
    inside = await city.gql.data(ACTIVE, {"lat": 37.59, "lng": 140.43})
    outside = await city.gql.data(ACTIVE, {"lat": 37.59, "lng": 140.45})
    assert [a["id"] for a in inside["activeAlerts"]] == [alert["id"]]
    assert outside["activeAlerts"] == []


async def test_update_alert__new_message_references_the_earlier(city):
    staff = await city.crisis_staff()
    alert = await city.create(staff)
    changed = alert_input(msgType="UPDATE", headline="避難指示を発令しました", severity="EXTREME")
    body = await city.gql.data(UPDATE, {"id": alert["id"], "input": changed}, auth=staff.token)
    updated = body["updateAlert"]
    assert updated["id"] == alert["id"] and updated["msgType"] == "UPDATE"
    assert updated["identifier"] != alert["identifier"]
    assert updated["headline"] == "避難指示を発令しました" and updated["severity"] == "EXTREME"
    sender, identifier, sent = updated["references"][0].split(",")
    assert (sender, identifier) == (alert["sender"], alert["identifier"])
    assert sent.endswith("+09:00")
    assert await AlertMessage.filter(alert__public_id=alert["id"]).count() == 2


async def test_cancel_alert__ends_it_with_references_to_all_messages(city):
    staff = await city.crisis_staff()
    alert = await city.create(staff)
    await city.gql.data(
        UPDATE, {"id": alert["id"], "input": alert_input(msgType="UPDATE")}, auth=staff.token
    )
    body = await city.gql.data(CANCEL, {"id": alert["id"], "note": "誤報"}, auth=staff.token)
    cancelled = body["cancelAlert"]
    assert cancelled["msgType"] == "CANCEL" and cancelled["isActive"] is False
    assert cancelled["note"] == "誤報" and len(cancelled["references"]) == 2
    assert (await city.gql.data(ACTIVE, dict(zip(("lat", "lng"), CITY_HALL, strict=True))))[
        "activeAlerts"
    ] == []
    again = await city.gql(CANCEL, {"id": alert["id"]}, auth=staff.token)
    assert error_codes(again) == ["VALIDATION"]


async def test_update_after_cancel__refused(city):
    staff = await city.crisis_staff()
    alert = await city.create(staff)
    await city.gql.data(CANCEL, {"id": alert["id"]}, auth=staff.token)
    body = await city.gql(UPDATE, {"id": alert["id"], "input": alert_input()}, auth=staff.token)
    assert error_codes(body) == ["VALIDATION"]


async def test_alerts__active_filter(city):
    staff = await city.crisis_staff()
    live = await city.create(staff)
    gone = await city.create(staff, headline="終わったもの")
    await city.gql.data(CANCEL, {"id": gone["id"]}, auth=staff.token)
    active = await city.gql.data(ALERTS, {"active": True}, auth=staff.token)
    inactive = await city.gql.data(ALERTS, {"active": False}, auth=staff.token)
    every = await city.gql.data(ALERTS, {}, auth=staff.token)
    assert [a["id"] for a in active["alerts"]] == [live["id"]]
    assert [a["id"] for a in inactive["alerts"]] == [gone["id"]]
    assert {a["id"] for a in every["alerts"]} == {live["id"], gone["id"]}


async def test_expired_alert__no_longer_active(city):
    staff = await city.crisis_staff()
    expires = datetime.now(UTC) + timedelta(hours=1)
    await city.create(staff, expires=expires.isoformat())
    point = {"lat": CITY_HALL[0], "lng": CITY_HALL[1]}
    assert len((await city.gql.data(ACTIVE, point))["activeAlerts"]) == 1
    with time_machine.travel(expires + timedelta(seconds=1)):
        assert (await city.gql.data(ACTIVE, point))["activeAlerts"] == []


async def test_future_alert__active_from_its_effective_time(city):
    staff = await city.crisis_staff()
    effective = datetime.now(UTC) + timedelta(hours=2)
    await city.create(staff, effective=effective.isoformat())
    point = {"lat": CITY_HALL[0], "lng": CITY_HALL[1]}
    assert (await city.gql.data(ACTIVE, point))["activeAlerts"] == []
    with time_machine.travel(effective + timedelta(minutes=1)):
        assert len((await city.gql.data(ACTIVE, point))["activeAlerts"]) == 1


async def test_exercise_alert__not_public(city):
    staff = await city.crisis_staff()
    await city.create(staff, status="EXERCISE")
    point = {"lat": CITY_HALL[0], "lng": CITY_HALL[1]}
    assert (await city.gql.data(ACTIVE, point))["activeAlerts"] == []
