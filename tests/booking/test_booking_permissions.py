"""A resident cannot hold, pay, see or cancel another resident's reservation; staff see
their own facilities' calendars."""

from __future__ import annotations

from booking.models import Reservation, ReservationStatus
from tests.booking.factories import local_day, make_gym, resident, slot_vars, staff
from tests.support.graphql import error_codes


async def test_other_residents_reservation__not_found_everywhere(gql, settings, stripe_fake):
    gym = await make_gym()
    _, owner = await resident(settings, "持ち主")
    _, other = await resident(settings, "他人")
    mine = (await gql.op("HoldSlot", auth=owner, **slot_vars(gym.whole)))["data"]["holdSlot"]

    seen = await gql.op("Reservation", auth=other, id=mine["id"])
    paid = await gql.op("CheckoutReservation", auth=other, id=mine["id"])
    cancelled = await gql.op("CancelReservation", auth=other, id=mine["id"])
    held_over = await gql.op("HoldSlot", auth=other, **slot_vars(gym.half_a))
    listed = await gql.op("MyReservations", auth=other)

    assert error_codes(seen) == error_codes(paid) == error_codes(cancelled) == ["NOT_FOUND"]
    assert error_codes(held_over) == ["SLOT_TAKEN"]
    assert listed["data"]["myReservations"] == []
    assert stripe_fake.requests == []
    assert (await Reservation.get(public_id=mine["id"])).status is ReservationStatus.HELD
    own = await gql.op("MyReservations", auth=owner)
    assert [r["id"] for r in own["data"]["myReservations"]] == [mine["id"]]


async def test_my_reservations__soonest_first_and_past_on_request(gql, settings):
    gym = await make_gym()
    _, token = await resident(settings)
    later = (await gql.op("HoldSlot", auth=token, **slot_vars(gym.half_a, days_ahead=5)))["data"][
        "holdSlot"
    ]
    sooner = (await gql.op("HoldSlot", auth=token, **slot_vars(gym.half_b, days_ahead=2)))["data"][
        "holdSlot"
    ]
    await gql.op("CancelReservation", auth=token, id=later["id"])

    active = await gql.op("MyReservations", auth=token)
    everything = await gql.op("MyReservations", auth=token, includePast=True)

    assert [r["id"] for r in active["data"]["myReservations"]] == [sooner["id"]]
    assert [r["id"] for r in everything["data"]["myReservations"]] == [sooner["id"], later["id"]]


async def test_staff_and_anonymous__no_resident_operations(gql, settings):
    gym = await make_gym()
    _, staff_token = await staff(settings)

    assert error_codes(await gql.op("MyReservations", auth=staff_token)) == ["FORBIDDEN"]
    assert error_codes(await gql.op("HoldSlot", auth=staff_token, **slot_vars(gym.whole))) == [
        "FORBIDDEN"
    ]
    assert error_codes(await gql.op("MyReservations")) == ["UNAUTHENTICATED"]


async def test_facility_calendar__staff_of_the_department_only(gql, settings):
    gym = await make_gym(department_code="sports")
    _, token = await resident(settings, "二本松 太郎")
    _, sports = await staff(settings, "sports")
    _, roads = await staff(settings, "roads")
    held = (await gql.op("HoldSlot", auth=token, **slot_vars(gym.half_a)))["data"]["holdSlot"]
    window = {
        "facilityId": str(gym.facility.id),
        "from": local_day(0).isoformat(),
        "to": local_day(7).isoformat(),
    }

    calendar = await gql.op("FacilityCalendar", auth=sports, **window)
    refused = await gql.op("FacilityCalendar", auth=roads, **window)
    by_resident = await gql.op("FacilityCalendar", auth=token, **window)

    entries = calendar["data"]["facilityCalendar"]
    assert [(e["kind"], e["id"], e["residentName"], e["status"]) for e in entries] == [
        ("RESERVATION", held["id"], "二本松 太郎", "HELD")
    ]
    assert error_codes(refused) == error_codes(by_resident) == ["FORBIDDEN"]
