"""holdSlot: a HELD reservation that blocks the slot, SLOT_TAKEN when taken, bad input refused."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest

from booking.models import Facility, Reservation, ReservationStatus, Space, SpaceBlock
from core import clock
from tests.booking.factories import (
    AFTERNOON,
    EVENING,
    JST,
    MORNING,
    local_day,
    make_gym,
    resident,
    slot,
    slot_vars,
)
from tests.support.graphql import error_codes


async def hold(gql, token, **variables):
    return await gql.op("HoldSlot", auth=token, **variables)


async def test_hold__held_for_thirty_minutes_at_the_resident_rate(gql, settings):
    gym = await make_gym()
    _, token = await resident(settings)

    body = await hold(gql, token, **slot_vars(gym.half_a))

    held = body["data"]["holdSlot"]
    assert held["status"] == "HELD" and held["amountYen"] == 1500
    assert held["spaceName"] == "A面" and held["facilityName"] == "テスト体育館"
    expires = datetime.fromisoformat(held["holdExpiresAt"])
    assert timedelta(minutes=29) < expires - clock.now() <= timedelta(minutes=30)
    assert held["receiptNumber"].startswith("R") and len(held["receiptNumber"]) == 10
    assert await SpaceBlock.filter(active=True).count() == 1


async def test_hold__non_resident_pays_the_other_rate(gql, settings):
    gym = await make_gym()
    _, token = await resident(settings, is_city_resident=False)

    body = await hold(gql, token, **slot_vars(gym.whole))

    assert body["data"]["holdSlot"]["amountYen"] == 4500


async def test_hold__same_slot_twice__slot_taken(gql, settings):
    gym = await make_gym()
    _, first = await resident(settings, "一")
    _, second = await resident(settings, "二")
    await hold(gql, first, **slot_vars(gym.half_a))

    body = await hold(gql, second, **slot_vars(gym.half_a))

    assert error_codes(body) == ["SLOT_TAKEN"]
    assert body["errors"][0]["message"].startswith("この枠はすでに")
    assert await Reservation.all().count() == 1


async def test_hold__whole_gym_blocks_halves_and_a_half_blocks_the_whole(gql, settings):
    gym = await make_gym()
    _, token = await resident(settings)
    await hold(gql, token, **slot_vars(gym.whole, period=MORNING))
    await hold(gql, token, **slot_vars(gym.half_b, period=AFTERNOON))

    half_in_morning = await hold(gql, token, **slot_vars(gym.half_a, period=MORNING))
    whole_in_afternoon = await hold(gql, token, **slot_vars(gym.whole, period=AFTERNOON))
    other_half_in_afternoon = await hold(gql, token, **slot_vars(gym.half_a, period=AFTERNOON))

    assert error_codes(half_in_morning) == ["SLOT_TAKEN"]
    assert error_codes(whole_in_afternoon) == ["SLOT_TAKEN"]
    assert other_half_in_afternoon["data"]["holdSlot"]["status"] == "HELD"


async def test_hold__room_by_the_hour__priced_pro_rata_and_back_to_back_allowed(gql, settings):
    gym = await make_gym()
    _, token = await resident(settings)
    day = local_day(2)

    def at(hour: int, minute: int = 0) -> str:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=JST).isoformat()

    first = await hold(gql, token, spaceId=str(gym.room.id), start=at(10), end=at(11, 30))
    second = await hold(gql, token, spaceId=str(gym.room.id), start=at(11, 30), end=at(12, 30))
    overlapping = await hold(gql, token, spaceId=str(gym.room.id), start=at(11), end=at(12))

    assert first["data"]["holdSlot"]["amountYen"] == 600
    assert second["data"]["holdSlot"]["status"] == "HELD"
    assert error_codes(overlapping) == ["SLOT_TAKEN"]


async def test_hold__lapsed_hold_is_released_by_the_next_hold(gql, settings):
    gym = await make_gym()
    first_resident, first = await resident(settings, "一")
    _, second = await resident(settings, "二")
    held = (await hold(gql, first, **slot_vars(gym.half_a)))["data"]["holdSlot"]
    await Reservation.filter(public_id=held["id"]).update(
        hold_expires_at=clock.now() - timedelta(seconds=1)
    )

    body = await hold(gql, second, **slot_vars(gym.whole))

    assert body["data"]["holdSlot"]["status"] == "HELD"
    lapsed = await Reservation.get(public_id=held["id"])
    assert lapsed.status is ReservationStatus.EXPIRED
    assert not await SpaceBlock.filter(reservation_id=lapsed.id, active=True).exists()
    notes = await first_resident.notifications.all()
    assert [note.message_key for note in notes] == ["booking.hold_expired"]


async def test_hold__active_booking_limit(gql, settings):
    gym = await make_gym(max_active=2)
    _, token = await resident(settings)
    for period in (MORNING, AFTERNOON):
        await hold(gql, token, **slot_vars(gym.half_a, period=period))

    body = await hold(gql, token, **slot_vars(gym.half_a, period=EVENING))

    assert error_codes(body) == ["CONFLICT"]
    assert "上限" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (lambda v: {**v, "spaceId": "999999"}, "NOT_FOUND", None),
        (lambda v: {**v, "spaceId": "gym"}, "NOT_FOUND", None),
        (lambda v: {**v, "start": shift(v["start"], minutes=30)}, "VALIDATION", "start"),
        (
            lambda v: {**v, "start": shift(v["start"], days=-5), "end": shift(v["end"], days=-5)},
            "VALIDATION",
            "start",
        ),
        (
            lambda v: {**v, "start": shift(v["start"], days=200), "end": shift(v["end"], days=200)},
            "VALIDATION",
            "start",
        ),
        (
            lambda v: {**v, "start": "9999-12-31T23:00:00-01:00"},
            "VALIDATION",
            "start",
        ),
        (lambda v: {**v, "end": v["start"]}, "VALIDATION", "end"),
        (
            lambda v: {**v, "start": shift(v["start"], hours=-3), "end": shift(v["end"], hours=-3)},
            "VALIDATION",
            "start",
        ),
    ],
    ids=[
        "unknown-space",
        "not-an-id",
        "off-grid",
        "past",
        "beyond-window",
        "end-of-the-calendar",
        "empty",
        "before-opening",
    ],
)
async def test_hold__bad_input__refused_and_nothing_held(gql, settings, change, code, field):
    gym = await make_gym()
    _, token = await resident(settings)

    body = await hold(gql, token, **change(slot_vars(gym.half_a)))

    assert error_codes(body) == [code]
    assert body["errors"][0]["extensions"].get("field") == field
    assert await Reservation.all().count() == 0


async def test_hold__time_without_offset__is_japan_time(gql, settings):
    gym = await make_gym()
    _, token = await resident(settings)
    variables = slot_vars(gym.half_a)

    body = await hold(
        gql, token, **{**variables, "start": variables["start"][:19], "end": variables["end"][:19]}
    )

    held = body["data"]["holdSlot"]
    assert datetime.fromisoformat(held["start"]) == datetime.fromisoformat(variables["start"])
    assert held["start"].endswith("+09:00")


async def test_hold__anonymous__unauthenticated(gql, settings):
    gym = await make_gym()

    body = await hold(gql, None, **slot_vars(gym.half_a))

    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_hold__english_caller_gets_english_errors(gql, settings):
    gym = await make_gym()
    _, token = await resident(settings, language="en")
    start, end = slot(3)

    body = await hold(
        gql,
        token,
        spaceId=str(gym.half_a.id),
        start=start.isoformat(),
        end=(end + timedelta(minutes=1)).isoformat(),
    )

    assert (
        body["errors"][0]["message"]
        == "This time does not match a bookable slot; pick one of the slots shown."
    )


def shift(text: str, **delta) -> str:
    return (datetime.fromisoformat(text) + timedelta(**delta)).isoformat()


def _writes_and_locks(caplog) -> list[str]:
    statements = [r.getMessage() for r in caplog.records if r.name == "tortoise.db_client"]
    return [
        s
        for s in statements
        if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) or "advisory" in s
    ]


async def test_hold__taken_slot__refused_without_writing_or_taking_the_lock(gql, settings, caplog):
    gym = await make_gym()
    _, first = await resident(settings, "一")
    _, second = await resident(settings, "二")
    await hold(gql, first, **slot_vars(gym.half_a))

    with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
        body = await hold(gql, second, **slot_vars(gym.whole))

    assert error_codes(body) == ["SLOT_TAKEN"]
    assert _writes_and_locks(caplog) == []


@pytest.mark.parametrize(
    ("paid", "lapsed_since", "outcome"),
    [
        (False, timedelta(seconds=1), "HELD"),  # lapsed: released by the new hold
        (True, timedelta(minutes=1), "SLOT_TAKEN"),  # Stripe may still confirm it: grace
        (True, timedelta(minutes=6), "HELD"),  # grace over
    ],
)
async def test_hold__lapsed_hold_with_a_checkout__kept_through_the_grace(
    gql, settings, paid, lapsed_since, outcome
):
    gym = await make_gym()
    _, first = await resident(settings, "一")
    _, second = await resident(settings, "二")
    held = (await hold(gql, first, **slot_vars(gym.half_a)))["data"]["holdSlot"]
    await Reservation.filter(public_id=held["id"]).update(
        hold_expires_at=clock.now() - lapsed_since,
        payment_reference="cs_test_1" if paid else None,
    )

    body = await hold(gql, second, **slot_vars(gym.half_a))

    if outcome == "HELD":
        assert body["data"]["holdSlot"]["status"] == "HELD"
    else:
        assert error_codes(body) == [outcome]


async def test_hold__space_of_an_unlisted_facility__not_found(gql, settings):
    gym = await make_gym()
    await Facility.filter(id=gym.whole.facility_id).update(listed=False)
    _, token = await resident(settings)

    body = await hold(gql, token, **slot_vars(gym.half_a))

    assert error_codes(body) == ["NOT_FOUND"]
    assert await Reservation.all().count() == 0


async def test_hold__inactive_or_unknown_space__not_found(gql, settings):
    gym = await make_gym()
    await Space.filter(id=gym.half_b.id).update(is_active=False)
    _, token = await resident(settings)

    inactive = await hold(gql, token, **slot_vars(gym.half_b))
    unknown = await hold(gql, token, **{**slot_vars(gym.half_a), "spaceId": "99999"})

    assert error_codes(inactive) == error_codes(unknown) == ["NOT_FOUND"]
