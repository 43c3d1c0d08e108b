"""Booking's jobs on the clock, in the app's lifespan: lottery draws, lapsed holds (after
asking Stripe about their payment), stale Checkout Sessions and refunds still to send."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from booking.lottery import service as lottery_service
from booking.models import Reservation, ReservationStatus
from booking.service import HOLDING, lock_area_for, locked, release, tell
from core import clock
from core.instances import leases
from core.settings import Settings
from payments import refunds
from payments import service as payments
from payments.gateway import GatewayError, StripeGateway, for_settings
from payments.models import Payment, PaymentStatus

log = logging.getLogger(__name__)

#: When Stripe stays unreachable, a lapsed hold is released anyway after this long;
#: a payment that then arrives is refunded as a late payment.
UNANSWERED_LIMIT = timedelta(hours=1)
BATCH = 200
LEASE = "booking.jobs"


@dataclass
class Round:
    drawn: int = 0
    expired: int = 0
    sessions_synced: int = 0
    refunds_sent: int = 0


class BookingWorker:
    def __init__(self, settings: Settings, interval: float = 30.0) -> None:
        self.settings = settings
        self.interval = interval

    async def run_once(self) -> Round:
        """One round of every job; safe to run from several processes at once."""
        now = clock.now()
        gateway = for_settings(self.settings)
        done = Round()
        done.drawn = await lottery_service.draw_due(now)
        done.expired = await expire_lapsed_holds(gateway=gateway, now=now)
        if gateway.configured:
            done.sessions_synced = await payments.sync_stale_sessions(gateway=gateway)
            done.refunds_sent = await refunds.send_due_refunds(gateway=gateway)
        return done

    async def run(self) -> None:
        """Rounds on the one instance holding the jobs' lease (core.instances.leases)."""
        await leases.run_leased(LEASE, self.run_once, every=self.interval)


async def expire_lapsed_holds(*, gateway: StripeGateway, now: datetime) -> int:
    lapsed = (
        await Reservation.filter(status__in=list(HOLDING), hold_expires_at__lte=now)
        .order_by("hold_expires_at")
        .limit(BATCH)
    )
    expired = 0
    for reservation in lapsed:
        if not await _stripe_was_asked(reservation, gateway, now):
            continue
        async with in_transaction():
            await lock_area_for(reservation.space_id, reservation.starts_at)
            current = await locked(reservation.id)
            if current.status not in HOLDING or current.hold_expires_at is None:
                continue
            if current.hold_expires_at > now:
                continue
            if current.from_lottery:
                await lottery_service.lapse(current, now)
            else:
                await release(current, ReservationStatus.EXPIRED)
                await tell(current, "booking.hold_expired")
            expired += 1
    return expired


async def _stripe_was_asked(
    reservation: Reservation, gateway: StripeGateway, now: datetime
) -> bool:
    """Whether the hold may be released now: its payment, if any, is known to Stripe's mind.

    A payment made in time whose webhook went missing confirms the booking here instead.
    """
    if not reservation.payment_reference or not gateway.configured:
        return True
    payment = await Payment.get_or_none(public_id=uuid.UUID(reservation.payment_reference))
    if payment is None or payment.status not in (PaymentStatus.OPEN, PaymentStatus.PROCESSING):
        return True
    try:
        await payments.sync_with_stripe(gateway=gateway, payment=payment, close_if_open=True)
    except GatewayError as error:
        log.warning("could not ask Stripe about reservation %s: %s", reservation.public_id, error)
        return reservation.hold_expires_at + UNANSWERED_LIMIT <= now
    return True
