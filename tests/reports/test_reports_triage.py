from __future__ import annotations

from datetime import timedelta

import time_machine

from accounts.models import Role
from core import clock
from notifications.models import Delivery, Notification
from reports.models import Report, ReportFollower
from tests.reports.world import CITY_HALL
from tests.support.graphql import error_codes

STATUS = """
mutation($id: ID!, $status: ReportStatus!, $note: String!, $internal: String!, $dup: ID) {
  updateReportStatus(id: $id, status: $status, note: $note, internalNote: $internal, duplicateOfId: $dup) {
    status publicNote history { kind toStatus note public actor }
  }
}
"""
ACK = 'mutation($id: ID!) { acknowledgeReport(id: $id, note: "確認しました") { status } }'
REPORT = """query($id: ID!) { report(id: $id) { status overdue canReopen publicNote
  history { kind note public actor } duplicateOf { receiptNumber } } }"""


async def set_status(world, staff, report_id, status, note="", internal="", dup=None):
    return await world.gql(
        STATUS,
        {"id": report_id, "status": status, "note": note, "internal": internal, "dup": dup},
        auth=staff.token,
    )


async def test_workflow__received_to_resolved__each_public_change_notifies_the_reporter(world):
    hanako = await world.resident(language="en")
    hanako.model.telegram_chat_id = 5550001
    await hanako.model.save()
    clerk = await world.staff()
    report_id = (await world.submitted(hanako))["report"]["id"]

    assert (await world.gql(ACK, {"id": report_id}, auth=clerk.token))["data"]["acknowledgeReport"][
        "status"
    ] == "ACKNOWLEDGED"
    await set_status(
        world, clerk, report_id, "IN_PROGRESS", note="Crew on the way", internal="crew B"
    )
    done = await set_status(world, clerk, report_id, "RESOLVED", note="Filled")

    assert done["data"]["updateReportStatus"]["status"] == "RESOLVED"
    texts = [n.message_key for n in await Notification.filter(resident=hanako.model).order_by("id")]
    assert texts == ["reports.notify.status"] * 3
    assert await Delivery.filter(address="5550001").count() == 3
    last = await Notification.filter(resident=hanako.model).order_by("-id").first()
    from notifications.service import render

    assert render(last, "en").startswith(
        f"Report {(await Report.first()).receipt_number} (Road damage"
    )
    assert "Resolved" in render(last, "en") and "対応済み" in render(last, "ja")


async def test_history__internal_notes_for_staff_only_and_staff_names_hidden_from_residents(world):
    hanako, taro = await world.resident(), await world.resident()
    clerk = await world.staff(name="山田 太郎")
    report_id = (await world.submitted(hanako))["report"]["id"]
    await world.gql(ACK, {"id": report_id}, auth=clerk.token)
    await set_status(
        world, clerk, report_id, "IN_PROGRESS", note="作業予定", internal="業者Aに電話済み 090-0000"
    )

    seen_by_staff = (await world.gql(REPORT, {"id": report_id}, auth=clerk.token))["data"]["report"]
    for viewer in (hanako, taro, None):
        body = await world.gql(REPORT, {"id": report_id}, auth=viewer.token if viewer else None)
        history = body["data"]["report"]["history"]
        assert all(entry["public"] for entry in history)
        assert "業者A" not in str(body) and "山田" not in str(body)
    assert any(
        e["note"] == "業者Aに電話済み 090-0000" and not e["public"]
        for e in seen_by_staff["history"]
    )
    assert any(e["actor"] == "山田 太郎" for e in seen_by_staff["history"])


async def test_transition_not_allowed__validation_and_nothing_changes(world):
    hanako = await world.resident(language="en")
    clerk = await world.staff()
    clerk.model.language = "en"
    await clerk.model.save()
    report_id = (await world.submitted(hanako))["report"]["id"]

    body = await set_status(world, clerk, report_id, "RESOLVED")

    assert error_codes(body) == ["VALIDATION"]
    assert "cannot go from 'received' to 'resolved'" in body["errors"][0]["message"]
    assert (await Report.get(public_id=report_id)).status == "received"
    assert await Notification.all().count() == 0


