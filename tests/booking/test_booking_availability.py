"""facilities(near, date, kind, name) and availability(spaceId, from, to)."""

from __future__ import annotations

from datetime import timedelta

from booking.models import Facility, Reservation, Space, SpaceKind
from booking.rules.as_json import rules_to_json
from core import clock
from tests.booking.factories import (
    AFTERNOON,
    EVENING,
    GYM_RULES,
    JST,
    MORNING,
    local_day,
    make_gym,
    resident,
    slot,
    slot_vars,
)
from tests.support.graphql import error_codes


async def free_starts(gql, space, day, token=None) -> list[str]:
    body = await gql.op(
        "Availability",
        auth=token,
        spaceId=str(space.id),
        **{"from": day.isoformat(), "to": day.isoformat()},
    )
    return [entry["start"] for entry in body["data"]["availability"]]


async def test_availability__three_periods_with_labels_and_prices(gql, settings):
    gym = await make_gym()
    day = local_day(4)

    body = await gql.op(
        "Availability",
        spaceId=str(gym.whole.id),
        **{"from": day.isoformat(), "to": day.isoformat()},
    )

    slots = body["data"]["availability"]
    assert [(s["label"], s["priceYen"]) for s in slots] == [
        ("午前", 3000),
        ("午後", 3000),
        ("夜間", 3000),
    ]
    assert slots[0]["start"] == utc_iso(slot(4)[0])


async def test_availability__held_whole_gym_hides_both_halves_a_half_hides_only_the_whole(
    gql, settings
):
    gym = await make_gym()
    _, token = await resident(settings)
    day = local_day(4)
    await gql.op("HoldSlot", auth=token, **slot_vars(gym.whole, days_ahead=4, period=MORNING))
    await gql.op("HoldSlot", auth=token, **slot_vars(gym.half_a, days_ahead=4, period=AFTERNOON))

    whole = await free_starts(gql, gym.whole, day)
    half_a = await free_starts(gql, gym.half_a, day)
    half_b = await free_starts(gql, gym.half_b, day)

    afternoon, evening = utc_iso(slot(4, AFTERNOON)[0]), utc_iso(slot(4, EVENING)[0])
    assert whole == [evening]
    assert half_a == [evening]
    assert half_b == [afternoon, evening]


def utc_iso(moment) -> str:
    """An instant as the API writes it: Japan time with its offset."""
    return moment.astimezone(JST).isoformat()


async def test_availability__lapsed_hold_shows_free_again(gql, settings):
    gym = await make_gym()
    _, token = await resident(settings)
    held = (await gql.op("HoldSlot", auth=token, **slot_vars(gym.half_a, days_ahead=4)))["data"][
        "holdSlot"
    ]
    await Reservation.filter(public_id=held["id"]).update(
        hold_expires_at=clock.now() - timedelta(seconds=1)
    )

    assert len(await free_starts(gql, gym.half_a, local_day(4))) == 3


async def test_availability__rooms_by_the_half_hour(gql, settings):
    gym = await make_gym()
    day = local_day(1)

    starts = await free_starts(gql, gym.room, day)

    assert len(starts) == 24  # 9:00-21:00 in 30-minute cells


async def test_availability__bad_range_or_space(gql, settings):
    gym = await make_gym()
    today = local_day(0)

    backwards = await gql.op(
        "Availability",
        spaceId=str(gym.whole.id),
        **{"from": today.isoformat(), "to": (today - timedelta(days=1)).isoformat()},
    )
    too_long = await gql.op(
        "Availability",
        spaceId=str(gym.whole.id),
        **{"from": today.isoformat(), "to": (today + timedelta(days=70)).isoformat()},
    )
    unknown = await gql.op(
        "Availability", spaceId="12345", **{"from": today.isoformat(), "to": today.isoformat()}
    )
    not_a_date = await gql.op(
        "Availability", spaceId=str(gym.whole.id), **{"from": "tomorrow", "to": today.isoformat()}
    )

    assert error_codes(backwards) == error_codes(too_long) == ["VALIDATION"]
    assert too_long["errors"][0]["extensions"]["field"] == "to"
    assert error_codes(unknown) == ["NOT_FOUND"]
    assert error_codes(not_a_date) == ["VALIDATION"]
    assert not_a_date["errors"][0]["extensions"]["field"] == "from"


async def make_facility(
    name_ja: str, name_en: str, lat: float, lng: float, kind: SpaceKind
) -> Facility:
    facility = await Facility.create(
        name_ja=name_ja, name_en=name_en, address_ja="二本松市", latitude=lat, longitude=lng
    )
    await Space.create(
        facility=facility, kind=kind, name_ja="本体", name_en="Main", rules=rules_to_json(GYM_RULES)
    )
    return facility


async def test_facilities__nearest_first_with_distances_and_filters(gql, settings):
    await make_facility("遠い体育館", "Far Gym", 37.70, 140.45, SpaceKind.GYM)
    await make_facility("近い会議室", "Near Rooms", 37.585, 140.432, SpaceKind.ROOM)
    await make_facility("中くらいの運動場", "Middle Ground", 37.60, 140.44, SpaceKind.GROUND)
    near = {"latitude": 37.5849, "longitude": 140.4312}

    everything = (await gql.op("Facilities", near=near))["data"]["facilities"]
    gyms = (await gql.op("Facilities", near=near, kind="GYM"))["data"]["facilities"]
    by_name = (await gql.op("Facilities", search="運動場"))["data"]["facilities"]
    in_english = (await gql.op("Facilities", search="rooms"))["data"]["facilities"]

    assert [f["name"] for f in everything] == ["近い会議室", "中くらいの運動場", "遠い体育館"]
    distances = [f["distanceMeters"] for f in everything]
    assert (
        distances == sorted(distances)
        and 50 < distances[0] < 200
        and 12_000 < distances[2] < 14_000
    )
    assert [f["name"] for f in gyms] == ["遠い体育館"]
    assert [f["name"] for f in by_name] == ["中くらいの運動場"]
    assert [f["name"] for f in in_english] == ["近い会議室"]


async def test_facilities__on_a_date_only_those_with_a_free_slot(gql, settings):
    gym = await make_gym()
    full = await make_facility("満室館", "Full House", 37.59, 140.43, SpaceKind.GYM)
    day = local_day(4)
    space = await Space.get(facility=full)
    _, token = await resident(settings)
    for period in GYM_RULES.grid.periods:
        body = await gql.op("HoldSlot", auth=token, **slot_vars(space, days_ahead=4, period=period))
        assert body["data"], body

    found = (await gql.op("Facilities", date=day.isoformat()))["data"]["facilities"]

    assert [f["id"] for f in found] == [str(gym.facility.id)]


async def test_facilities__bad_location__validation(gql, settings):
    body = await gql.op("Facilities", near={"latitude": 137.0, "longitude": 140.0})

    assert error_codes(body) == ["VALIDATION"]
