"""Cancelling a reservation: by the resident under the facility's policy, or by staff
(a closure), who always refund in full. Refunds go through payments' Refund API flow."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from accounts.models import Resident, StaffMember
from booking.errors import BookingError
from booking.lottery import service as lottery_service
from booking.models import ACTIVE_STATUSES, Facility, Reservation, ReservationStatus, Space
from booking.payment_flow import PURPOSE, paid_payment
from booking.rules.policy import refund_amount
from booking.service import (
    HOLDING,
    lock_area_for,
    locked,
    parse_public_id,
    release,
    reservation_of,
    tell,
)
from booking.staff.service import ensure_manages
from booking.texts import app_error
from core import clock
from core.errors import AppError, ErrorCode, invalid, not_found
from payments import refunds
from payments import service as payments
from payments.gateway import GatewayError, StripeGateway
from payments.models import PaymentStatus

REASON_MAX = 200


async def cancel_by_resident(
    *, resident: Resident, reservation_id: object, gateway: StripeGateway
) -> Reservation:
    reservation = await reservation_of(resident, reservation_id)
    return await _cancel(reservation, gateway=gateway, by_staff=False, reason="")


async def cancel_by_staff(
    *, staff: StaffMember, reservation_id: object, reason: str, gateway: StripeGateway
) -> Reservation:
    reason = reason.strip()
    if not 1 <= len(reason) <= REASON_MAX:
        raise invalid("error.validation", field="reason", detail=f"1-{REASON_MAX}")
    reservation = await Reservation.get_or_none(public_id=parse_public_id(reservation_id))
    if reservation is None:
        raise not_found()
    space = await Space.get(id=reservation.space_id)
    ensure_manages(staff, await Facility.get(id=space.facility_id))
    return await _cancel(reservation, gateway=gateway, by_staff=True, reason=reason)


async def _cancel(
    reservation: Reservation, *, gateway: StripeGateway, by_staff: bool, reason: str
) -> Reservation:
    now = clock.now()
    async with in_transaction():
        await lock_area_for(reservation.space_id, reservation.starts_at)
        current = await locked(reservation.id)
        if current.status not in ACTIVE_STATUSES:
            raise AppError(
                ErrorCode.CONFLICT, "booking.not_cancellable", status=current.status.value
            )
        was_holding = current.status in HOLDING
        payment = (
            await paid_payment(current) if current.status is ReservationStatus.CONFIRMED else None
        )
        refundable = (
            payment.amount_yen - await refunds.refunded_or_promised(payment) if payment else 0
        )
        policy = (
            await Facility.get(id=(await Space.get(id=current.space_id)).facility_id)
        ).policy()
        try:
            refund_yen = refund_amount(policy, refundable, current.starts_at, now, by_staff)
        except BookingError as error:
            raise app_error(error) from None
        changes = {
            "cancelled_at": now,
            "cancelled_by_staff": by_staff,
            "cancel_reason": reason,
            "refund_yen": refund_yen,
        }
        if current.from_lottery:
            await lottery_service.lapse(
                current, now, status=ReservationStatus.CANCELLED, message_key=None, **changes
            )
        else:
            await release(current, ReservationStatus.CANCELLED, **changes)
        refund = None
        if refund_yen > 0:
            refund = await refunds.request_refund(
                payment=payment, amount_yen=refund_yen, reason="cancelled"
            )
        await _tell_cancelled(current, by_staff, reason, refund_yen)
    if refund is not None:
        await refunds.send_refund(gateway=gateway, refund_id=refund.id)
    if was_holding:
        await _close_open_session(current, gateway)
    return current


async def _tell_cancelled(
    reservation: Reservation, by_staff: bool, reason: str, refund_yen: int
) -> None:
    """Staff cancellations are told; the resident's own is answered by their call (the refund
    is told when it has been sent)."""
    if not by_staff:
        return
    if refund_yen:
        await tell(reservation, "booking.cancelled_by_staff", reason=reason, refund=refund_yen)
    else:
        await tell(reservation, "booking.cancelled_by_staff_unpaid", reason=reason)


async def _close_open_session(reservation: Reservation, gateway: StripeGateway) -> None:
    """A cancelled hold's checkout is closed at Stripe; a payment that got there first is
    refunded as a late payment. When Stripe cannot be reached the worker does it later."""
    latest = await payments.latest_payment(purpose=PURPOSE, reference=str(reservation.public_id))
    if latest is None or latest.status not in (PaymentStatus.OPEN, PaymentStatus.PROCESSING):
        return
    try:
        await payments.sync_with_stripe(gateway=gateway, payment=latest, close_if_open=True)
    except GatewayError:
        pass
