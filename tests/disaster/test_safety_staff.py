"""Staff count the answers (in all, per district, per shelter) and work the list of calls for
help; residents see neither."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from core import clock
from disaster.districts.demo import DISTRICTS
from tests.disaster.town import HELP, SUMMARY, Caller, SafetyTown
from tests.support.graphql import error_codes

HANDLED = """mutation($id: ID!) { markHelpHandled(id: $id) { id handledAt handledBy } }"""
# A point near each demo district's office, and one outside the city.
NEAR = {code: (lat + 0.002, lng - 0.002) for code, _, _, lat, lng in DISTRICTS}
OUTSIDE = (35.68, 139.76)


async def test_summary__totals_per_district_and_shelter(safety_town: SafetyTown):
    town = safety_town
    alert = (await town.create(await town.crisis_staff()))["id"]
    hall, gym = await town.shelter_id("二本松市民会館"), await town.shelter_id("杉田地区体育館")
    answers = [
        ("SAFE", NEAR["nihonmatsu"], {}),
        ("SAFE", NEAR["nihonmatsu"], {}),
        ("NEED_HELP", NEAR["iwashiro"], {}),
        ("AT_SHELTER", None, {"shelterId": hall}),  # counted where the shelter is
        ("AT_SHELTER", NEAR["towa"], {"shelterId": hall}),
        ("AT_SHELTER", None, {"shelterId": gym}),
        ("SAFE", None, {}),  # no place: district not known
        ("SAFE", OUTSIDE, {}),
    ]
    for status, where, extra in answers:
        resident = await town.resident()
        position = {"lat": where[0], "lng": where[1]} if where else {}
        note = {"note": "足を怪我"} if status == "NEED_HELP" else {}
        await town.report(resident, alert, status, **position, **extra, **note)

    summary = await town.summary(await town.staff(), alert)

    assert (summary["safe"], summary["atShelter"], summary["needHelp"], summary["total"]) == (
        4,
        3,
        1,
        8,
    )
    by_district = {row["districtCode"]: row for row in summary["byDistrict"]}
    assert list(by_district) == [code for code, *_ in DISTRICTS] + [None]
    assert (by_district["nihonmatsu"]["safe"], by_district["nihonmatsu"]["atShelter"]) == (2, 2)
    assert by_district["iwashiro"]["needHelp"] == 1 and by_district["towa"]["atShelter"] == 1
    assert by_district["adachi"] == {
        "districtCode": "adachi",
        "name": "安達地区",
        "safe": 0,
        "atShelter": 0,
        "needHelp": 0,
    }
    assert (by_district[None]["name"], by_district[None]["safe"]) == ("地区不明", 2)
    assert (
        sum(row["safe"] + row["atShelter"] + row["needHelp"] for row in by_district.values()) == 8
    )
    assert summary["byShelter"] == [
        {"shelter": {"name": "二本松市民会館"}, "atShelter": 2},
        {"shelter": {"name": "杉田地区体育館"}, "atShelter": 1},
    ]


async def test_help_needed__oldest_first__handled_ones_last__answer_again_reopens(
    safety_town: SafetyTown,
):
    town = safety_town
    alert = (await town.create(await town.crisis_staff()))["id"]
    staff = await town.staff(department="disaster")
    start = clock.now().replace(microsecond=0)
    residents = []
    for minutes, note in ((1, "1階が浸水"), (2, "足が不自由"), (3, "家族と連絡がとれない")):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            resident = await town.resident()
            await town.report(resident, alert, "NEED_HELP", note=note, lat=37.58, lng=140.43)
            residents.append(resident)
    await town.report(await town.resident(), alert, "SAFE")

    calls = (await town.gql.data(HELP, {"alertId": alert}, auth=staff.token))["safetyHelpNeeded"]
    assert [c["note"] for c in calls] == ["1階が浸水", "足が不自由", "家族と連絡がとれない"]
    assert calls[0]["personName"] == residents[0].model.display_name
    assert calls[0]["mapUrl"].startswith("https://www.openstreetmap.org/?mlat=37.580000")
    assert calls[0]["districtCode"] == "nihonmatsu" and calls[0]["handledAt"] is None

    handled = await town.gql.data(HANDLED, {"id": calls[0]["id"]}, auth=staff.token)
    assert handled["markHelpHandled"]["handledBy"] == staff.model.display_name
    calls = (await town.gql.data(HELP, {"alertId": alert}, auth=staff.token))["safetyHelpNeeded"]
    assert [c["note"] for c in calls][-1] == "1階が浸水" and calls[-1]["handledAt"]

    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        again = Caller(town.token_for(residents[0].model), residents[0].model)
        await town.report(again, alert, "NEED_HELP", note="まだ助けが必要")
    calls = (await town.gql.data(HELP, {"alertId": alert}, auth=staff.token))["safetyHelpNeeded"]
    assert calls[-1]["note"] == "まだ助けが必要" and calls[-1]["handledAt"] is None


async def test_staff_only__residents_forbidden__bad_ids(safety_town: SafetyTown):
    town = safety_town
    alert = (await town.create(await town.crisis_staff()))["id"]
    resident = await town.resident()
    answer = (await town.report(resident, alert, "SAFE"))[0]
    for query in (SUMMARY, HELP):
        assert error_codes(await town.gql(query, {"alertId": alert})) == ["UNAUTHENTICATED"]
        body = await town.gql(query, {"alertId": alert}, auth=resident.token)
        assert error_codes(body) == ["FORBIDDEN"]
    staff = await town.staff()
    not_help = await town.gql(HANDLED, {"id": answer["id"]}, auth=staff.token)
    assert error_codes(not_help) == ["NOT_FOUND"]
    unknown = await town.gql(SUMMARY, {"alertId": "nope"}, auth=staff.token)
    assert error_codes(unknown) == ["NOT_FOUND"]
    assert error_codes(await town.gql(HANDLED, {"id": answer["id"]}, auth=resident.token)) == [
        "FORBIDDEN"
    ]
