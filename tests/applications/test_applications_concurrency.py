"""The same draft submitted twice at once files its cases once; answers changed while a
submission is checked are checked again; two residents taking the same counter slot at once:
one gets it, the other SLOT_TAKEN."""

from __future__ import annotations

import asyncio

from applications.cases import service
from applications.cases.models import Case
from tests.applications.city import moving_in_answers
from tests.applications.test_applications_moving_in import next_weekday
from tests.support.graphql import error_codes

BUNDLE = ["tennyu", "kokuho_shikaku", "jido_teate"]


async def test_submit__twice_at_once__filed_once(city):
    hanako = await city.resident()
    draft = await city.draft(hanako, BUNDLE, moving_in_answers())

    answers = await asyncio.gather(
        *(
            city.gql.op("SubmitApplication", auth=hanako.token, applicationId=draft["id"])
            for _ in range(2)
        )
    )

    codes = sorted(str(error_codes(a)) for a in answers)
    assert codes == ["['CONFLICT']", "[]"]
    assert await Case.all().count() == 3


async def test_counter_slot__two_residents_at_once__one_gets_it(city):
    people = [await city.resident(f"住民{n}") for n in range(2)]
    drafts = [
        (await city.submitted(p, ["tennyu"], moving_in_answers()))["application"]["id"]
        for p in people
    ]
    day = next_weekday()
    slots = (
        await city.ok(
            "CounterSlots",
            people[0],
            applicationId=drafts[0],
            fromDate=day.isoformat(),
            toDate=day.isoformat(),
        )
    )["counterSlots"]

    answers = await asyncio.gather(
        *(
            city.gql.op("HoldCounterVisit", auth=p.token, applicationId=d, start=slots[0]["start"])
            for p, d in zip(people, drafts, strict=True)
        )
    )

    codes = sorted(str(error_codes(a)) for a in answers)
    assert codes == ["['SLOT_TAKEN']", "[]"]
    assert await Case.filter(visit_id__isnull=False).count() == 1
    later = (
        await city.ok(
            "CounterSlots",
            people[1],
            applicationId=drafts[1],
            fromDate=day.isoformat(),
            toDate=day.isoformat(),
        )
    )["counterSlots"]
    assert slots[0]["start"] not in [s["start"] for s in later]


async def test_submit__answers_changed_at_once__never_files_what_fails_the_checks(city):
    hanako = await city.resident()
    draft = await city.draft(hanako, BUNDLE, moving_in_answers())

    submitted, saved = await asyncio.gather(
        city.gql.op("SubmitApplication", auth=hanako.token, applicationId=draft["id"]),
        city.gql.op(
            "SaveAnswers",
            auth=hanako.token,
            applicationId=draft["id"],
            answers={"resident.birthDate": "not a date"},
        ),
    )

    if error_codes(submitted):
        assert error_codes(submitted) == ["VALIDATION"] and not error_codes(saved)
        assert await Case.all().count() == 0
    else:
        assert error_codes(saved) == ["CONFLICT"]
        cases = await Case.all()
        assert len(cases) == 3
        assert {c.answers.get("resident.birthDate", "1990-04-01") for c in cases} == {"1990-04-01"}


def save_between_checks_and_filing(monkeypatch, who, application_id: str, answers: dict) -> None:
    """Answers saved after the submission's checks, before its transaction: the moment the
    resident's reach is looked up."""
    looked_up = service.reach_of

    async def saving_first(residents):
        await service.save_answers(
            resident=who.model, application_id=application_id, answers=answers
        )
        return await looked_up(residents)

    monkeypatch.setattr(service, "reach_of", saving_first)


async def test_submit__answers_broken_after_the_checks__nothing_filed(city, monkeypatch):
    hanako = await city.resident()
    draft = await city.draft(hanako, BUNDLE, moving_in_answers())
    save_between_checks_and_filing(
        monkeypatch, hanako, draft["id"], {"resident.birthDate": "not a date"}
    )

    answer = await city.gql.op("SubmitApplication", auth=hanako.token, applicationId=draft["id"])

    assert error_codes(answer) == ["VALIDATION"]
    assert await Case.all().count() == 0


async def test_submit__answers_changed_after_the_checks__files_the_new_ones(city, monkeypatch):
    hanako = await city.resident()
    draft = await city.draft(hanako, BUNDLE, moving_in_answers())
    save_between_checks_and_filing(monkeypatch, hanako, draft["id"], {"resident.name": "安達 花"})

    answer = await city.gql.op("SubmitApplication", auth=hanako.token, applicationId=draft["id"])

    assert not error_codes(answer)
    cases = await Case.all()
    assert len(cases) == 3
    assert {c.applicant_name for c in cases} == {"安達 花"}
