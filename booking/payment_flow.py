"""Paying for a reservation with Stripe Checkout, and what booking does when payments
reports back (registered as the handler of the `booking` purpose)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from accounts.models import Resident
from booking.display import span_texts
from booking.lottery import service as lottery_service
from booking.models import Reservation, ReservationStatus, Space
from booking.service import HOLDING, confirm, locked, release, reservation_of, tell
from core import clock
from core.errors import AppError, ErrorCode
from core.settings import Settings
from payments import registry
from payments import service as payments
from payments.gateway import GatewayError, StripeGateway
from payments.models import Payment, PaymentStatus
from payments.registry import Decision

PURPOSE = "booking"
#: Stripe wants a Checkout Session to stay open at least 30 minutes and at most 24 hours.
SESSION_MIN = timedelta(minutes=31)
SESSION_MAX = timedelta(hours=23, minutes=55)
#: How long a voucher payment (konbini) may take before the hold is given up.
ASYNC_PAYMENT_WAIT = timedelta(days=3)


@dataclass(frozen=True)
class Checkout:
    reservation: Reservation
    payment: Payment | None


def _not_payable(reservation: Reservation) -> AppError:
    return AppError(ErrorCode.CONFLICT, "booking.not_payable", status=reservation.status.value)


def _to_step(moment: datetime, rounding, minutes: int = 5) -> datetime:
    """`moment` on a 5-minute step, so that two requests a moment apart ask Stripe for the
    same expiry (same idempotency key, same parameters)."""
    step = minutes * 60
    return datetime.fromtimestamp(rounding(moment.timestamp() / step) * step, UTC)


async def checkout_reservation(
    *,
    resident: Resident,
    reservation_id: object,
    gateway: StripeGateway,
    settings: Settings,
    language: str,
) -> Checkout:
    """A Checkout Session for the resident's held reservation; a free one is confirmed at once."""
    reservation = await reservation_of(resident, reservation_id)
    if reservation.amount_yen == 0:
        return Checkout(await _confirm_free(reservation), None)
    if not gateway.configured:  # before the hold is touched: nothing to pay with
        raise AppError(ErrorCode.PAYMENT_NOT_CONFIGURED, "payments.not_configured")
    expires_at = await _hold_for_checkout(reservation)
    space = await Space.get(id=reservation.space_id).select_related("facility")
    when = span_texts(reservation.starts_at, reservation.ends_at)
    name = space.facility.name_ja if language == "ja" else space.facility.name_en
    room = space.name_ja if language == "ja" else space.name_en
    when_text = when["when_ja"] if language == "ja" else when["when_en"]
    payment = await payments.open_checkout(
        gateway=gateway,
        request=payments.CheckoutRequest(
            purpose=PURPOSE,
            reference=str(reservation.public_id),
            amount_yen=reservation.amount_yen,
            description=f"{name} {room} {when_text} ({reservation.receipt_number})",
            expires_at=expires_at,
            success_url=_base_url(settings) + "/payments/done?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=_base_url(settings) + "/payments/cancelled",
            locale="ja" if language == "ja" else "en",
            customer_email=resident.email,
            metadata={"receipt": reservation.receipt_number},
        ),
    )
    async with in_transaction():
        current = await locked(reservation.id)
        if current.status in HOLDING:
            current.payment_reference = str(payment.public_id)
            await current.save(update_fields=["payment_reference", "updated_at"])
            return Checkout(current, payment)
    await _close_quietly(gateway, payment)
    raise _not_payable(current)


def _base_url(settings: Settings) -> str:
    return settings.public_base_url or f"http://{settings.host}:{settings.port}"


async def _confirm_free(reservation: Reservation) -> Reservation:
    async with in_transaction():
        current = await locked(reservation.id)
        if current.status is ReservationStatus.CONFIRMED:
            return current
        if current.status is not ReservationStatus.HELD:
            raise _not_payable(current)
        await confirm(current, tell_resident=False)
        if current.from_lottery:
            await lottery_service.settle(current)
        return current


