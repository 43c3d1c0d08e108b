"""Disaster mode is a reading of the alerts in force at a point (real, Severe or Extreme), or
the city's switch; `home` leads with the alerts; it ends when the alert is cancelled or over."""

from __future__ import annotations

import asyncio
import math
import time
from datetime import UTC, datetime, timedelta

import time_machine

from accounts.models import Role
from core import clock
from disaster.mode import runtime, situation
from disaster.mode.models import CityModeChange
from notifications.alerts.models import Alert
from tests.disaster.town import CANCEL, CITY_HALL, Town, by_distance
from tests.support.graphql import error_codes

FAR_AWAY = (37.70, 140.60)  # still in the city, 20 km from the city hall


# A weekday at 10:00 in Japan: the city hall's AED is reachable in office hours only.
OFFICE_HOURS = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


async def test_home__no_alert__normal_mode_nearest_places_and_aeds(town: Town):
    with time_machine.travel(OFFICE_HOURS, tick=True):
        home = await town.home()
    assert home["alerts"] == []
    assert (home["disasterMode"], home["mode"], home["hazard"]) == (False, "NORMAL", None)
    assert home["modeLabel"] == "平常時"
    nearest = [place.name for _, _, place in await by_distance(CITY_HALL)][:3]
    assert [hit["shelter"]["name"] for hit in home["shelters"]] == nearest
    assert {hit["status"] for hit in home["shelters"]} == {"NOT_OPENED"}
    assert home["aeds"][0]["aed"]["name"] == "二本松市役所"
    assert "国土地理院" in home["geoAttribution"]


async def test_severe_alert__home_leads_with_it__disaster_mode_for_its_area_only(town: Town):
    crisis = await town.crisis_staff()
    alert = await town.create(crisis, severity="SEVERE", hazard="FLOOD")

    home = await town.home()
    assert home["alerts"] == [
        {
            "id": alert["id"],
            "headline": alert["headline"],
            "hazard": "FLOOD",
            "severity": "SEVERE",
        }
    ]
    assert (home["disasterMode"], home["mode"], home["hazard"]) == (True, "DISASTER", "FLOOD")
    outside = await town.home(FAR_AWAY)
    assert (outside["alerts"], outside["disasterMode"], outside["mode"]) == ([], False, "NORMAL")


async def test_gravest_alert_first__its_hazard_counts(town: Town):
    crisis = await town.crisis_staff()
    minor = await town.create(crisis, severity="MODERATE", hazard="LANDSLIDE", headline="注意報")
    extreme = await town.create(crisis, severity="EXTREME", hazard="EARTHQUAKE", headline="震度6弱")
    severe = await town.create(crisis, severity="SEVERE", hazard="FLOOD", headline="警報")

    home = await town.home()

    assert [a["id"] for a in home["alerts"]] == [extreme["id"], severe["id"], minor["id"]]
    assert home["hazard"] == "EARTHQUAKE"


async def test_moderate_alert__listed_and_its_hazard_used__not_disaster_mode(town: Town):
    crisis = await town.crisis_staff()
    await town.create(crisis, severity="MODERATE", hazard="LANDSLIDE")

    home = await town.home()

    assert len(home["alerts"]) == 1
    assert (home["disasterMode"], home["hazard"]) == (False, "LANDSLIDE")


async def test_exercises_and_tests__never_disaster_mode(town: Town):
    crisis = await town.crisis_staff()
    for status in ("EXERCISE", "TEST"):
        await town.create(crisis, status=status, severity="EXTREME")
    home = await town.home()
    assert (home["alerts"], home["disasterMode"]) == ([], False)


async def test_cancelling_the_alert__ends_disaster_mode(town: Town):
    crisis = await town.crisis_staff()
    alert = await town.create(crisis)
    assert (await town.home())["disasterMode"] is True

    await town.gql.data(CANCEL, {"id": alert["id"]}, auth=crisis.token)

    home = await town.home()
    assert (home["alerts"], home["disasterMode"], home["hazard"]) == ([], False, None)


async def test_alert_over__ends_disaster_mode__one_that_starts_later_begins_it(town: Town):
    crisis = await town.crisis_staff()
    now = clock.now()
    await town.create(crisis, expires=(now + timedelta(hours=1)).isoformat())
    later = await town.create(
        crisis,
        hazard="LANDSLIDE",
        effective=(now + timedelta(hours=2)).isoformat(),
        expires=(now + timedelta(hours=3)).isoformat(),
    )
    assert (await town.home())["hazard"] == "FLOOD"

    with time_machine.travel(now + timedelta(minutes=61), tick=False):
        assert (await town.home())["disasterMode"] is False
    with time_machine.travel(now + timedelta(minutes=121), tick=False):
        home = await town.home()
        assert [a["id"] for a in home["alerts"]] == [later["id"]]
        assert home["hazard"] == "LANDSLIDE"


