"""Personal answers never reach a log line, whatever happens to the request."""

from __future__ import annotations

import logging

from tests.applications.city import moving_in_answers
from tests.applications.test_applications_validation import broken

BUNDLE = ["tennyu", "kokuho_shikaku", "jido_teate"]
PERSONAL = [
    "二本松 花子",
    "ニホンマツ",
    "1234567",
    "0243-55-1111",
    "hanako@example.jp",
    "金色403-1",
]


async def test_personal_answers__not_in_any_log_record(city, caplog):
    caplog.set_level(logging.INFO)
    hanako = await city.resident()
    clerk = await city.clerk("citizens")

    draft = await city.draft(hanako, BUNDLE, broken(moving_in_answers()))
    await city.gql.op("SubmitApplication", auth=hanako.token, applicationId=draft["id"])
    filed = await city.submitted(hanako, BUNDLE, moving_in_answers())
    for case in filed["application"]["cases"]:
        await city.gql.op("Case", auth=clerk.token, id=case["id"])
    await city.gql.op("CaseQueue", auth=clerk.token, search="二本松 花子")

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not [value for value in PERSONAL if value in logged]
