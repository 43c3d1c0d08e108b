"""A moving-in bundle: each shared question asked once, three cases with their own receipt
numbers and departments, each clerk sees only their department's case, and the 転入届 case
books a counter slot whose QR code opens it for the clerk."""

from __future__ import annotations

from datetime import datetime

from accounts.models import AuditEntry
from applications.cases.models import Case
from applications.catalogue.files import DEFINITIONS_DIR, read_directory
from notifications.models import Notification
from tests.applications.city import moving_in_answers
from tests.support.graphql import error_codes

EVENT_ANSWERS = {
    "event.needsNationalInsurance": True,
    "event.withChildren": True,
    "event.withCar": True,
}


async def test_moving_in__shared_questions_once_three_cases_and_a_counter_visit(city):
    hanako = await city.resident()
    started = await city.ok(
        "StartApplication", hanako, lifeEventCode="moving_in", eventAnswers=EVENT_ANSWERS
    )
    draft = started["startApplication"]
    catalogue = read_directory(DEFINITIONS_DIR).procedures
    asked_separately = sum(
        len(catalogue[code]["form"]["schema"]["properties"])
        for code in ("tennyu", "kokuho_shikaku", "jido_teate")
    )
    merged = draft["formSchema"]["properties"]
    assert [p["code"] for p in draft["procedures"]] == ["tennyu", "kokuho_shikaku", "jido_teate"]
    assert len(merged) == len(set(merged)) < asked_separately
    assert "resident.name" in merged and draft["uiSchema"]["order"].count("resident.name") == 1

    saved = await city.ok(
        "SaveAnswers", hanako, applicationId=draft["id"], answers=moving_in_answers()
    )
    assert saved["saveAnswers"]["errors"] == [] and saved["saveAnswers"]["missing"] == []
    submitted = (await city.ok("SubmitApplication", hanako, applicationId=draft["id"]))[
        "submitApplication"
    ]

    cases = submitted["application"]["cases"]
    assert len(cases) == 3 and len({c["receiptNumber"] for c in cases}) == 3
    filed = [p["code"] for p in submitted["application"]["procedures"]]
    assert filed == ["tennyu", "kokuho_shikaku", "jido_teate"]
    by_code = {c["procedure"]["code"]: c for c in cases}
    assert {c["department"]["code"] for c in cases} == {"citizens", "insurance", "welfare"}
    assert by_code["tennyu"]["status"] == "AWAITING_VISIT"
    assert by_code["kokuho_shikaku"]["status"] == "SUBMITTED"
    assert len(submitted["lookupSecret"]) == 14
    assert await Notification.filter(resident_id=hanako.model.id).count() == 3

    citizens, welfare = await city.clerk("citizens"), await city.clerk("welfare")
    seen_by_citizens = await city.ok("CaseQueue", citizens)
    seen_by_welfare = await city.ok("CaseQueue", welfare)
    assert [e["node"]["receiptNumber"] for e in seen_by_citizens["caseQueue"]["edges"]] == [
        by_code["tennyu"]["receiptNumber"]
    ]
    assert [e["node"]["receiptNumber"] for e in seen_by_welfare["caseQueue"]["edges"]] == [
        by_code["jido_teate"]["receiptNumber"]
    ]
    other_department = await city.gql.op("Case", auth=welfare.token, id=by_code["tennyu"]["id"])
    assert error_codes(other_department) == ["NOT_FOUND"]

    day = next_weekday()
    slots = (
        await city.ok(
            "CounterSlots",
            hanako,
            applicationId=draft["id"],
            fromDate=day.isoformat(),
            toDate=day.isoformat(),
        )
    )["counterSlots"]
    assert slots and all(
        (datetime.fromisoformat(s["end"]) - datetime.fromisoformat(s["start"])).seconds == 900
        for s in slots
    )
    visit = (
        await city.ok(
            "HoldCounterVisit", hanako, applicationId=draft["id"], start=slots[0]["start"]
        )
    )["holdCounterVisit"]
    assert visit["receiptNumber"] == by_code["tennyu"]["receiptNumber"]
    assert visit["qrSvg"].lstrip().startswith("<?xml") or "<svg" in visit["qrSvg"]
    again = await city.gql.op(
        "HoldCounterVisit",
        auth=(await city.resident()).token,
        applicationId=draft["id"],
        start=slots[0]["start"],
    )
    assert error_codes(again) == ["NOT_FOUND"]
    for case_id, code in (
        ("00000000-0000-4000-8000-000000000000", "NOT_FOUND"),
        ("not-an-id", "NOT_FOUND"),
        (by_code["jido_teate"]["id"], "CONFLICT"),
    ):
        named = await city.gql.op(
            "HoldCounterVisit",
            auth=hanako.token,
            applicationId=draft["id"],
            start=slots[1]["start"],
            caseId=case_id,
        )
        assert error_codes(named) == [code]

    opened = (await city.ok("CounterCase", citizens, code=visit["qrPayload"]))["counterCase"]
    assert opened["receiptNumber"] == by_code["tennyu"]["receiptNumber"]
    assert opened["answers"]["resident.name"] == "二本松 花子"
    assert opened["counterVisit"]["start"] == visit["start"]
    wrong_secret = visit["qrPayload"][:-4] + "2222"
    assert error_codes(
        await city.gql.op("CounterCase", auth=citizens.token, code=wrong_secret)
    ) == ["NOT_FOUND"]
    assert error_codes(
        await city.gql.op("CounterCase", auth=welfare.token, code=visit["qrPayload"])
    ) == ["NOT_FOUND"]
    claimed = (await city.ok("ClaimCase", citizens, caseId=opened["id"]))["claimCase"]
    assert claimed["status"] == "IN_REVIEW"
    actions = await AuditEntry.filter(subject_id=opened["id"]).values_list("action", flat=True)
    assert sorted(actions) == ["case.claimed", "case.opened_at_counter"]
    assert (await Case.get(public_id=opened["id"])).visit_id is not None


async def test_moving_in__later_application_prefilled_from_last_answers(city):
    hanako = await city.resident()
    await city.submitted(hanako, ["tennyu", "kokuho_shikaku", "jido_teate"], moving_in_answers())

    later = await city.draft(hanako, ["juminhyo_copy"])

    assert later["answers"] == {
        "resident.name": "二本松 花子",
        "resident.birthDate": "1990-04-01",
        "contact.phone": "0243-55-1111",
    }
    assert sorted(later["missing"]) == sorted(
        ["juminhyo.copies", "juminhyo.scope", "juminhyo.includeHonseki", "juminhyo.purpose"]
    )


def next_weekday():
    from datetime import timedelta

    from core import clock

    day = clock.local(clock.now()).date() + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
