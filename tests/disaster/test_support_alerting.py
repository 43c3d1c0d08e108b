"""When an alert covers a registered person's address, their supporters hear first — before
the area broadcast — with the address, the reason and the nearest open shelter for the
hazard; they say how the person is doing, and the welfare department sees it."""

from __future__ import annotations

from accounts.models import Role
from core import clock
from disaster.support.models import SupportNotice
from notifications import ledger
from notifications.broadcasts.fanout import fan_out_once
from notifications.models import Channel, Delivery, Lane, Notification
from notifications.preferences.models import NotificationPreferences
from tests.disaster.town import (
    MARK,
    PEOPLE,
    PERSON,
    TOME_HOME,
    SupportTown,
    alert_input,
)
from tests.support.graphql import error_codes

MESSAGES = "{ myNotifications { text } }"
UPDATE_ALERT = (
    """mutation($id: ID!, $input: AlertInput!) { updateAlert(id: $id, input: $input) { id } }"""
)


async def test_supporters_told_before_the_area_broadcast__with_address_reason_shelter(
    support_town: SupportTown,
):
    town = support_town
    daughter, neighbour, bystander = [await town.resident() for _ in range(3)]
    for resident in (daughter, neighbour, bystander):  # all of them watch the area too
        await town.watch(resident, (TOME_HOME[0], TOME_HOME[1], 1000))
    await town.person_with_supporters(daughter, neighbour)
    field = await town.staff(role=Role.FIELD_STAFF)
    await town.set_status(field, "杉田地区体育館", "OPEN")  # the only open flood shelter

    alert = await town.create(await town.crisis_staff(), severity="SEVERE", hazard="FLOOD")

    sent = await Notification.all().order_by("id").values_list("kind", "resident_id")
    supporters = {daughter.model.id, neighbour.model.id}
    assert set(sent[:2]) == {("support_needed", rid) for rid in supporters}
    assert [kind for kind, _ in sent[2:]] == ["alert"] * 3  # then the area broadcast
    messages = [
        m["text"] for m in (await town.gql.data(MESSAGES, auth=daughter.token))["myNotifications"]
    ]
    told = next(m for m in messages if "避難支援のお願い" in m)
    assert "安達 トメ" in told and "福島県二本松市本町2-3-5" in told
    assert "歩行が困難（車いす）、一人暮らし" in told and "0243-22-0000" in told
    assert "杉田地区体育館" in told and "openstreetmap.org" in told
    bystander_texts = [
        m["text"] for m in (await town.gql.data(MESSAGES, auth=bystander.token))["myNotifications"]
    ]
    assert bystander_texts and not any("安達 トメ" in m for m in bystander_texts)
    assert await SupportNotice.filter(alert__public_id=alert["id"]).count() == 1


async def test_told_once_per_alert__not_for_other_areas_or_lesser_alerts(support_town: SupportTown):
    town = support_town
    crisis = await town.crisis_staff()
    supporter = await town.resident()
    await town.person_with_supporters(supporter)
    far = {"description": "岩代", "circles": [{"lat": 37.55, "lng": 140.57, "radiusMeters": 1000}]}

    await town.create(crisis, areas=[far])
    await town.create(crisis, severity="MODERATE")
    await town.create(crisis, status="EXERCISE", severity="EXTREME")
    assert await Notification.filter(kind="support_needed").count() == 0

    alert = await town.create(crisis, severity="EXTREME", hazard="EARTHQUAKE")
    changed = alert_input(msgType="UPDATE", headline="震度6強", severity="EXTREME")
    await town.gql.data(UPDATE_ALERT, {"id": alert["id"], "input": changed}, auth=crisis.token)

    [told] = await Notification.filter(kind="support_needed").values_list("message_key", flat=True)
    assert told == "disaster.support.message_no_shelter"  # no shelter open for earthquakes


async def test_supporter_marks__welfare_sees__others_cannot(support_town: SupportTown):
    town = support_town
    supporter, other = await town.resident(), await town.resident()
    person = await town.person_with_supporters(supporter)
    alert = await town.create(await town.crisis_staff())
    variables = {"personId": person["id"], "alertId": alert["id"]}

    first = await town.gql.data(
        MARK, {**variables, "status": "NOT_REACHABLE"}, auth=supporter.token
    )
    assert first["markSupportCheck"]["statusLabel"] == "連絡がつかない"
    again = await town.gql.data(
        MARK, {**variables, "status": "EVACUATED", "note": "市民会館へ"}, auth=supporter.token
    )
    assert again["markSupportCheck"]["status"] == "EVACUATED"

    welfare = await town.welfare()
    seen = (await town.gql.data(PERSON, {"id": person["id"]}, auth=welfare.token))[
        "supportNeededPerson"
    ]
    assert [(c["status"], c["note"], c["supporterName"]) for c in seen["checks"]] == [
        ("EVACUATED", "市民会館へ", supporter.model.display_name)
    ]
    listed = await town.gql.data(PEOPLE, {"area": {"alertId": alert["id"]}}, auth=welfare.token)
    assert listed["supportNeededPeople"][0]["checks"][0]["status"] == "EVACUATED"
    for caller, code in ((other, "NOT_FOUND"), (welfare, "FORBIDDEN")):
        body = await town.gql(MARK, {**variables, "status": "CONTACTED"}, auth=caller.token)
        assert error_codes(body) == [code]
    long_note = await town.gql(
        MARK, {**variables, "status": "CONTACTED", "note": "x" * 201}, auth=supporter.token
    )
    assert error_codes(long_note) == ["VALIDATION"]


async def test_withdrawal_removes_the_messages_supporters_were_sent(support_town: SupportTown):
    town = support_town
    supporter = await town.resident()
    person = await town.person_with_supporters(supporter)
    await town.create(await town.crisis_staff())
    assert await Notification.filter(kind="support_needed").count() == 1

    await town.gql.data(
        "mutation($id: ID!) { withdrawSupportConsent(id: $id) }",
        {"id": person["id"]},
        auth=(await town.welfare()).token,
    )

    assert await Notification.filter(kind="support_needed").count() == 0
    texts = (await town.gql.data(MESSAGES, auth=supporter.token))["myNotifications"]
    assert not any("安達 トメ" in m["text"] for m in texts)


async def test_supporters_in_the_alert_lane__before_the_broadcast__even_in_quiet_hours(
    support_town: SupportTown,
):
    town = support_town
    supporter, neighbour = await town.resident(), await town.resident()
    for number, caller in enumerate((supporter, neighbour), 1):
        caller.model.telegram_chat_id = 900 + number
        await caller.model.save(update_fields=["telegram_chat_id"])
        await town.watch(caller, (TOME_HOME[0], TOME_HOME[1], 1000))
    minute = clock.local(clock.now()).hour * 60 + clock.local(clock.now()).minute
    await NotificationPreferences.create(  # asleep now: status updates would wait
        resident=supporter.model,
        channels=["telegram"],
        quiet_start=(minute - 60) % 1440,
        quiet_end=(minute + 60) % 1440,
    )
    await town.person_with_supporters(supporter)

    await town.create(await town.crisis_staff(), severity="SEVERE")
    while await fan_out_once():
        pass

    due = await ledger.due(Channel.TELEGRAM, Lane.ALERT, clock.now(), 10)
    rows = {row.id: row for row in await Delivery.filter(id__in=[i for i, *_ in due])}
    kinds = [(await Notification.get(id=rows[i].notification_id)).kind for i, *_ in due]
    assert kinds == ["support_needed", "alert", "alert"]
    assert due[0][1] == "901"  # the supporter, first, though in quiet hours