async def _hold_for_checkout(reservation: Reservation) -> datetime:
    """The instant the Checkout Session closes, equal to the end of the hold.

    Stripe keeps a session open at least 30 minutes, so a hold with less left is
    lengthened to match; a lottery win (days to pay) gets sessions of up to a day.
    """
    now = clock.now()
    async with in_transaction():
        current = await locked(reservation.id)
        if current.status is not ReservationStatus.HELD or current.hold_expires_at is None:
            raise _not_payable(current)
        if current.hold_expires_at <= now:
            raise _not_payable(current)
        if current.from_lottery:
            latest = _to_step(now + SESSION_MAX, math.floor)
            return max(min(current.hold_expires_at, latest), _to_step(now + SESSION_MIN, math.ceil))
        if current.hold_expires_at < now + SESSION_MIN:
            current.hold_expires_at = _to_step(now + SESSION_MIN, math.ceil)
            await current.save(update_fields=["hold_expires_at", "updated_at"])
        return min(current.hold_expires_at, _to_step(now + SESSION_MAX, math.floor))


async def _close_quietly(gateway: StripeGateway, payment: Payment) -> None:
    try:
        await payments.sync_with_stripe(gateway=gateway, payment=payment, close_if_open=True)
    except GatewayError:
        pass  # the worker's reconciliation closes it later


# --- what payments tells booking ------------------------------------------------------


async def _reservation_for(payment: Payment) -> Reservation | None:
    found = await Reservation.get_or_none(public_id=payment.reference)
    return await locked(found.id) if found else None


class BookingPayments:
    async def paid(self, payment: Payment) -> Decision:
        reservation = await _reservation_for(payment)
        if reservation is None:
            return Decision.give_back("unknown_reservation")
        if reservation.status in HOLDING and payment.amount_yen >= reservation.amount_yen:
            reservation.payment_reference = str(payment.public_id)
            await reservation.save(update_fields=["payment_reference", "updated_at"])
            await confirm(reservation)
            if reservation.from_lottery:
                await lottery_service.settle(reservation)
            return Decision.keep()
        await tell(reservation, "booking.late_payment_refunded", amount=payment.amount_yen)
        return Decision.give_back("hold_released")

    async def processing(self, payment: Payment) -> None:
        reservation = await _reservation_for(payment)
        if reservation is None or reservation.status is not ReservationStatus.HELD:
            return
        reservation.status = ReservationStatus.PENDING_PAYMENT
        reservation.payment_reference = str(payment.public_id)
        waiting_until = min(clock.now() + ASYNC_PAYMENT_WAIT, reservation.starts_at)
        reservation.hold_expires_at = max(
            reservation.hold_expires_at or waiting_until, waiting_until
        )
        await reservation.save(
            update_fields=["status", "payment_reference", "hold_expires_at", "updated_at"]
        )
        await tell(reservation, "booking.payment_processing")

    async def failed(self, payment: Payment) -> None:
        reservation = await _reservation_for(payment)
        if reservation is None or not _is_current(reservation, payment):
            return
        if reservation.from_lottery:  # the win stands until its deadline: pay again
            await lottery_service.reopen_win(reservation)
            return
        await release(reservation, ReservationStatus.EXPIRED)
        await tell(reservation, "booking.payment_failed")

    async def expired(self, payment: Payment) -> None:
        reservation = await _reservation_for(payment)
        if reservation is None or reservation.from_lottery or not _is_current(reservation, payment):
            return
        if reservation.status is ReservationStatus.HELD:
            await release(reservation, ReservationStatus.EXPIRED)
            await tell(reservation, "booking.hold_expired")

    async def refunded(self, payment: Payment, refund) -> None:
        reservation = await Reservation.get_or_none(public_id=payment.reference)
        if reservation is not None:
            await tell(reservation, "booking.refund_sent", amount=refund.amount_yen)


def _is_current(reservation: Reservation, payment: Payment) -> bool:
    return reservation.status in HOLDING and reservation.payment_reference == str(payment.public_id)


async def paid_payment(reservation: Reservation) -> Payment | None:
    """The payment that confirmed the reservation, if it was paid for."""
    if not reservation.payment_reference:
        return None
    return await Payment.get_or_none(
        public_id=reservation.payment_reference, status=PaymentStatus.PAID
    )


registry.register(PURPOSE, BookingPayments())
