"""The Stripe webhook: signatures checked, each event applied once, in any order."""

from __future__ import annotations

import json
import time

import pytest
import stripe

from booking.models import Reservation, ReservationStatus, SpaceBlock
from notifications.models import Notification
from payments.models import Payment, PaymentStatus, Refund, RefundStatus, StripeEvent
from tests.booking.factories import make_gym, resident, slot_vars
from tests.booking.flows import WEBHOOK, deliver, expired_event, hold_and_checkout


async def messages_to(person) -> list[str]:
    return [note.message_key for note in await Notification.filter(resident=person).order_by("id")]


async def test_completed_and_paid__confirms_and_tells_the_resident(
    gql, client, settings, stripe_fake
):
    gym = await make_gym()
    person, token = await resident(settings)
    reservation, session_id = await hold_and_checkout(gql, token, gym.whole)

    response = await deliver(client, stripe_fake, stripe_fake.complete_session(session_id))

    assert response.status_code == 200
    stored = await Reservation.get(public_id=reservation["id"])
    assert stored.status is ReservationStatus.CONFIRMED and stored.hold_expires_at is None
    payment = await Payment.get(stripe_session_id=session_id)
    assert payment.status is PaymentStatus.PAID and payment.amount_yen == 3000
    assert payment.stripe_payment_intent_id.startswith("pi_")
    assert await messages_to(person) == ["booking.confirmed"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda payload, headers: (payload, {**headers, "Stripe-Signature": "t=1,v1=" + "0" * 64}),
        lambda payload, headers: (payload.replace(b'"paid"', b'"paid" '), headers),
        lambda payload, headers: (
            payload,
            {k: v for k, v in headers.items() if k != "Stripe-Signature"},
        ),
        lambda payload, headers: (b"{not json", headers),
    ],
    ids=["wrong-signature", "changed-body", "no-signature", "not-json"],
)
async def test_bad_signature__400_and_nothing_changes(gql, client, settings, stripe_fake, tamper):
    gym = await make_gym()
    _, token = await resident(settings)
    reservation, session_id = await hold_and_checkout(gql, token, gym.whole)
    payload, headers = stripe_fake.signed_webhook(stripe_fake.complete_session(session_id))

    sent_payload, sent_headers = tamper(payload, headers)
    response = await client.post(WEBHOOK, content=sent_payload, headers=sent_headers)

    assert response.status_code == 400
    assert (await Reservation.get(public_id=reservation["id"])).status is ReservationStatus.HELD
    assert (await Payment.get(stripe_session_id=session_id)).status is PaymentStatus.OPEN
    assert await StripeEvent.all().count() == 0


async def test_signed_with_another_secret_or_too_old__400(gql, client, settings, stripe_fake):
    gym = await make_gym()
    _, token = await resident(settings)
    _, session_id = await hold_and_checkout(gql, token, gym.whole)
    event = stripe_fake.complete_session(session_id)

    other_secret = await deliver(client, stripe_fake, event, secret="whsec_someone_else")
    payload, headers = stripe_fake.signed_webhook(event, timestamp=int(time.time()) - 3600)
    too_old = await client.post(WEBHOOK, content=payload, headers=headers)

    assert (other_secret.status_code, too_old.status_code) == (400, 400)
    assert await StripeEvent.all().count() == 0


async def test_same_event_three_times__confirms_once_one_payment(
    gql, client, settings, stripe_fake
):
    gym = await make_gym()
    person, token = await resident(settings)
    reservation, session_id = await hold_and_checkout(gql, token, gym.half_a)
    event = stripe_fake.complete_session(session_id)

    answers = [(await deliver(client, stripe_fake, event)).json() for _ in range(3)]

    assert [answer["duplicate"] for answer in answers] == [False, True, True]
    assert await StripeEvent.filter(event_id=event["id"]).count() == 1
    assert await Payment.filter(status=PaymentStatus.PAID).count() == 1
    assert (
        await Reservation.get(public_id=reservation["id"])
    ).status is ReservationStatus.CONFIRMED
    assert await messages_to(person) == ["booking.confirmed"]


