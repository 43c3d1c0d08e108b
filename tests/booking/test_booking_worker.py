"""The periodic jobs: lapsed holds asked about at Stripe before release, stale sessions, refund retries."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from booking.models import Reservation, ReservationStatus, SpaceBlock
from core import clock
from notifications.models import Notification
from payments.models import Payment, PaymentStatus, Refund, RefundStatus
from tests.booking.factories import make_gym, resident, slot_vars
from tests.booking.flows import deliver, hold_and_checkout


async def lapse(reservation_id: str, ago: timedelta = timedelta(seconds=1)) -> None:
    await Reservation.filter(public_id=reservation_id).update(hold_expires_at=clock.now() - ago)


async def test_lapsed_hold_with_open_session__closed_at_stripe_then_released(
    app, gql, settings, stripe_fake
):
    gym = await make_gym()
    person, token = await resident(settings)
    reservation, session_id = await hold_and_checkout(gql, token, gym.whole)
    await lapse(reservation["id"])

    await app.state.services.booking.run_once()

    stored = await Reservation.get(public_id=reservation["id"])
    assert stored.status is ReservationStatus.EXPIRED
    assert not await SpaceBlock.filter(active=True).exists()
    assert stripe_fake.ledger.sessions[session_id]["status"] == "expired"
    assert (await Payment.get(stripe_session_id=session_id)).status is PaymentStatus.EXPIRED
    assert [n.message_key for n in await Notification.filter(resident=person)] == [
        "booking.hold_expired"
    ]


async def test_lapsed_hold_paid_in_time_but_webhook_lost__confirmed(
    app, gql, settings, stripe_fake
):
    gym = await make_gym()
    _, token = await resident(settings)
    reservation, session_id = await hold_and_checkout(gql, token, gym.whole)
    stripe_fake.complete_session(session_id)  # the webhook never arrives
    await lapse(reservation["id"])

    await app.state.services.booking.run_once()

    assert (
        await Reservation.get(public_id=reservation["id"])
    ).status is ReservationStatus.CONFIRMED
    assert stripe_fake.ledger.refunds == {}


async def test_lapsed_hold_and_stripe_unreachable__kept_until_the_limit(
    app, gql, settings, stripe_fake, stripe_down_once
):
    gym = await make_gym()
    _, token = await resident(settings)
    reservation, _ = await hold_and_checkout(gql, token, gym.whole)
    await lapse(reservation["id"])
    stripe_down_once(503)

    await app.state.services.booking.run_once()
    kept = await Reservation.get(public_id=reservation["id"])
    await lapse(reservation["id"], ago=timedelta(hours=2))
    stripe_down_once(503)
    await app.state.services.booking.run_once()

    assert kept.status is ReservationStatus.HELD
    assert (await Reservation.get(public_id=reservation["id"])).status is ReservationStatus.EXPIRED


async def test_lapsed_hold_without_payment__released(app, gql, settings):
    gym = await make_gym()
    _, token = await resident(settings)
    held = (await gql.op("HoldSlot", auth=token, **slot_vars(gym.half_a)))["data"]["holdSlot"]
    await lapse(held["id"])

    done = await app.state.services.booking.run_once()

    assert done.expired == 1
    assert (await Reservation.get(public_id=held["id"])).status is ReservationStatus.EXPIRED


async def test_refund_that_failed_to_send__retried_by_the_worker(
    app, gql, client, settings, stripe_fake, stripe_down_once
):
    gym = await make_gym()
    _, token = await resident(settings)
    reservation, session_id = await hold_and_checkout(gql, token, gym.whole)
    await deliver(client, stripe_fake, stripe_fake.complete_session(session_id))
    stripe_down_once(500)

    body = await gql.op("CancelReservation", auth=token, id=reservation["id"])
    waiting = await Refund.get()
    await Refund.filter(id=waiting.id).update(next_attempt_at=clock.now() - timedelta(seconds=1))
    done = await app.state.services.booking.run_once()

    assert body["data"]["cancelReservation"]["refundYen"] == 3000
    assert (waiting.status, waiting.attempts) == (RefundStatus.PENDING, 1)
    assert done.refunds_sent == 1
    assert (await Refund.get()).status is RefundStatus.SENT
    assert [r["amount"] for r in stripe_fake.ledger.refunds.values()] == [3000]
    assert (await Payment.get()).refunded_yen == 3000


async def test_stale_open_session__asked_about_and_closed(
    app, gql, settings, stripe_fake, stripe_down_once
):
    gym = await make_gym()
    _, token = await resident(settings)
    reservation, session_id = await hold_and_checkout(gql, token, gym.whole)
    stripe_down_once(500)
    await gql.op("CancelReservation", auth=token, id=reservation["id"])  # Stripe could not be told
    still_open = stripe_fake.ledger.sessions[session_id]["status"]
    await Payment.filter(stripe_session_id=session_id).update(
        expires_at=clock.now() - timedelta(minutes=5)
    )

    done = await app.state.services.booking.run_once()

    assert still_open == "open"
    assert done.sessions_synced == 1
    assert stripe_fake.ledger.sessions[session_id]["status"] == "expired"
    assert (await Payment.get(stripe_session_id=session_id)).status is PaymentStatus.EXPIRED


async def test_lifespan__runs_the_booking_jobs_as_a_task(settings):
    from app import create_app
    from tests.conftest import forget_other_dialect

    forget_other_dialect()
    application = create_app(settings, start_workers=True)
    async with application.router.lifespan_context(application):
        await asyncio.sleep(0.3)
        tasks = {task.get_name(): task for task in application.state.services.tasks}
        alive = not tasks["booking"].done()
    assert alive and tasks["booking"].cancelled()
