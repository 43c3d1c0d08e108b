"""The in-app ask: `home` carries the safety check of the alert that put the place into
disaster mode (signed in), and `safetyChecks` lists the checks open now with one's answers."""

from __future__ import annotations

from tests.disaster.town import CITY_HALL, SafetyTown

HOME_CHECK = """query($lat: Float!, $lng: Float!) { home(lat: $lat, lng: $lng) {
  disasterMode safetyCheck { alert { id } answers { personName status } } } }"""
CHECKS = "{ safetyChecks { alert { id severity } answers { status } } }"
FAR_AWAY = (37.70, 140.60)


async def home_check(town: SafetyTown, caller=None, point=CITY_HALL) -> dict:
    variables = {"lat": point[0], "lng": point[1]}
    body = await town.gql.data(HOME_CHECK, variables, auth=caller.token if caller else None)
    return body["home"]


async def test_home__asks_the_signed_in_resident__then_shows_the_answer(safety_town: SafetyTown):
    town = safety_town
    resident = await town.resident()
    assert (await home_check(town, resident))["safetyCheck"] is None
    alert = await town.create(await town.crisis_staff(), severity="SEVERE")

    asked = await home_check(town, resident)
    assert asked["safetyCheck"] == {"alert": {"id": alert["id"]}, "answers": []}
    assert (await home_check(town))["safetyCheck"] is None  # not signed in: nobody to ask
    assert (await home_check(town, resident, FAR_AWAY))["safetyCheck"] is None

    await town.report(resident, alert["id"], "SAFE")
    answered = await home_check(town, resident)
    assert answered["safetyCheck"]["answers"] == [
        {"personName": resident.model.display_name, "status": "SAFE"}
    ]


async def test_checks__only_real_severe_alerts_in_force(safety_town: SafetyTown):
    town = safety_town
    crisis = await town.crisis_staff()
    resident = await town.resident()
    await town.create(crisis, severity="MODERATE")
    await town.create(crisis, status="EXERCISE", severity="EXTREME")
    assert (await town.gql.data(CHECKS, auth=resident.token))["safetyChecks"] == []
    severe = await town.create(crisis, severity="SEVERE")
    extreme = await town.create(crisis, severity="EXTREME")

    checks = (await town.gql.data(CHECKS, auth=resident.token))["safetyChecks"]

    assert [c["alert"]["id"] for c in checks] == [extreme["id"], severe["id"]]
    outside = await home_check(town, resident, FAR_AWAY)
    assert outside["safetyCheck"] is None  # the alerts cover the city hall, not this place