async def test_staff_mutations__residents_forbidden(world):
    hanako = await world.resident()
    report_id = (await world.submitted(hanako))["report"]["id"]

    body = await world.gql(ACK, {"id": report_id}, auth=hanako.token)

    assert error_codes(body) == ["FORBIDDEN"]


async def test_merge__duplicate_links_the_original_and_moves_followers(world):
    hanako, taro, jiro = await world.resident(), await world.resident(), await world.resident()
    clerk = await world.staff()
    original = (await world.submitted(hanako))["report"]["id"]
    copy = (await world.submitted(taro, lat=CITY_HALL[0] + 0.002))["report"]["id"]
    await world.gql(
        "mutation($id: ID!) { followReport(id: $id) { id } }", {"id": copy}, auth=jiro.token
    )

    body = await world.gql(
        'mutation($s: ID!, $t: ID!) { mergeReports(sourceId: $s, targetId: $t, note: "同じ穴です") { id } }',
        {"s": copy, "t": original},
        auth=clerk.token,
    )

    assert not body.get("errors"), body
    merged = (await world.gql(REPORT, {"id": copy}, auth=taro.token))["data"]["report"]
    first = await Report.get(public_id=original)
    assert (
        merged["status"] == "DUPLICATE"
        and merged["duplicateOf"]["receiptNumber"] == first.receipt_number
    )
    followers = set(await ReportFollower.filter(report=first).values_list("resident_id", flat=True))
    assert followers == {taro.model.id, jiro.model.id}
    assert await Notification.filter(message_key="reports.notify.duplicate").count() == 2
    again = await set_status(world, clerk, original, "ACKNOWLEDGED", note="確認")
    assert not again.get("errors")
    told = await Notification.filter(message_key="reports.notify.status").values_list(
        "resident_id", flat=True
    )
    assert set(told) == {hanako.model.id, taro.model.id, jiro.model.id}


async def test_duplicate_status_without_original__refused(world):
    hanako = await world.resident()
    clerk = await world.staff()
    report_id = (await world.submitted(hanako))["report"]["id"]

    body = await set_status(world, clerk, report_id, "DUPLICATE")

    assert error_codes(body) == ["VALIDATION"]
    assert body["errors"][0]["extensions"]["field"] == "duplicateOfId"


async def test_merge_into_itself__refused(world):
    hanako = await world.resident()
    clerk = await world.staff()
    report_id = (await world.submitted(hanako))["report"]["id"]

    body = await set_status(world, clerk, report_id, "DUPLICATE", dup=report_id)

    assert error_codes(body) == ["VALIDATION"]


async def test_reopen__within_14_days_by_the_reporter_only(world):
    hanako, taro = await world.resident(), await world.resident()
    clerk = await world.staff()
    report_id = (await world.submitted(hanako))["report"]["id"]
    await world.gql(ACK, {"id": report_id}, auth=clerk.token)
    await set_status(world, clerk, report_id, "RESOLVED", note="直しました")
    reopen = 'mutation($id: ID!) { reopenReport(id: $id, note: "まだ穴があります") { status } }'

    assert (await world.gql(REPORT, {"id": report_id}, auth=hanako.token))["data"]["report"][
        "canReopen"
    ] is True
    assert error_codes(await world.gql(reopen, {"id": report_id}, auth=taro.token)) == ["NOT_FOUND"]
    body = await world.gql(reopen, {"id": report_id}, auth=hanako.token)

    assert body["data"]["reopenReport"]["status"] == "IN_PROGRESS"


async def test_reopen__after_14_days__refused(world):
    hanako = await world.resident(language="en")
    clerk = await world.staff()
    report_id = (await world.submitted(hanako))["report"]["id"]
    await world.gql(ACK, {"id": report_id}, auth=clerk.token)
    await set_status(world, clerk, report_id, "RESOLVED")

    with time_machine.travel(clock.now() + timedelta(days=15)):
        hanako_token = world._token(f"r:{hanako.model.public_id}")
        body = await world.gql(
            "mutation($id: ID!) { reopenReport(id: $id) { status } }",
            {"id": report_id},
            auth=hanako_token,
        )

    assert error_codes(body) == ["VALIDATION"]
    assert "14 days" in body["errors"][0]["message"]