async def test_completed_after_expired__refunded_not_double_booked(
    gql, client, settings, stripe_fake
):
    gym = await make_gym()
    late_payer, token = await resident(settings, "遅い")
    _, other_token = await resident(settings, "次の人")
    reservation, session_id = await hold_and_checkout(gql, token, gym.whole)
    completed = stripe_fake.complete_session(session_id)

    await deliver(client, stripe_fake, expired_event(stripe_fake, session_id))
    taken_over = await gql.op("HoldSlot", auth=other_token, **slot_vars(gym.whole))
    response = await deliver(client, stripe_fake, completed)

    assert response.status_code == 200
    assert taken_over["data"]["holdSlot"]["status"] == "HELD"
    assert (await Reservation.get(public_id=reservation["id"])).status is ReservationStatus.EXPIRED
    refunds = list(stripe_fake.ledger.refunds.values())
    assert [(r["amount"], r["payment_intent"]) for r in refunds] == [
        (3000, (await Payment.get(stripe_session_id=session_id)).stripe_payment_intent_id)
    ]
    refund = await Refund.get()
    assert (refund.status, refund.reason) == (RefundStatus.SENT, "hold_released")
    assert await messages_to(late_payer) == [
        "booking.hold_expired",
        "booking.late_payment_refunded",
        "booking.refund_sent",
    ]
    assert await SpaceBlock.filter(active=True).count() == 3  # the new hold's: whole, A, B


async def test_expired_after_completed__ignored(gql, client, settings, stripe_fake):
    gym = await make_gym()
    _, token = await resident(settings)
    reservation, session_id = await hold_and_checkout(gql, token, gym.whole)
    completed = stripe_fake.complete_session(session_id)

    await deliver(client, stripe_fake, completed)
    await deliver(client, stripe_fake, expired_event(stripe_fake, session_id))

    assert (
        await Reservation.get(public_id=reservation["id"])
    ).status is ReservationStatus.CONFIRMED
    assert (await Payment.get(stripe_session_id=session_id)).status is PaymentStatus.PAID
    assert stripe_fake.ledger.refunds == {}


async def test_voucher_payment__waits_then_succeeds(gql, client, settings, stripe_fake):
    gym = await make_gym()
    person, token = await resident(settings)
    reservation, session_id = await hold_and_checkout(gql, token, gym.half_b)

    await deliver(client, stripe_fake, stripe_fake.complete_session(session_id, delayed=True))
    waiting = await Reservation.get(public_id=reservation["id"])
    await deliver(client, stripe_fake, stripe_fake.succeed_async(session_id))

    assert waiting.status is ReservationStatus.PENDING_PAYMENT
    assert (
        await Reservation.get(public_id=reservation["id"])
    ).status is ReservationStatus.CONFIRMED
    assert await messages_to(person) == ["booking.payment_processing", "booking.confirmed"]


async def test_voucher_payment__fails__slot_released(gql, client, settings, stripe_fake):
    gym = await make_gym()
    person, token = await resident(settings)
    reservation, session_id = await hold_and_checkout(gql, token, gym.half_b)

    await deliver(client, stripe_fake, stripe_fake.complete_session(session_id, delayed=True))
    await deliver(client, stripe_fake, stripe_fake.fail_async(session_id))

    stored = await Reservation.get(public_id=reservation["id"])
    assert stored.status is ReservationStatus.EXPIRED
    assert not await SpaceBlock.filter(reservation_id=stored.id, active=True).exists()
    assert (await Payment.get(stripe_session_id=session_id)).status is PaymentStatus.FAILED
    assert (await messages_to(person))[-1] == "booking.payment_failed"


async def test_other_events_and_foreign_sessions__stored_and_ignored(client, settings, stripe_fake):
    foreign = {
        "id": "evt_foreign_1",
        "object": "event",
        "type": "checkout.session.completed",
        "created": int(time.time()),
        "data": {
            "object": {
                "id": "cs_test_elsewhere",
                "object": "checkout.session",
                "metadata": {},
                "payment_status": "paid",
                "status": "complete",
            }
        },
    }
    other = {
        **foreign,
        "id": "evt_other_1",
        "type": "customer.created",
        "data": {"object": {"id": "cus_1"}},
    }

    responses = [await deliver(client, stripe_fake, event) for event in (foreign, other)]

    assert [r.status_code for r in responses] == [200, 200]
    assert await StripeEvent.all().count() == 2
    assert await Payment.all().count() == 0


async def test_not_an_event__400(client, settings, stripe_fake):
    payload = json.dumps(["not", "an", "event"])
    signature = stripe.WebhookSignature.generate_signature_header(
        payload, stripe_fake.webhook_secret
    )

    response = await client.post(
        WEBHOOK, content=payload.encode(), headers={"Stripe-Signature": signature}
    )

    assert response.status_code == 400
