"""A resident's own things only: another resident gets NOT_FOUND for every application, case
and receipt; the anonymous status look-up needs the secret; the receipt PDF opens and shows
the receipt numbers; myData gives everything held."""

from __future__ import annotations

import io

import pypdf
import pytest

from tests.applications.city import JUMINHYO, moving_in_answers
from tests.support.graphql import error_codes

BUNDLE = ["tennyu", "kokuho_shikaku", "jido_teate"]


async def test_another_resident__not_found_for_every_id(city):
    owner, other = await city.resident(), await city.resident("他人")
    filed = await city.submitted(owner, BUNDLE, moving_in_answers())
    application_id = filed["application"]["id"]
    case_id = filed["application"]["cases"][0]["id"]

    answers = [
        await city.gql.op("Application", auth=other.token, id=application_id),
        await city.gql.op("Case", auth=other.token, id=case_id),
        await city.gql.op("WithdrawCase", auth=other.token, id=case_id),
        await city.gql.op("AnswerInfoRequest", auth=other.token, caseId=case_id, message="x"),
        await city.gql.op(
            "SaveAnswers", auth=other.token, applicationId=application_id, answers={}
        ),
        await city.gql.op("Case", auth=other.token, id="not-a-uuid"),
    ]
    mine = (await city.ok("MyApplications", other))["myApplications"]

    assert [error_codes(a) for a in answers] == [["NOT_FOUND"]] * len(answers)
    assert mine == []
    anonymous = await city.gql.op("Case", id=case_id)
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]


async def test_case_status__needs_the_secret(city):
    owner = await city.resident()
    filed = await city.submitted(owner, ["juminhyo_copy"], JUMINHYO)
    receipt = filed["application"]["cases"][0]["receiptNumber"]
    secret = filed["lookupSecret"]

    found = await city.ok("CaseStatus", receiptNumber=receipt, secret=secret.lower())
    wrong = await city.gql.op("CaseStatus", receiptNumber=receipt, secret="AAAA-BBBB-CCCC")
    other_receipt = await city.gql.op("CaseStatus", receiptNumber="A222222222", secret=secret)
    long = await city.gql.op("CaseStatus", receiptNumber=receipt, secret="x" * 5000)

    assert found["caseStatus"]["status"] == "AWAITING_PAYMENT"
    assert found["caseStatus"]["procedureName"] == "住民票の写し 交付請求"
    assert error_codes(wrong) == error_codes(other_receipt) == error_codes(long) == ["NOT_FOUND"]
    assert wrong["errors"][0]["message"] == other_receipt["errors"][0]["message"]


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_receipt_pdf__opens_and_shows_every_receipt_number(city, language):
    owner, other = await city.resident(language=language), await city.resident("他人")
    filed = await city.submitted(owner, BUNDLE, moving_in_answers())
    url = filed["application"]["receiptPdfUrl"]

    response = await city.client.get(url)
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )

    assert response.headers["content-type"] == "application/pdf"
    for case in filed["application"]["cases"]:
        assert case["receiptNumber"] in text
    assert filed["lookupSecret"] in text
    assert ("申請控え" in text) == (language == "ja")
    theirs = await city.gql.op("Application", auth=other.token, id=filed["application"]["id"])
    assert error_codes(theirs) == ["NOT_FOUND"]
    stolen = url.replace(filed["application"]["id"], "00000000-0000-4000-8000-000000000000")
    assert (await city.client.get(stolen)).status_code == 404
    assert (await city.client.get(url.split("?")[0])).status_code == 404


async def test_my_data__everything_held_about_me_only(city):
    owner, other = await city.resident(), await city.resident("他人")
    await city.submitted(owner, BUNDLE, moving_in_answers())
    await city.submitted(other, ["juminhyo_copy"], JUMINHYO)
    await city.draft(owner, ["juminhyo_copy"])

    data = (await city.ok("MyData", owner))["myData"]

    assert data["profile"]["displayName"] == "二本松 花子"
    held = data["applications"]
    assert len(held["applications"]) == 2 and len(held["cases"]) == 3
    assert all(c["answers"]["resident.name"] == "二本松 花子" for c in held["cases"])
    assert "安達 太郎" not in str(data)
    assert {h["to"] for c in held["cases"] for h in c["history"]} >= {"SUBMITTED"}
