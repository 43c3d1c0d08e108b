"""The ledger: claims taken once, a lapsed claim is sent by another worker, a lapsed
in-flight lease never sends again, staff read outcomes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import time_machine

from accounts.models import Resident, Role
from core import clock
from notifications import ledger
from notifications.broadcasts.service import start_broadcast
from notifications.channels import IncompleteRequest, TemporaryFailure
from notifications.in_flight import InFlightGate
from notifications.models import Channel, Delivery, Lane, LedgerStatus
from notifications.service import notify
from tests.accounts.test_staff_permissions import STAFF_LOG_IN, make_staff
from tests.support.graphql import error_codes


async def _telegram_residents(count: int) -> list[Resident]:
    return [
        await Resident.create(
            display_name="r", telegram_user_id=9_100_000 + n, telegram_chat_id=9_100_000 + n
        )
        for n in range(count)
    ]


async def test_claim__concurrent_claims_never_share_a_row(channels):
    residents = await _telegram_residents(40)
    await start_broadcast(
        alert_id=31,
        message_key="notifications.linked",
        params={},
        resident_ids=[r.id for r in residents],
    )
    from notifications.broadcasts.fanout import fan_out_once

    assert await fan_out_once() == 40
    now = clock.now()
    ids = [row_id for row_id, _, _ in await ledger.due(Channel.TELEGRAM, Lane.ALERT, now, 100)]
    claims = await asyncio.gather(*(ledger.claim(ids, now, timedelta(minutes=1)) for _ in range(4)))
    taken = [row.id for claim in claims for row in claim]
    assert sorted(taken) == sorted(ids)  # each row to exactly one claimer
    assert {row.attempts for claim in claims for row in claim} == {0}  # nothing sent yet
    marked = await asyncio.gather(*(ledger.in_flight(c, timedelta(minutes=1)) for c in claims))
    assert sorted(row.id for rows in marked for row in rows) == sorted(ids)
    assert {row.attempts for rows in marked for row in rows} == {1}


async def test_claim__gives_each_row_its_message_and_a_broadcasts_text_as_stored(channels):
    first, second = await _telegram_residents(2)
    await Resident.filter(id=second.id).update(language="en")
    own = await notify(
        first, kind="booking", message_key="notifications.linked", params={"n": "１２"}, link="/b/1"
    )
    await start_broadcast(
        alert_id=33,
        message_key="notifications.linked",
        params={"area": "中央区"},
        resident_ids=[first.id, second.id],
    )
    from notifications.broadcasts.fanout import fan_out_once

    await fan_out_once()
    now = clock.now()
    due = await ledger.due(Channel.TELEGRAM, Lane.ALERT, now, 10)
    due += await ledger.due(Channel.TELEGRAM, Lane.STATUS, now, 10)
    claimed = await ledger.claim([row_id for row_id, _, _ in reversed(due)], now, timedelta(1))
    assert [row.id for row in claimed] == sorted(row_id for row_id, _, _ in due)
    stored = {row.id: row for row in await Delivery.filter(id__in=[r.id for r in claimed])}
    for row in claimed:
        kept = stored[row.id]
        assert (row.channel, row.lane, row.status) == (kept.channel, kept.lane, kept.status)
        assert isinstance(row.channel, Channel) and isinstance(row.lane, Lane)
        assert (row.address, row.language, row.resident_id) == (
            kept.address,
            kept.language,
            kept.resident_id,
        )
        assert row.claim_token == kept.claim_token and kept.next_attempt_at is None
    [mine] = [row for row in claimed if row.lane == Lane.STATUS]
    message = mine.notification
    assert (message.public_id, message.params, message.link) == (
        own.public_id,
        {"n": "１２"},
        "/b/1",
    )
    assert message.broadcast is None and message.kind == "booking"
    alerts = [row for row in claimed if row.lane == Lane.ALERT]
    assert {row.language for row in alerts} == {"ja", "en"}
    assert {row.notification.broadcast.params["area"] for row in alerts} == {"中央区"}
    assert len({row.notification.public_id for row in alerts}) == 2
    assert await ledger.claim([row.id for row in claimed], now, timedelta(1)) == []


async def test_lapsed_claim__released_and_sent_once_by_the_next_worker(channels):
    [resident] = await _telegram_residents(1)
    await notify(resident, kind="booking", message_key="notifications.linked")
    now = clock.now()
    [(row_id, _, _)] = await ledger.due(Channel.TELEGRAM, Lane.STATUS, now, 10)
    [claimed] = await ledger.claim([row_id], now, timedelta(seconds=30))  # then the worker died
    assert claimed.status == LedgerStatus.CREATED and claimed.attempts == 0
    assert await channels.worker.run_once() == 0  # still claimed: nobody else sends it
    later = now + timedelta(seconds=31)
    with time_machine.travel(later, tick=False):
        assert await channels.worker.run_once() == 1
        # the dead worker's claim no longer holds: its rows are not marked in flight
        assert await ledger.in_flight([claimed], timedelta(seconds=30)) == []
    row = await Delivery.get(id=row_id)
    assert row.status == LedgerStatus.DELIVERED and row.attempts == 1
    assert len(channels.tg.calls_to("sendMessage")) == 1


async def _telegram_row_left_in_flight(channels):
    [resident] = await _telegram_residents(1)
    await notify(resident, kind="booking", message_key="notifications.linked")
    now = clock.now()
    [(row_id, _, _)] = await ledger.due(Channel.TELEGRAM, Lane.STATUS, now, 10)
    [claimed] = await ledger.claim([row_id], now, timedelta(seconds=30))
    [claimed] = await ledger.in_flight([claimed], timedelta(seconds=30))  # then the sender died
    assert claimed.status == LedgerStatus.SENDING
    return claimed, now


async def test_lapsed_lease_in_flight_on_telegram__taken_as_delivered_never_sent_again(channels):
    claimed, now = await _telegram_row_left_in_flight(channels)
    assert await channels.worker.run_once() == 0
    assert (await Delivery.get(id=claimed.id)).status == LedgerStatus.SENDING  # lease holds
    with time_machine.travel(now + timedelta(seconds=31), tick=False):
        assert await channels.worker.run_once() == 0
    row = await Delivery.get(id=claimed.id)
    assert row.status == LedgerStatus.DELIVERED and row.last_error == ledger.PRESUMED_DELIVERED
    assert row.attempts == 1 and row.next_attempt_at is None and row.lease_until is None
    assert channels.tg.calls_to("sendMessage") == []
    await ledger.failed(claimed, LedgerStatus.PERMANENT_FAILURE, "telegram 403")
    assert (await Delivery.get(id=claimed.id)).status == LedgerStatus.PERMANENT_FAILURE, (
        "a slow sender's real answer still counts"
    )


async def test_lapsed_lease_in_flight_elsewhere__outcome_unknown_never_sent_again(channels):
    claimed, now = await _telegram_row_left_in_flight(channels)
    later = now + timedelta(seconds=31)
    assert await ledger.expire_leases(later, complete=()) == 1  # a channel sent in one piece
    row = await Delivery.get(id=claimed.id)
    assert row.status == LedgerStatus.SENDING and row.last_error == ledger.OUTCOME_UNKNOWN
    assert row.attempts == 1 and row.next_attempt_at is None and row.lease_until is None
    with time_machine.travel(later, tick=False):
        assert await channels.worker.run_once() == 0
    assert channels.tg.calls_to("sendMessage") == []
    await ledger.delivered([claimed])  # the slow sender's answer still counts
    assert (await Delivery.get(id=claimed.id)).status == LedgerStatus.DELIVERED


async def test_gives_up_after_the_last_attempt(channels):
    [resident] = await _telegram_residents(1)
    await notify(resident, kind="booking", message_key="notifications.linked")
    moment = clock.now()
    for _ in range(ledger.MAX_ATTEMPTS + 2):
        channels.tg.fail_next("sendMessage", error_code=502, description="Bad Gateway")
        with time_machine.travel(moment, tick=False):
            await channels.worker.run_once()
        moment += timedelta(hours=2)
    row = await Delivery.get()
    assert row.status == LedgerStatus.TEMPORARY_FAILURE and row.attempts == ledger.MAX_ATTEMPTS
    assert row.next_attempt_at is None and "Bad Gateway" in row.last_error


async def test_staff__see_a_messages_outcome_per_channel(channels):
    [resident] = await _telegram_residents(1)
    channels.tg.block_chat(resident.telegram_chat_id)
    notification = await notify(
        resident, kind="report", message_key="notifications.linked", link="report:abc"
    )
    await channels.worker.run_once()
    email, password = await make_staff(Role.CLERK)
    login = await channels.gql.data(STAFF_LOG_IN, {"e": email, "p": password})
    staff = login["staffLogIn"]["accessToken"]
    for variables in ({"notificationId": str(notification.public_id)}, {"link": "report:abc"}):
        body = await channels.gql.op("NotificationDeliveries", auth=staff, **variables)
        [outcome] = body["data"]["notificationDeliveries"]
        assert outcome["notificationId"] == str(notification.public_id)
        [row] = outcome["deliveries"]
        assert (row["channel"], row["status"], row["attempts"]) == (
            "TELEGRAM",
            "PERMANENT_FAILURE",
            1,
        )
        assert "blocked" in row["lastError"] and row["nextAttemptAt"] is None


async def test_staff_view__not_for_residents_and_inputs_checked(channels):
    account = await channels.gql.sign_up()
    body = await channels.gql.op("NotificationDeliveries", auth=account.token, link="report:abc")
    assert error_codes(body) == ["FORBIDDEN"]
    body = await channels.gql.op("NotificationDeliveries", link="report:abc")
    assert error_codes(body) == ["UNAUTHENTICATED"]
    email, password = await make_staff(Role.FIELD_STAFF)
    login = await channels.gql.data(STAFF_LOG_IN, {"e": email, "p": password})
    staff = login["staffLogIn"]["accessToken"]
    for variables, code in (
        ({}, "VALIDATION"),
        ({"link": "x" * 501}, "VALIDATION"),
        ({"notificationId": "not-a-uuid"}, "NOT_FOUND"),
    ):
        body = await channels.gql.op("NotificationDeliveries", auth=staff, **variables)
        assert error_codes(body) == [code], variables


async def test_lapsed_push_lease__taken_as_delivered_and_collapse_key_kept(channels):
    resident = await Resident.create(display_name="r")
    token = channels.fcm.device()
    from notifications.channels.push.models import PushDevice

    await PushDevice.create(resident=resident, token=token, platform="android")
    await notify(resident, kind="booking", message_key="notifications.linked")
    now = clock.now()
    [(row_id, _, _)] = await ledger.due(Channel.PUSH, Lane.STATUS, now, 10)
    claimed = await ledger.claim([row_id], now, timedelta(seconds=30))
    await ledger.in_flight(claimed, timedelta(seconds=30))  # then the sender died
    with time_machine.travel(now + timedelta(seconds=31), tick=False):
        assert await channels.worker.run_once() == 0
    row = await Delivery.get(id=row_id)
    assert row.status == LedgerStatus.DELIVERED and row.attempts == 1
    assert row.last_error == ledger.PRESUMED_DELIVERED
    assert channels.fcm.messages_to(token) == []
    notification = await notify(resident, kind="booking", message_key="notifications.linked")
    with time_machine.travel(now + timedelta(seconds=32), tick=False):
        assert await channels.worker.run_once() == 1
    [message] = channels.fcm.messages_to(token)
    assert message["android"]["notification"]["tag"] == str(notification.public_id)
    assert message["apns"]["headers"]["apns-collapse-id"] == str(notification.public_id)


async def _until(condition) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached")


async def test_in_flight_gate__one_group_marked_ahead_of_its_writes(channels):
    from notifications.broadcasts.fanout import fan_out_once
    from notifications.in_flight import GROUP, InFlightGate

    residents = await _telegram_residents(GROUP * 2 + 5)
    await start_broadcast(
        alert_id=32,
        message_key="notifications.linked",
        params={},
        resident_ids=[r.id for r in residents],
    )
    await fan_out_once()
    now = clock.now()
    ids = [row_id for row_id, _, _ in await ledger.due(Channel.TELEGRAM, Lane.ALERT, now, 100)]
    claimed = await ledger.claim(ids, now, timedelta(minutes=1))
    gate = InFlightGate(claimed, timedelta(minutes=1))
    gone = claimed[-1].id
    gate.left(gone)  # failed before its request was built: never comes to the gate
    passing = {row.id: asyncio.ensure_future(gate.passing(row.id)) for row in claimed[:-1]}
    in_flight = Delivery.filter(status=LedgerStatus.SENDING)

    await _until(lambda: sum(p.done() for p in passing.values()) == GROUP)
    first = [row_id for row_id, p in passing.items() if p.done()]
    assert await in_flight.count() == GROUP
    await asyncio.sleep(0.05)
    assert await in_flight.count() == GROUP, "the next group waits for these writes"
    for row_id in first[:-1]:
        gate.written(row_id)
    await asyncio.sleep(0.05)
    assert await in_flight.count() == GROUP, "one request still unwritten"
    gate.written(first[-1])
    await _until(lambda: sum(p.done() for p in passing.values()) == GROUP * 2)
    for row_id, p in passing.items():
        if p.done() and row_id not in first:
            gate.written(row_id)
    await _until(lambda: all(p.done() for p in passing.values()))  # the last four, not ten
    await gate.settled()
    assert await in_flight.count() == len(claimed) - 1
    assert all(p.result() for p in passing.values())
    assert await gate.passing(gone) is False


async def test_gate__completes_each_request_once_its_mark_is_committed(channels):
    [resident] = await _telegram_residents(1)
    await notify(resident, kind="booking", message_key="notifications.linked")
    await notify(resident, kind="booking", message_key="notifications.linked")
    now = clock.now()
    ids = [row_id for row_id, _, _ in await ledger.due(Channel.TELEGRAM, Lane.STATUS, now, 10)]
    first, second = await ledger.claim(ids, now, timedelta(seconds=30))
    gate = InFlightGate([first, second], timedelta(seconds=30))
    seen: list[tuple[int, bool]] = []

    def finish() -> None:
        seen.append((first.id, first.id in gate.marked))

    def lost() -> None:
        raise ConnectionResetError("the connection closed")

    passed, failed = await asyncio.gather(
        gate.passing(first.id, finish), gate.passing(second.id, lost), return_exceptions=True
    )
    assert passed is True and seen == [(first.id, True)]  # once, after the mark
    assert isinstance(failed, IncompleteRequest) and isinstance(failed, TemporaryFailure)
    statuses = await Delivery.filter(id__in=ids).values_list("status", flat=True)
    assert set(statuses) == {LedgerStatus.SENDING}  # the worker records the failure: retried
