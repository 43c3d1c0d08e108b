"""Bad answers: field errors with their paths, in Japanese and in English; saving keeps what
can be kept, submitting stores nothing."""

from __future__ import annotations

import pytest

from applications.cases.models import Application, ApplicationStatus, Case
from tests.applications.city import moving_in_answers
from tests.support.graphql import error_codes

BUNDLE = ["tennyu", "kokuho_shikaku", "jido_teate"]


def broken(answers: dict) -> dict:
    """Wrong types, a required field missing, a hidden conditional field sent anyway."""
    answers = dict(answers)
    answers["resident.birthDate"] = 19900401  # a number, not a date
    answers["jido.accountNumber"] = "12-34"  # not seven digits
    answers["address.new"] = {**answers["address.new"], "postalCode": "abc"}
    del answers["resident.nameKana"]  # required
    answers["kokuho.previousInsurance"] = "none"  # hides the two fields below, sent anyway
    return answers


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ja", "「以前の勤務先」はこの回答では入力できません（表示されていない項目です）。"),
        ("en", "“Former employer” does not apply to your other answers and must be left out."),
    ],
)
async def test_submit__every_field_error_in_the_callers_language_and_nothing_stored(
    city, language, expected
):
    person = await city.resident(language=language)
    draft = await city.draft(person, BUNDLE)
    saved = await city.ok(
        "SaveAnswers", person, applicationId=draft["id"], answers=broken(moving_in_answers())
    )

    body = await city.gql.op("SubmitApplication", auth=person.token, applicationId=draft["id"])

    errors = {(e["field"], e["code"]) for e in saved["saveAnswers"]["errors"]}
    assert errors == {
        ("resident.birthDate", "type"),
        ("jido.accountNumber", "pattern"),
        ("address.new", "pattern"),
        ("kokuho.coverageEndDate", "not_allowed"),
        ("kokuho.employerName", "not_allowed"),
    }
    assert saved["saveAnswers"]["missing"] == ["resident.nameKana"]
    assert error_codes(body) == ["VALIDATION"]
    extensions = body["errors"][0]["extensions"]
    by_field = {e["field"]: e for e in extensions["fieldErrors"]}
    assert set(by_field) == {f for f, _ in errors} | {"resident.nameKana"}
    assert by_field["kokuho.employerName"]["message"] == expected
    assert by_field["address.new"]["path"] == ["address.new", "postalCode"]
    assert extensions["field"] == "address.new"
    stored = await Application.get(public_id=draft["id"])
    assert stored.status is ApplicationStatus.DRAFT and stored.submitted_at is None
    assert await Case.all().count() == 0


async def test_save__unknown_fields_are_reported_and_not_kept(city):
    person = await city.resident()
    draft = await city.draft(person, ["juminhyo_copy"])

    saved = await city.ok(
        "SaveAnswers",
        person,
        applicationId=draft["id"],
        answers={"juminhyo.copies": 2, "admin.approved": True},
    )

    result = saved["saveAnswers"]
    assert result["answers"] == {"juminhyo.copies": 2}
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("admin.approved", "unknown")]


async def test_save__in_any_order_and_null_removes_an_answer(city):
    person = await city.resident()
    draft = await city.draft(person, ["juminhyo_copy"])

    await city.ok(
        "SaveAnswers",
        person,
        applicationId=draft["id"],
        answers={"juminhyo.copies": 11, "juminhyo.scope": "self"},
    )
    second = await city.ok(
        "SaveAnswers",
        person,
        applicationId=draft["id"],
        answers={"juminhyo.scope": None, "resident.name": "安達 太郎"},
    )

    result = second["saveAnswers"]
    assert result["answers"] == {"juminhyo.copies": 11, "resident.name": "安達 太郎"}
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("juminhyo.copies", "maximum")]


