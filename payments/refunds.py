"""Refunds: decided inside the caller's transaction, sent to Stripe after it commits.

A refund row is written with the decision (`request_refund`), so a decision is never
lost; `send_refunds` sends it with the row's id in the idempotency key, so sending it
twice (the request that decided it and the worker's retry) refunds once.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core import clock
from payments.gateway import GatewayError, StripeGateway
from payments.models import Payment, PaymentStatus, Refund, RefundStatus
from payments.registry import handler_for

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
LEASE = timedelta(minutes=2)


class RefundTooLarge(ValueError):
    pass


async def request_refund(*, payment: Payment, amount_yen: int, reason: str) -> Refund:
    """Write a refund of `amount_yen` (whole yen) of a paid payment; call inside a transaction."""
    if payment.status is not PaymentStatus.PAID:
        raise ValueError(f"payment {payment.public_id} is {payment.status}, not paid")
    if not isinstance(amount_yen, int) or amount_yen <= 0:
        raise ValueError(f"a refund is a positive whole number of yen, got {amount_yen!r}")
    promised = await refunded_or_promised(payment)
    if promised + amount_yen > payment.amount_yen:
        raise RefundTooLarge(f"refunds would exceed the ¥{payment.amount_yen} paid")
    return await Refund.create(
        payment=payment, amount_yen=amount_yen, reason=reason[:40], next_attempt_at=clock.now()
    )


async def refunded_or_promised(payment: Payment) -> int:
    amounts = (
        await Refund.filter(payment=payment)
        .exclude(status=RefundStatus.FAILED)
        .values_list("amount_yen", flat=True)
    )
    return sum(amounts)


async def send_refunds(*, gateway: StripeGateway, refund_ids: list[int]) -> None:
    for refund_id in refund_ids:
        await send_refund(gateway=gateway, refund_id=refund_id)


async def send_due_refunds(*, gateway: StripeGateway, limit: int = 50) -> int:
    """Send refunds that are waiting (the worker's round); returns how many were sent."""
    due = (
        await Refund.filter(status=RefundStatus.PENDING, next_attempt_at__lte=clock.now())
        .order_by("id")
        .limit(limit)
        .values_list("id", flat=True)
    )
    sent = 0
    for refund_id in due:
        sent += await send_refund(gateway=gateway, refund_id=refund_id)
    return sent


async def send_refund(*, gateway: StripeGateway, refund_id: int) -> bool:
    refund = await Refund.get_or_none(id=refund_id, status=RefundStatus.PENDING)
    if refund is None or not await _claim(refund):
        return False
    payment = await Payment.get(id=refund.payment_id)
    try:
        answer = await gateway.create_refund(
            _refund_params(refund, payment), f"refund:{refund.public_id}"
        )
    except GatewayError as error:
        await _failed_attempt(refund, error)
        return False
    async with in_transaction():
        marked = await Refund.filter(id=refund.id, status=RefundStatus.PENDING).update(
            status=RefundStatus.SENT, stripe_refund_id=answer.get("id"), sent_at=clock.now()
        )
        if not marked:
            return False
        await Payment.filter(id=payment.id).update(
            refunded_yen=F("refunded_yen") + refund.amount_yen
        )
        await payment.refresh_from_db()
        await refund.refresh_from_db()
        await handler_for(payment.purpose).refunded(payment, refund)
    return True


def _refund_params(refund: Refund, payment: Payment) -> dict:
    return {
        "payment_intent": payment.stripe_payment_intent_id,
        "amount": refund.amount_yen,
        "reason": "requested_by_customer",
        "metadata": {
            "purpose": payment.purpose,
            "reference": payment.reference,
            "reason": refund.reason,
        },
    }


async def _claim(refund: Refund) -> bool:
    """Take the refund for sending; another sender that read it too will not."""
    taken = await Refund.filter(
        id=refund.id, status=RefundStatus.PENDING, next_attempt_at=refund.next_attempt_at
    ).update(next_attempt_at=clock.now() + LEASE)
    return taken == 1


async def _failed_attempt(refund: Refund, error: GatewayError) -> None:
    attempts = refund.attempts + 1
    gave_up = error.permanent or attempts >= MAX_ATTEMPTS
    delay = timedelta(seconds=min(3600, 10 * 2 ** (attempts - 1)))
    await Refund.filter(id=refund.id).update(
        attempts=attempts,
        last_error=str(error)[:500],
        status=RefundStatus.FAILED if gave_up else RefundStatus.PENDING,
        next_attempt_at=clock.now() + delay,
    )
    log.log(logging.ERROR if gave_up else logging.WARNING, "refund %s: %s", refund.public_id, error)