async def test_overdue__flagged_after_the_acknowledge_target(world):
    hanako = await world.resident()
    report_id = (await world.submitted(hanako))["report"]["id"]  # road damage: 24 h to acknowledge

    with time_machine.travel(clock.now() + timedelta(hours=25)):
        token = world._token(f"r:{hanako.model.public_id}")
        late = (await world.gql(REPORT, {"id": report_id}, auth=token))["data"]["report"]
    on_time = (await world.gql(REPORT, {"id": report_id}, auth=hanako.token))["data"]["report"]

    assert late["overdue"] is True and on_time["overdue"] is False


async def test_assign__to_a_member_of_staff_moves_the_department(world):
    hanako = await world.resident()
    clerk = await world.staff()
    gardener = await world.staff(role=Role.FIELD_STAFF, department="parks", name="公園 花子")
    report_id = (await world.submitted(hanako))["report"]["id"]

    body = await world.gql(
        """mutation($id: ID!, $who: ID!) { assignReport(id: $id, assigneeId: $who, note: "現地確認") {
             staffDetails { assignee { displayName } departmentCode } } }""",
        {"id": report_id, "who": gardener.id},
        auth=clerk.token,
    )

    details = body["data"]["assignReport"]["staffDetails"]
    assert details == {"assignee": {"displayName": "公園 花子"}, "departmentCode": "parks"}
    assert await Notification.all().count() == 0  # an internal change


async def test_follow_instead__own_new_report_withdrawn_as_duplicate(world):
    hanako, taro = await world.resident(), await world.resident()
    original = (await world.submitted(hanako))["report"]
    mine = await world.submitted(taro, lat=CITY_HALL[0] + 0.0001)
    assert [d["report"]["id"] for d in mine["duplicates"]] == [original["id"]]

    body = await world.gql(
        "mutation($id: ID!, $mine: ID!) { followReport(id: $id, insteadOf: $mine) { id isFollowing } }",
        {"id": original["id"], "mine": mine["report"]["id"]},
        auth=taro.token,
    )

    assert body["data"]["followReport"] == {"id": original["id"], "isFollowing": True}
    withdrawn = (await world.gql(REPORT, {"id": mine["report"]["id"]}, auth=taro.token))["data"][
        "report"
    ]
    assert withdrawn["status"] == "DUPLICATE"
    assert withdrawn["duplicateOf"]["receiptNumber"] == original["receiptNumber"]


async def test_follow_instead__someone_elses_report__refused(world):
    hanako, taro = await world.resident(), await world.resident()
    original = (await world.submitted(hanako))["report"]
    other = (await world.submitted(hanako, lat=CITY_HALL[0] + 0.0002))["report"]

    body = await world.gql(
        "mutation($id: ID!, $mine: ID!) { followReport(id: $id, insteadOf: $mine) { id } }",
        {"id": original["id"], "mine": other["id"]},
        auth=taro.token,
    )

    assert error_codes(body) == ["VALIDATION"]
    assert (await Report.get(public_id=other["id"])).status == "received"
    assert not await ReportFollower.exists(resident=taro.model)


async def test_accounts_merge__reports_and_follows_move_to_the_app_account(world):
    from accounts.service import _merge_hooks

    app_account, telegram_account, hanako = (
        await world.resident(),
        await world.resident(),
        await world.resident(),
    )
    filed = (await world.submitted(telegram_account))["report"]
    followed = (await world.submitted(hanako, lat=CITY_HALL[0] + 0.01))["report"]
    await world.gql(
        "mutation($id: ID!) { followReport(id: $id) { id } }",
        {"id": followed["id"]},
        auth=telegram_account.token,
    )

    for hook in _merge_hooks:
        await hook(telegram_account.model, app_account.model)

    assert (await Report.get(public_id=filed["id"])).reporter_id == app_account.model.id
    assert await ReportFollower.exists(resident=app_account.model)
