"""checkoutReservation: a Stripe Checkout Session matching the hold; free spaces confirmed at once."""

from __future__ import annotations

from datetime import datetime, timedelta

from booking.models import Reservation, ReservationStatus
from core import clock
from payments.models import Payment
from tests.booking.factories import make_gym, resident, slot_vars
from tests.support.graphql import error_codes


async def held(gql, token, space, **kwargs) -> dict:
    body = await gql.op("HoldSlot", auth=token, **slot_vars(space, **kwargs))
    return body["data"]["holdSlot"]


async def checkout(gql, token, reservation_id) -> dict:
    return await gql.op("CheckoutReservation", auth=token, id=reservation_id)


async def test_checkout__session_in_whole_yen_with_the_reservation_in_metadata(
    gql, settings, stripe_fake
):
    gym = await make_gym()
    _, token = await resident(settings)
    reservation = await held(gql, token, gym.whole)

    body = await checkout(gql, token, reservation["id"])

    result = body["data"]["checkoutReservation"]
    session_id = result["url"].rsplit("/", 1)[1]
    session = stripe_fake.ledger.sessions[session_id]
    request = stripe_fake.requests_to("POST", "/v1/checkout/sessions")[0]
    item = request.params["line_items"][0]
    assert (
        item["price_data"]["currency"],
        item["price_data"]["unit_amount"],
        item["quantity"],
    ) == ("jpy", "3000", "1")
    assert session["amount_total"] == 3000
    assert session["client_reference_id"] == reservation["id"]
    expected = {
        "purpose": "booking",
        "reference": reservation["id"],
        "receipt": reservation["receiptNumber"],
    }
    assert session["metadata"] == expected
    assert request.params["payment_intent_data"]["metadata"] == expected
    assert request.idempotency_key == f"booking:{reservation['id']}:1"
    assert request.params["success_url"].startswith("https://city.example.jp/payments/done")
    hold_ends = datetime.fromisoformat(result["reservation"]["holdExpiresAt"])
    assert session["expires_at"] == int(hold_ends.timestamp())
    assert datetime.fromisoformat(result["expiresAt"]) == hold_ends
    assert timedelta(minutes=30) < hold_ends - clock.now() <= timedelta(minutes=36)


async def test_checkout__twice__the_same_session(gql, settings, stripe_fake):
    gym = await make_gym()
    _, token = await resident(settings)
    reservation = await held(gql, token, gym.half_a)

    first = (await checkout(gql, token, reservation["id"]))["data"]["checkoutReservation"]
    second = (await checkout(gql, token, reservation["id"]))["data"]["checkoutReservation"]

    assert first["url"] == second["url"]
    assert len(stripe_fake.ledger.sessions) == 1
    assert await Payment.all().count() == 1


async def test_checkout__free_space__confirmed_without_stripe(gql, settings, stripe_fake):
    gym = await make_gym()
    person, token = await resident(settings)
    start = slot_vars(gym.free_room)

    reservation = (await gql.op("HoldSlot", auth=token, **start))["data"]["holdSlot"]
    body = await checkout(gql, token, reservation["id"])

    result = body["data"]["checkoutReservation"]
    assert result["url"] is None and result["reservation"]["status"] == "CONFIRMED"
    assert stripe_fake.requests == []
    # the answer says it is confirmed; a notification would say it a second time
    assert await person.notifications.all().count() == 0


async def test_checkout__lapsed_or_cancelled_hold__conflict(gql, settings):
    gym = await make_gym()
    _, token = await resident(settings)
    lapsed = await held(gql, token, gym.half_a)
    cancelled = await held(gql, token, gym.half_b)
    await Reservation.filter(public_id=lapsed["id"]).update(
        hold_expires_at=clock.now() - timedelta(seconds=1)
    )
    await gql.op("CancelReservation", auth=token, id=cancelled["id"])

    assert error_codes(await checkout(gql, token, lapsed["id"])) == ["CONFLICT"]
    assert error_codes(await checkout(gql, token, cancelled["id"])) == ["CONFLICT"]


async def test_checkout__stripe_down__payment_unavailable_and_the_hold_stays(
    gql, settings, stripe_fake, stripe_down_once
):
    gym = await make_gym()
    _, token = await resident(settings)
    reservation = await held(gql, token, gym.half_a)
    stripe_down_once(500)

    body = await checkout(gql, token, reservation["id"])

    assert error_codes(body) == ["PAYMENT_UNAVAILABLE"]
    assert (await Reservation.get(public_id=reservation["id"])).status is ReservationStatus.HELD
    retried = await checkout(gql, token, reservation["id"])
    assert retried["data"]["checkoutReservation"]["url"].startswith("https://checkout.stripe.test/")


async def test_checkout__unknown_or_malformed_id__not_found(gql, settings):
    _, token = await resident(settings)

    for bad_id in ("00000000-0000-0000-0000-000000000000", "42", "x" * 300):
        assert error_codes(await checkout(gql, token, bad_id)) == ["NOT_FOUND"]
