"""cancelReservation by the resident (refund by policy) and staffCancelReservation (full refund)."""

from __future__ import annotations

from accounts.models import Role
from booking.models import Reservation, ReservationStatus, SpaceBlock
from booking.rules.policy import CancellationPolicy, RefundTier
from notifications.models import Notification
from tests.booking.factories import make_gym, resident, slot_vars, staff
from tests.booking.flows import deliver, hold_and_checkout
from tests.support.graphql import error_codes

# 7+ days ahead: all back. 2+ days: half. Cancel until the end of the day before.
TIERED = CancellationPolicy((RefundTier(7, 100), RefundTier(2, 50)), deadline_days_before=1)


async def paid_booking(gql, client, stripe_fake, token, space, days_ahead=3) -> dict:
    reservation, session_id = await hold_and_checkout(gql, token, space, days_ahead=days_ahead)
    await deliver(client, stripe_fake, stripe_fake.complete_session(session_id))
    return reservation


async def messages_to(person) -> list[str]:
    return [n.message_key for n in await Notification.filter(resident=person).order_by("id")]


async def test_resident_cancels__refunded_by_the_policy_through_stripe(
    gql, client, settings, stripe_fake
):
    gym = await make_gym(policy=TIERED)
    person, token = await resident(settings)
    reservation = await paid_booking(gql, client, stripe_fake, token, gym.whole, days_ahead=3)

    body = await gql.op("CancelReservation", auth=token, id=reservation["id"])

    cancelled = body["data"]["cancelReservation"]
    assert (cancelled["status"], cancelled["refundYen"]) == ("CANCELLED", 1500)
    assert [r["amount"] for r in stripe_fake.ledger.refunds.values()] == [1500]
    refund_request = stripe_fake.requests_to("POST", "/v1/refunds")[0]
    assert refund_request.idempotency_key.startswith("refund:")
    stored = await Reservation.get(public_id=reservation["id"])
    assert not await SpaceBlock.filter(reservation_id=stored.id, active=True).exists()
    assert await messages_to(person) == [  # their own cancellation is answered, not notified
        "booking.confirmed",
        "booking.refund_sent",
    ]


async def test_resident_cancels_early__everything_back(gql, client, settings, stripe_fake):
    gym = await make_gym(policy=TIERED)
    _, token = await resident(settings)
    reservation = await paid_booking(gql, client, stripe_fake, token, gym.half_a, days_ahead=10)

    body = await gql.op("CancelReservation", auth=token, id=reservation["id"])

    assert body["data"]["cancelReservation"]["refundYen"] == 1500
    assert [r["amount"] for r in stripe_fake.ledger.refunds.values()] == [1500]


async def test_resident_cancels_after_the_deadline__refused(gql, client, settings, stripe_fake):
    gym = await make_gym(policy=CancellationPolicy.full(deadline_days_before=5))
    _, token = await resident(settings)
    reservation = await paid_booking(gql, client, stripe_fake, token, gym.whole, days_ahead=3)

    body = await gql.op("CancelReservation", auth=token, id=reservation["id"])

    assert error_codes(body) == ["CONFLICT"]
    assert "取消期限" in body["errors"][0]["message"]
    assert (
        await Reservation.get(public_id=reservation["id"])
    ).status is ReservationStatus.CONFIRMED
    assert stripe_fake.ledger.refunds == {}


async def test_resident_cancels_a_hold__slot_free_and_checkout_closed(gql, settings, stripe_fake):
    gym = await make_gym()
    _, token = await resident(settings)
    _, other = await resident(settings, "次の人")
    reservation, session_id = await hold_and_checkout(gql, token, gym.whole)

    body = await gql.op("CancelReservation", auth=token, id=reservation["id"])
    again = await gql.op("CancelReservation", auth=token, id=reservation["id"])
    next_hold = await gql.op("HoldSlot", auth=other, **slot_vars(gym.half_a))

    assert (
        body["data"]["cancelReservation"]["status"],
        body["data"]["cancelReservation"]["refundYen"],
    ) == ("CANCELLED", 0)
    assert stripe_fake.ledger.sessions[session_id]["status"] == "expired"
    assert error_codes(again) == ["CONFLICT"]
    assert next_hold["data"]["holdSlot"]["status"] == "HELD"


async def test_staff_cancels__full_refund_whatever_the_policy_and_the_reason_is_told(
    gql, client, settings, stripe_fake
):
    gym = await make_gym(policy=CancellationPolicy.none(deadline_days_before=30))
    person, token = await resident(settings)
    _, staff_token = await staff(settings, "sports")
    reservation = await paid_booking(gql, client, stripe_fake, token, gym.whole)

    body = await gql.op(
        "StaffCancelReservation", auth=staff_token, id=reservation["id"], reason="設備点検"
    )

    cancelled = body["data"]["staffCancelReservation"]
    assert (cancelled["status"], cancelled["refundYen"], cancelled["cancelReason"]) == (
        "CANCELLED",
        3000,
        "設備点検",
    )
    assert [r["amount"] for r in stripe_fake.ledger.refunds.values()] == [3000]
    note = await Notification.filter(
        resident=person, message_key="booking.cancelled_by_staff"
    ).first()
    assert note.params["reason"] == "設備点検" and note.params["refund"] == 3000


async def test_staff_of_another_department_or_a_resident__forbidden(
    gql, client, settings, stripe_fake
):
    gym = await make_gym(department_code="sports")
    _, token = await resident(settings)
    _, roads = await staff(settings, "roads")
    _, admin = await staff(settings, "citizens", role=Role.ADMIN)
    reservation = await paid_booking(gql, client, stripe_fake, token, gym.whole)

    by_roads = await gql.op(
        "StaffCancelReservation", auth=roads, id=reservation["id"], reason="点検"
    )
    by_resident = await gql.op(
        "StaffCancelReservation", auth=token, id=reservation["id"], reason="点検"
    )
    by_admin = await gql.op(
        "StaffCancelReservation", auth=admin, id=reservation["id"], reason="点検"
    )

    assert error_codes(by_roads) == ["FORBIDDEN"]
    assert error_codes(by_resident) == ["FORBIDDEN"]
    assert by_admin["data"]["staffCancelReservation"]["status"] == "CANCELLED"


async def test_staff_cancel__empty_reason__validation(gql, settings):
    gym = await make_gym()
    _, token = await resident(settings)
    _, staff_token = await staff(settings)
    held = (await gql.op("HoldSlot", auth=token, **slot_vars(gym.whole)))["data"]["holdSlot"]

    body = await gql.op("StaffCancelReservation", auth=staff_token, id=held["id"], reason="  ")

    assert (
        error_codes(body) == ["VALIDATION"] and body["errors"][0]["extensions"]["field"] == "reason"
    )