@pytest.mark.parametrize(
    "answers",
    [["a list"], "text", {"resident.name": "x" * 70_000}],
    ids=["list", "string", "oversized"],
)
async def test_save__not_an_object_or_oversized__validation(city, answers):
    person = await city.resident()
    draft = await city.draft(person, ["juminhyo_copy"])

    body = await city.gql.op(
        "SaveAnswers", auth=person.token, applicationId=draft["id"], answers=answers
    )

    assert error_codes(body) == ["VALIDATION"]
    assert body["errors"][0]["extensions"]["field"] == "answers"
    assert (await Application.get(public_id=draft["id"])).answers == {}


async def test_submit__twice__second_is_a_conflict_and_files_nothing_more(city):
    person = await city.resident()
    from tests.applications.city import JUMINHYO

    submitted = await city.submitted(person, ["juminhyo_copy"], JUMINHYO)

    again = await city.gql.op(
        "SubmitApplication", auth=person.token, applicationId=submitted["application"]["id"]
    )

    assert error_codes(again) == ["CONFLICT"]
    assert await Case.all().count() == 1


async def test_start__unknown_or_no_procedure__validation(city):
    person = await city.resident()

    unknown = await city.gql.op("StartApplication", auth=person.token, procedureCodes=["nope"])
    empty = await city.gql.op("StartApplication", auth=person.token, procedureCodes=[])
    event = await city.gql.op(
        "StartApplication",
        auth=person.token,
        lifeEventCode="moving_in",
        eventAnswers={"event.withCar": "yes"},
    )

    assert error_codes(unknown) == error_codes(empty) == error_codes(event) == ["VALIDATION"]
    assert unknown["errors"][0]["extensions"]["field"] == "procedureCodes"
    assert await Application.all().count() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ja",
            {
                ("household.members", "1", "birthDate"): "「一緒に転入する世帯員 2件目 生年月日」"
                "の値の種類が正しくありません（文字で入力してください）。",
                ("household.members", "0", "relationship"): "「一緒に転入する世帯員 1件目 続柄」"
                "は選択肢から選んでください。",
                ("resident.name",): "「氏名」を入力してください。",
                ("tennyu.isHeadOfHousehold",): "「あなたが世帯主ですか」を入力してください。",
                ("tennyu.headName",): "「世帯主の氏名」はこの回答では入力できません"
                "（表示されていない項目です）。",
                ("juminhyo.copies",): "「通数」の値の種類が正しくありません"
                "（整数で入力してください）。",
            },
        ),
        (
            "en",
            {
                ("household.members", "1", "birthDate"): "“Household members moving with you #2 "
                "date of birth” has the wrong kind of value (expected text).",
                ("household.members", "0", "relationship"): "Choose one of the options for "
                "“Household members moving with you #1 relationship”.",
                ("resident.name",): "Please answer “Full name”.",
                (
                    "tennyu.isHeadOfHousehold",
                ): "Please answer “Are you the head of the household?”.",
                ("tennyu.headName",): "“Name of the head of household” does not apply to your "
                "other answers and must be left out.",
                ("juminhyo.copies",): "“Number of copies” has the wrong kind of value "
                "(expected a whole number).",
            },
        ),
    ],
)
async def test_submit__list_items_empty_answers_and_absent_conditions__named_in_both_languages(
    city, language, expected
):
    person = await city.resident(language=language)
    answers = moving_in_answers()
    del answers["tennyu.isHeadOfHousehold"]  # the condition's field absent: headName hidden
    answers["household.members"][1]["birthDate"] = 20190505
    answers["household.members"][0]["relationship"] = "cousin"
    answers["resident.name"] = ""
    answers["juminhyo.copies"] = "two"
    draft = await city.draft(person, [*BUNDLE, "juminhyo_copy"], answers)

    body = await city.gql.op("SubmitApplication", auth=person.token, applicationId=draft["id"])

    errors = body["errors"][0]["extensions"]["fieldErrors"]
    assert {tuple(e["path"]): e["message"] for e in errors if tuple(e["path"]) in expected} == (
        expected
    )
    assert await Case.all().count() == 0