async def test_city_switch__disaster_everywhere_with_its_hazard__then_recovery(town: Town):
    crisis = await town.crisis_staff()

    switched = await town.set_mode(crisis, "DISASTER", hazard="EARTHQUAKE", note="本部設置")

    assert switched["mode"] == "DISASTER" and switched["hazard"] == "EARTHQUAKE"
    home = await town.home(FAR_AWAY)
    assert (home["alerts"], home["disasterMode"], home["hazard"]) == ([], True, "EARTHQUAKE")
    await town.set_mode(crisis, "RECOVERY", note="避難指示解除")
    home = await town.home(FAR_AWAY)
    assert (home["disasterMode"], home["mode"], home["hazard"]) == (False, "RECOVERY", None)
    state = await town.gql.data("{ cityMode { mode note } }")
    assert state["cityMode"] == {"mode": "RECOVERY", "note": "避難指示解除"}
    entries = await CityModeChange.all().order_by("id").values_list("mode", "staff_id")
    assert entries == [("DISASTER", crisis.model.id), ("RECOVERY", crisis.model.id)]


async def test_city_switch__a_severe_alert_still_counts_after_recovery(town: Town):
    crisis = await town.crisis_staff()
    await town.set_mode(crisis, "RECOVERY")
    await town.create(crisis, severity="SEVERE")
    home = await town.home()
    assert (home["disasterMode"], home["mode"]) == (True, "DISASTER")


async def test_city_switch__only_crisis_staff__hazard_only_with_disaster(town: Town):
    resident = await town.resident()
    roads = await town.staff(department="roads")
    variables = {"mode": "DISASTER"}
    from tests.disaster.town import SET_MODE

    assert error_codes(await town.gql(SET_MODE, variables)) == ["UNAUTHENTICATED"]
    assert error_codes(await town.gql(SET_MODE, variables, auth=resident.token)) == ["FORBIDDEN"]
    assert error_codes(await town.gql(SET_MODE, variables, auth=roads.token)) == ["FORBIDDEN"]
    admin = await town.staff(department="roads", role=Role.ADMIN)
    crisis = await town.crisis_staff()
    wrong = await town.gql(SET_MODE, {"mode": "NORMAL", "hazard": "FLOOD"}, auth=crisis.token)
    assert error_codes(wrong) == ["VALIDATION"]
    assert wrong["errors"][0]["extensions"]["field"] == "hazard"
    long_note = await town.gql(SET_MODE, {**variables, "note": "x" * 501}, auth=admin.token)
    assert error_codes(long_note) == ["VALIDATION"]
    bad_mode = await town.gql(SET_MODE, {"mode": "PANIC"}, auth=crisis.token)
    assert error_codes(bad_mode) == ["BAD_QUERY"]
    assert (await town.home())["disasterMode"] is False
    assert (await town.set_mode(admin, "DISASTER"))["mode"] == "DISASTER"


async def test_another_process__sees_the_change_within_seconds(town: Town, monkeypatch):
    monkeypatch.setattr(situation, "MAX_AGE", 3600.0)
    await town.home()
    # Written by another process: nothing is published in this one.
    await CityModeChange.create(mode="DISASTER", at=clock.now())
    assert (await town.home())["disasterMode"] is False  # read recently, taken as fresh
    monkeypatch.setattr(situation, "MAX_AGE", 0.0)
    deadline = time.monotonic() + 10
    seen = []
    while time.monotonic() < deadline and not any(seen):
        seen.append((await town.home())["disasterMode"])  # the reload runs in the background
        await asyncio.sleep(0.02)
    assert seen[-1] is True


async def test_bad_positions__validation_with_the_field(town: Town):
    from tests.disaster.town import HOME

    for lat, lng, field in ((91, 140, "lat"), (37, 181, "lng"), (-91, 0, "lat")):
        body = await town.gql(HOME, {"lat": lat, "lng": lng})
        assert error_codes(body) == ["VALIDATION"]
        assert body["errors"][0]["extensions"]["field"] == field
    body = await town.gql(HOME, {"lat": 37.5, "lng": 140.4, "limit": 0})
    assert error_codes(body) == ["VALIDATION"]
    body = await town.gql(HOME, {"lat": "north", "lng": 140.4})
    assert error_codes(body) == ["BAD_QUERY"]


async def test_situation_reload__counts_only_what_is_in_force(town: Town):
    crisis = await town.crisis_staff()
    await town.create(crisis)
    current = runtime.current()
    await current.reload()
    assert len(current.active_alerts(clock.now())) == 1
    assert current.at(*CITY_HALL, clock.now()).disaster_mode is True


async def test_a_change_announced_while_reloading__read_again_before_the_next_answer(
    town: Town, monkeypatch
):
    crisis = await town.crisis_staff()
    created = await town.create(crisis)
    monkeypatch.setattr(situation, "MAX_AGE", math.inf)  # no reload but the one started here
    gate = asyncio.Event()
    read = situation._live_alerts

    async def slow_read():
        alerts = await read()  # read before the cancel below
        await gate.wait()
        return alerts

    monkeypatch.setattr(situation, "_live_alerts", slow_read)
    held = situation.Situation()
    changes: asyncio.Queue = asyncio.Queue()
    held.listen(changes)
    reloading = asyncio.create_task(held.reload())
    await asyncio.sleep(0.05)
    alert = await Alert.get(public_id=created["id"])
    await Alert.filter(id=alert.id).update(msg_type="Cancel")  # committed, then announced
    changes.put_nowait({"id": alert.id})
    gate.set()
    await reloading
    assert len(held.at(*CITY_HALL, clock.now()).alerts) == 1  # the read began before it

    await held.settled()

    assert held.at(*CITY_HALL, clock.now()).alerts == ()
