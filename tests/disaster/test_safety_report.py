"""reportSafety: one answer per person per alert (again: replaced), for the resident and the
household members they registered; what each answer needs; who may answer, and when."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import time_machine

from core import clock
from disaster.safety.models import SafetyAnswer
from tests.disaster.town import CANCEL, CITY_HALL, MY_SAFETY, REPORT, SafetyTown
from tests.support.graphql import error_codes

HALL = "二本松市民会館"


async def test_answer_again__replaces_it__counted_once(safety_town: SafetyTown):
    town = safety_town
    alert = await town.create(await town.crisis_staff())
    resident = await town.resident()
    first = await town.report(resident, alert["id"], "SAFE")
    assert [(a["status"], a["statusLabel"], a["member"]) for a in first] == [("SAFE", "無事", None)]

    shelter = await town.shelter_id(HALL)
    again = await town.report(resident, alert["id"], "AT_SHELTER", shelterId=shelter, note="2階")

    assert again[0]["id"] == first[0]["id"]
    assert (again[0]["status"], again[0]["shelter"], again[0]["note"]) == (
        "AT_SHELTER",
        {"name": HALL},
        "2階",
    )
    mine = await town.gql.data(MY_SAFETY, {"alertId": alert["id"]}, auth=resident.token)
    assert [a["status"] for a in mine["mySafety"]] == ["AT_SHELTER"]
    assert await SafetyAnswer.filter(resident_id=resident.model.id).count() == 1
    summary = await town.summary(await town.staff(), alert["id"])
    assert (summary["safe"], summary["atShelter"], summary["total"]) == (0, 1, 1)


async def test_household_members__answered_for__each_once(safety_town: SafetyTown):
    town = safety_town
    alert = await town.create(await town.crisis_staff())
    resident = await town.resident()
    grandma = await town.member(resident, "二本松 ウメ", "祖母")
    child = await town.member(resident, "二本松 ハル", "長女")

    both = await town.report(resident, alert["id"], "SAFE", members=[grandma["id"], child["id"]])
    assert [a["personName"] for a in both] == [
        resident.model.display_name,
        "二本松 ウメ",
        "二本松 ハル",
    ]
    only_grandma = await town.report(
        resident,
        alert["id"],
        "NEED_HELP",
        members=[grandma["id"]],
        includeSelf=False,
        lat=CITY_HALL[0],
        lng=CITY_HALL[1],
    )

    assert [(a["personName"], a["status"]) for a in only_grandma] == [("二本松 ウメ", "NEED_HELP")]
    mine = await town.gql.data(MY_SAFETY, {"alertId": alert["id"]}, auth=resident.token)
    assert [(a["personName"], a["status"]) for a in mine["mySafety"]] == [
        (resident.model.display_name, "SAFE"),
        ("二本松 ウメ", "NEED_HELP"),
        ("二本松 ハル", "SAFE"),
    ]
    summary = await town.summary(await town.staff(), alert["id"])
    assert (summary["safe"], summary["needHelp"], summary["total"]) == (2, 1, 3)


async def test_members_of_another_resident__not_found(safety_town: SafetyTown):
    town = safety_town
    alert = await town.create(await town.crisis_staff())
    owner, other = await town.resident(), await town.resident()
    member = await town.member(owner, "他人の家族")
    for members in ([member["id"]], ["00000000-0000-0000-0000-000000000000"], ["x"]):
        body = await town.gql(
            REPORT, {"alertId": alert["id"], "status": "SAFE", "members": members}, auth=other.token
        )
        assert error_codes(body) == ["NOT_FOUND"], members
    assert await SafetyAnswer.all().count() == 0


async def test_what_an_answer_needs__validation_with_the_field(safety_town: SafetyTown):
    town = safety_town
    alert = await town.create(await town.crisis_staff())
    resident = await town.resident()
    shelter = await town.shelter_id(HALL)
    cases = [
        ({"status": "AT_SHELTER"}, "shelterId"),
        ({"status": "SAFE", "shelterId": shelter}, "shelterId"),
        ({"status": "NEED_HELP"}, "note"),
        ({"status": "NEED_HELP", "note": "   "}, "note"),
        ({"status": "SAFE", "lat": 37.5}, "lng"),
        ({"status": "SAFE", "lng": 140.4}, "lat"),
        ({"status": "SAFE", "lat": 91.0, "lng": 140.4}, "lat"),
        ({"status": "SAFE", "note": "あ" * 201}, "note"),
        ({"status": "SAFE", "note": "bad\x07bell"}, "note"),
        ({"status": "SAFE", "includeSelf": False}, "members"),
    ]
    for values, field in cases:
        body = await town.gql(REPORT, {"alertId": alert["id"], **values}, auth=resident.token)
        assert error_codes(body) == ["VALIDATION"], values
        assert body["errors"][0]["extensions"]["field"] == field, values
    for values in ({"status": "FINE"}, {"status": "SAFE", "lat": "north", "lng": 1.0}):
        body = await town.gql(REPORT, {"alertId": alert["id"], **values}, auth=resident.token)
        assert error_codes(body) == ["BAD_QUERY"], values
    unknown = await town.gql(
        REPORT,
        {"alertId": alert["id"], "status": "AT_SHELTER", "shelterId": "nope"},
        auth=resident.token,
    )
    assert error_codes(unknown) == ["NOT_FOUND"]
    help_by_note = await town.report(resident, alert["id"], "NEED_HELP", note="1階が浸水")
    assert help_by_note[0]["status"] == "NEED_HELP"


async def test_which_alerts_take_answers(safety_town: SafetyTown):
    town = safety_town
    crisis = await town.crisis_staff()
    resident = await town.resident()
    drill = await town.create(crisis, status="EXERCISE")
    assert (await town.report(resident, drill["id"], "SAFE"))[0]["status"] == "SAFE"
    cancelled = await town.create(crisis)
    await town.gql.data(CANCEL, {"id": cancelled["id"]}, auth=crisis.token)
    body = await town.gql(
        REPORT, {"alertId": cancelled["id"], "status": "SAFE"}, auth=resident.token
    )
    assert error_codes(body) == ["VALIDATION"]
    assert body["errors"][0]["extensions"]["field"] == "alertId"
    unknown = await town.gql(
        REPORT,
        {"alertId": "00000000-0000-0000-0000-000000000000", "status": "SAFE"},
        auth=resident.token,
    )
    assert error_codes(unknown) == ["NOT_FOUND"]

    now = clock.now()
    ending = await town.create(crisis, expires=(now + timedelta(hours=1)).isoformat())
    with time_machine.travel(now + timedelta(hours=72), tick=False):  # over, answers still taken
        late = await town.resident()
        assert (await town.report(late, ending["id"], "SAFE"))[0]["status"] == "SAFE"
    with time_machine.travel(now + timedelta(hours=74), tick=False):
        later = await town.resident()
        body = await town.gql(REPORT, {"alertId": ending["id"], "status": "SAFE"}, auth=later.token)
        assert error_codes(body) == ["VALIDATION"]


async def test_only_residents_answer(safety_town: SafetyTown):
    town = safety_town
    alert = await town.create(await town.crisis_staff())
    variables = {"alertId": alert["id"], "status": "SAFE"}
    assert error_codes(await town.gql(REPORT, variables)) == ["UNAUTHENTICATED"]
    staff = await town.staff()
    assert error_codes(await town.gql(REPORT, variables, auth=staff.token)) == ["FORBIDDEN"]


async def test_concurrent_answers__one_row_per_person(safety_town: SafetyTown):
    town = safety_town
    alert = await town.create(await town.crisis_staff())
    resident = await town.resident()
    member = await town.member(resident, "家族")
    statuses = ["SAFE", "NEED_HELP", "SAFE", "NEED_HELP", "SAFE", "NEED_HELP"]
    bodies = await asyncio.gather(
        *(
            town.gql(
                REPORT,
                {
                    "alertId": alert["id"],
                    "status": status,
                    "note": "助けて",
                    "members": [member["id"]],
                },
                auth=resident.token,
            )
            for status in statuses
        )
    )
    assert all(not body.get("errors") for body in bodies), bodies
    assert await SafetyAnswer.all().count() == 2
    summary = await town.summary(await town.staff(), alert["id"])
    assert summary["total"] == 2
