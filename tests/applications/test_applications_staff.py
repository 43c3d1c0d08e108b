"""Clerks: the queue (a Relay connection, filters, own department only), the workflow with a
request for information answered by the resident, a notification on every status change,
and the audit log of every action and view, readable by admins."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from accounts.models import Role
from core import clock
from notifications.models import Notification
from tests.applications.city import JUMINHYO, Person
from tests.booking.factories import token_for
from tests.support.graphql import error_codes

COURSE = {
    "course.session": "sat_am",
    "resident.name": "安達 花子",
    "contact.phone": "0243-55-4444",
    "course.participants": 2,
    "course.firstTime": True,
    "course.howHeard": "newsletter",
}


async def test_workflow__info_requested_answered_approved_completed(city):
    hanako = await city.resident()
    filed = await city.submitted(hanako, ["course_signup"], COURSE)
    case_id = filed["application"]["cases"][0]["id"]
    clerk, admin = await city.clerk("sports"), await city.clerk("roads", Role.ADMIN)

    await city.ok("ClaimCase", clerk, caseId=case_id)
    await city.ok("RequestInfo", clerk, caseId=case_id, message="参加者の人数を確認させてください")
    bad = await city.gql.op(
        "AnswerInfoRequest", auth=hanako.token, caseId=case_id, answers={"course.participants": 9}
    )
    strangers_file = await city.gql.op(
        "AnswerInfoRequest",
        auth=hanako.token,
        caseId=case_id,
        attachments=["6f1c1c9e-8d51-4a8e-b8a4-0f4a3c2d1e00"],
    )
    answered = await city.ok(
        "AnswerInfoRequest",
        hanako,
        caseId=case_id,
        message="3人です",
        answers={"course.participants": 3},
    )
    approved = await city.ok("DecideCase", clerk, caseId=case_id, decision="APPROVE")
    completed = await city.ok("CompleteCase", clerk, caseId=case_id)

    assert error_codes(bad) == ["VALIDATION"]
    assert error_codes(strangers_file) == ["NOT_FOUND"]
    assert bad["errors"][0]["extensions"]["fieldErrors"][0]["field"] == "course.participants"
    case = answered["answerInfoRequest"]
    assert case["status"] == "IN_REVIEW" and case["answers"]["course.participants"] == 3
    assert approved["decideCase"]["status"] == "APPROVED"
    assert completed["completeCase"]["status"] == "COMPLETED"
    mine = (await city.ok("Case", hanako, id=case_id))["case"]
    assert [h["toStatus"] for h in mine["history"]] == [
        "SUBMITTED",
        "IN_REVIEW",
        "NEEDS_INFO",
        "IN_REVIEW",
        "APPROVED",
        "COMPLETED",
    ]
    assert mine["applicantName"] is None
    messages = [h["message"] for h in mine["history"] if h["message"]]
    assert messages == ["参加者の人数を確認させてください", "3人です"]
    keys = await Notification.filter(resident_id=hanako.model.id).values_list(
        "message_key", flat=True
    )
    assert keys.count("applications.status_changed") == 6
    assert "applications.info_requested" in keys

    log = (await city.ok("CaseAuditLog", admin, caseId=case_id))["caseAuditLog"]
    assert sorted(e["action"] for e in log) == [
        "case.claimed",
        "case.completed",
        "case.decided",
        "case.info_requested",
    ]
    assert all(e["actorName"] == "sports 係" for e in log)
    not_admin = await city.gql.op("CaseAuditLog", auth=clerk.token, caseId=case_id)
    assert error_codes(not_admin) == ["FORBIDDEN"]
    field_staff = await city.clerk("sports", Role.FIELD_STAFF)
    assert error_codes(await city.gql.op("Case", auth=field_staff.token, id=case_id)) == [
        "FORBIDDEN"
    ]


async def test_queue__pages_filters_and_own_department_only(city):
    people = [await city.resident(f"住民{n}") for n in range(5)]
    receipts = []
    for person in people:
        filed = await city.submitted(
            person, ["course_signup"], {**COURSE, "resident.name": person.model.display_name}
        )
        receipts.append(filed["application"]["cases"][0]["receiptNumber"])
    await city.submitted(
        people[0],
        ["public_comment"],
        {"comment.section": "whole", "comment.opinion": "賛成です", "resident.name": "住民0"},
    )
    clerk, parks = await city.clerk("sports"), await city.clerk("parks")

    first = (await city.ok("CaseQueue", clerk, first=2))["caseQueue"]
    second = (await city.ok("CaseQueue", clerk, first=2, after=first["pageInfo"]["endCursor"]))[
        "caseQueue"
    ]
    rest = (await city.ok("CaseQueue", clerk, first=2, after=second["pageInfo"]["endCursor"]))[
        "caseQueue"
    ]
    found = (await city.ok("CaseQueue", clerk, search="住民3"))["caseQueue"]["edges"]
    by_receipt = (await city.ok("CaseQueue", clerk, search=receipts[1]))["caseQueue"]["edges"]
    other = await city.gql.op("CaseQueue", auth=clerk.token, departmentCode="parks")
    bad_cursor = await city.gql.op("CaseQueue", auth=clerk.token, after="bm9wZQ==")
    too_many = await city.gql.op("CaseQueue", auth=clerk.token, first=101)
    resident_asks = await city.gql.op("CaseQueue", auth=people[0].token)

    pages = [first, second, rest]
    listed = [e["node"]["receiptNumber"] for page in pages for e in page["edges"]]
    assert listed == receipts
    assert [p["pageInfo"]["hasNextPage"] for p in pages] == [True, True, False]
    assert [e["node"]["receiptNumber"] for e in found] == [receipts[3]]
    assert [e["node"]["receiptNumber"] for e in by_receipt] == [receipts[1]]
    assert error_codes(other) == ["FORBIDDEN"]
    assert error_codes(bad_cursor) == error_codes(too_many) == ["VALIDATION"]
    assert error_codes(resident_asks) == ["FORBIDDEN"]
    parks_queue = await city.ok("CaseQueue", parks, procedureCode="public_comment")
    assert len(parks_queue["caseQueue"]["edges"]) == 1

    with time_machine.travel(clock.now() + timedelta(days=3), tick=False):
        later = Person(clerk.model, token_for(city.settings, clerk.model))
        overdue = (await city.ok("CaseQueue", later, overdue=True))["caseQueue"]["edges"]
    assert len(overdue) == 5 and all(e["node"]["overdue"] for e in overdue)


async def test_staff_views_of_personal_data__audited(city):
    taro = await city.resident()
    filed = await city.submitted(taro, ["juminhyo_copy"], JUMINHYO)
    case_id = filed["application"]["cases"][0]["id"]
    clerk = await city.clerk("citizens")

    await city.ok("Case", clerk, id=case_id)
    await city.ok("Case", clerk, id=case_id)
    await city.ok("CaseQueue", clerk, search="安達", status="AWAITING_PAYMENT")
    admin = await city.clerk("citizens", Role.ADMIN)
    log = (await city.ok("CaseAuditLog", admin, caseId=case_id))["caseAuditLog"]

    assert [e["action"] for e in log] == ["case.found_by_search", "case.viewed", "case.viewed"]
    assert log[-1]["detail"] == {"receipt": filed["application"]["cases"][0]["receiptNumber"]}


QUEUE_READING = """query($fields: Boolean!) { caseQueue(status: AWAITING_PAYMENT) { edges { node {
  receiptNumber
  applicantName @include(if: $fields)
  answers @include(if: $fields)
  attachments @include(if: $fields) { id } } } } }"""


async def test_queue__reading_a_residents_data_there__audited_once_per_case(city):
    filed = await city.submitted(await city.resident(), ["juminhyo_copy"], JUMINHYO)
    case_id = filed["application"]["cases"][0]["id"]
    clerk = await city.clerk("citizens")
    admin = await city.clerk("citizens", Role.ADMIN)

    listed = await city.gql.data(QUEUE_READING, {"fields": False}, auth=clerk.token)
    before = (await city.ok("CaseAuditLog", admin, caseId=case_id))["caseAuditLog"]
    read = await city.gql.data(QUEUE_READING, {"fields": True}, auth=clerk.token)
    after = (await city.ok("CaseAuditLog", admin, caseId=case_id))["caseAuditLog"]

    assert len(listed["caseQueue"]["edges"]) == len(read["caseQueue"]["edges"]) == 1
    assert read["caseQueue"]["edges"][0]["node"]["answers"]["resident.name"] == "安達 太郎"
    assert before == []
    assert [(e["action"], e["detail"]["via"]) for e in after] == [("case.viewed", "queue")]
