"""Lotteries end to end: put up with a published seed hash, entries, a draw anyone can
check, unpaid wins passing on, leftovers to first come."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking.lottery import draw as lottery
from booking.models import LotteryEntry, LotterySlot, LotteryState, Reservation, ReservationStatus
from booking.worker import expire_lapsed_holds
from core import clock
from notifications.models import Notification
from payments.gateway import for_settings
from tests.booking.factories import make_gym, many_residents, resident, slot, slot_vars, staff
from tests.booking.flows import DAYS_AHEAD, deliver, draw_now, plan
from tests.support.graphql import error_codes


async def put_up(gql, settings, space, **overrides) -> dict:
    _, staff_token = await staff(settings)
    body = await gql.op("CreateLottery", auth=staff_token, **plan(space, **overrides))
    assert not body.get("errors"), body
    return body["data"]["createLottery"]


async def test_lottery__seed_hash_published_draw_checkable_unpaid_win_passes_on(
    gql, client, settings, stripe_fake
):
    gym = await make_gym()
    created = await put_up(gql, settings, gym.whole)
    people = await many_residents(settings, 5, prefix="抽選")
    first_come = await gql.op(
        "HoldSlot", auth=people[0][1], **slot_vars(gym.half_a, days_ahead=DAYS_AHEAD)
    )
    for _, token in people:
        entered = await gql.op("EnterLottery", auth=token, id=created["id"])
        assert not entered.get("errors"), entered
    twice = await gql.op("EnterLottery", auth=people[0][1], id=created["id"])
    before = (await gql.op("Lottery", id=created["id"]))["data"]["lottery"]

    drawn_at = await draw_now()
    after = (await gql.op("Lottery", auth=people[0][1], id=created["id"]))["data"]["lottery"]

    assert len(created["seedHash"]) == 64 and created["seed"] is None and created["state"] == "OPEN"
    assert error_codes(first_come) == ["SLOT_TAKEN"]
    assert error_codes(twice) == ["CONFLICT"]
    assert (before["seed"], before["entrants"], before["drawOrder"], before["entryCount"]) == (
        None,
        None,
        None,
        5,
    )
    assert (
        after["seedHash"] == created["seedHash"] == lottery.seed_hash(bytes.fromhex(after["seed"]))
    )
    assert (
        lottery.draw(bytes.fromhex(after["seed"]), after["slotKey"], after["entrants"])
        == after["drawOrder"]
    )
    assert lottery.verify_draw(
        after["seed"], after["seedHash"], after["slotKey"], after["entrants"], after["drawOrder"]
    )
    assert after["state"] == "DRAWN"

    order = after["drawOrder"]
    entries = {str(e.public_id): e for e in await LotteryEntry.all()}
    winner, runner_up = entries[order[0]], entries[order[1]]
    won = await Reservation.get(id=winner.reservation_id)
    assert (
        won.status is ReservationStatus.HELD
        and won.from_lottery
        and won.hold_expires_at == winner.pay_by
    )
    assert winner.pay_by == lottery.pay_by(drawn_at, 3)
    keys = {
        e.resident_id: [n.message_key async for n in Notification.filter(resident_id=e.resident_id)]
        for e in entries.values()
    }
    assert keys[winner.resident_id] == ["lottery.won"]
    assert sorted(keys.values()) == [["lottery.lost"]] * 4 + [["lottery.won"]]

    await expire_lapsed_holds(
        gateway=for_settings(settings), now=winner.pay_by + timedelta(seconds=1)
    )

    assert (await Reservation.get(id=winner.reservation_id)).status is ReservationStatus.EXPIRED
    runner_up = await LotteryEntry.get(id=runner_up.id)
    assert runner_up.won and runner_up.reservation_id is not None
    assert [
        n.message_key async for n in Notification.filter(resident_id=runner_up.resident_id)
    ] == ["lottery.lost", "lottery.moved_up"]
    assert (
        await Notification.filter(resident_id=winner.resident_id).order_by("-id").first()
    ).message_key == "lottery.win_lapsed"

    runner_up_token = next(token for person, token in people if person.id == runner_up.resident_id)
    second_win = await Reservation.get(id=runner_up.reservation_id)
    paid = await gql.op("CheckoutReservation", auth=runner_up_token, id=str(second_win.public_id))
    session_id = paid["data"]["checkoutReservation"]["url"].rsplit("/", 1)[1]
    await deliver(client, stripe_fake, stripe_fake.complete_session(session_id))

    assert (await Reservation.get(id=second_win.id)).status is ReservationStatus.CONFIRMED
    assert (await LotterySlot.get(public_id=created["id"])).state is LotteryState.SETTLED


async def test_lottery__nobody_entered__slot_goes_to_first_come(gql, settings):
    gym = await make_gym()
    created = await put_up(gql, settings, gym.whole)
    _, token = await resident(settings)

    await draw_now()
    hold = await gql.op("HoldSlot", auth=token, **slot_vars(gym.half_b, days_ahead=DAYS_AHEAD))

    assert (await LotterySlot.get(public_id=created["id"])).state is LotteryState.SETTLED
    assert hold["data"]["holdSlot"]["status"] == "HELD"


async def test_lottery__every_win_lapses__slot_goes_to_first_come(gql, settings):
    gym = await make_gym()
    created = await put_up(gql, settings, gym.whole)
    _, entrant = await resident(settings, "応募者")
    _, latecomer = await resident(settings, "先着")
    await gql.op("EnterLottery", auth=entrant, id=created["id"])
    await draw_now()
    entry = await LotteryEntry.get()

    await expire_lapsed_holds(
        gateway=for_settings(settings), now=entry.pay_by + timedelta(seconds=1)
    )
    hold = await gql.op("HoldSlot", auth=latecomer, **slot_vars(gym.whole, days_ahead=DAYS_AHEAD))

    assert (await LotterySlot.get(public_id=created["id"])).state is LotteryState.SETTLED
    assert hold["data"]["holdSlot"]["status"] == "HELD"


async def test_lottery__winner_cancels__next_in_line_wins(gql, settings):
    gym = await make_gym()
    created = await put_up(gql, settings, gym.whole)
    people = await many_residents(settings, 2, prefix="取消")
    for _, token in people:
        await gql.op("EnterLottery", auth=token, id=created["id"])
    await draw_now()
    first, second = await LotteryEntry.all().order_by("position")
    token = next(t for person, t in people if person.id == first.resident_id)
    reservation = await Reservation.get(id=first.reservation_id)

    body = await gql.op("CancelReservation", auth=token, id=str(reservation.public_id))

    assert body["data"]["cancelReservation"]["status"] == "CANCELLED"
    assert (await LotteryEntry.get(id=second.id)).won


async def test_lottery__monthly_cap_and_entry_window(gql, settings):
    gym = await make_gym(lottery_cap=1)
    morning = await put_up(gql, settings, gym.whole)
    _, staff_token = await staff(settings, "sports")
    later_start, later_end = slot(DAYS_AHEAD + 1)
    second = (
        await gql.op(
            "CreateLottery",
            auth=staff_token,
            **plan(gym.whole, start=later_start.isoformat(), end=later_end.isoformat()),
        )
    )["data"]["createLottery"]
    not_yet_start, not_yet_end = slot(DAYS_AHEAD + 2)
    not_yet = (
        await gql.op(
            "CreateLottery",
            auth=staff_token,
            **plan(
                gym.half_a,
                start=not_yet_start.isoformat(),
                end=not_yet_end.isoformat(),
                entriesOpenAt=(clock.now() + timedelta(minutes=30)).isoformat(),
            ),
        )
    )["data"]["createLottery"]
    _, token = await resident(settings)

    first_entry = await gql.op("EnterLottery", auth=token, id=morning["id"])
    over_cap = await gql.op("EnterLottery", auth=token, id=second["id"])
    too_early = await gql.op("EnterLottery", auth=token, id=not_yet["id"])
    unknown = await gql.op("EnterLottery", auth=token, id="00000000-0000-0000-0000-000000000000")

    assert not first_entry.get("errors")
    assert error_codes(over_cap) == error_codes(too_early) == ["CONFLICT"]
    assert (
        "上限" in over_cap["errors"][0]["message"]
        and "受付期間外" in too_early["errors"][0]["message"]
    )
    assert error_codes(unknown) == ["NOT_FOUND"]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"drawAt": "2020-01-01T00:00:00+09:00"}, "VALIDATION"),
        ({"entriesCloseAt": "2020-01-01T00:00:00+09:00"}, "VALIDATION"),
        ({"payWithinDays": 0}, "VALIDATION"),
        ({"drawAt": "2030-01-01T00:00:00"}, "VALIDATION"),
        ({"spaceId": "424242"}, "NOT_FOUND"),
    ],
    ids=["draw-in-past", "closes-before-opening", "no-days-to-pay", "naive-time", "unknown-space"],
)
async def test_create_lottery__bad_plans(gql, settings, overrides, code):
    gym = await make_gym()
    _, staff_token = await staff(settings)

    body = await gql.op("CreateLottery", auth=staff_token, **plan(gym.whole, **overrides))

    assert error_codes(body) == [code]
    assert await LotterySlot.all().count() == 0


async def test_create_lottery__slot_already_held_or_wrong_caller(gql, settings):
    gym = await make_gym(department_code="sports")
    _, token = await resident(settings)
    _, roads = await staff(settings, "roads")
    await gql.op("HoldSlot", auth=token, **slot_vars(gym.half_a, days_ahead=DAYS_AHEAD))
    _, sports = await staff(settings, "sports")

    taken = await gql.op("CreateLottery", auth=sports, **plan(gym.whole))
    other_department = await gql.op("CreateLottery", auth=roads, **plan(gym.half_b))
    by_resident = await gql.op("CreateLottery", auth=token, **plan(gym.half_b))

    assert error_codes(taken) == ["SLOT_TAKEN"]
    assert error_codes(other_department) == error_codes(by_resident) == ["FORBIDDEN"]


MY_ENTRIES = "{ myLotteryEntries { id lotteryId position won payBy reservationId } }"


async def test_my_lottery_entries__own_entries_only_with_the_draw_outcome(
    gql, client, settings, stripe_fake
):
    gym = await make_gym()
    created = await put_up(gql, settings, gym.whole)
    people = await many_residents(settings, 3, prefix="照会")
    for _, token in people:
        await gql.op("EnterLottery", auth=token, id=created["id"])
    await draw_now()

    seen = [(await gql.data(MY_ENTRIES, auth=token))["myLotteryEntries"] for _, token in people]

    assert all(len(entries) == 1 and entries[0]["lotteryId"] == created["id"] for entries in seen)
    assert len({entries[0]["id"] for entries in seen}) == 3
    assert sorted(entries[0]["position"] for entries in seen) == [1, 2, 3]
    winners = [entries[0] for entries in seen if entries[0]["won"]]
    assert len(winners) == 1 and winners[0]["reservationId"] and winners[0]["payBy"]
    assert all(entries[0]["reservationId"] is None for entries in seen if not entries[0]["won"])
