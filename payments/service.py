"""Checkout Sessions, the Stripe events about them, and reconciliation with Stripe.

Every state change happens in one transaction with the purpose's reaction
(payments.registry). Transitions only move forward, so an event seen twice, or
events in any order, change nothing twice: `expired` after `completed` is ignored,
`completed` after `expired` is a payment the purpose may no longer want (refunded).
Refunds decided in a transaction are sent to Stripe after it commits (payments.refunds).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

import payments.texts  # noqa: F401 - registers the texts
from core import clock
from payments import refunds
from payments.gateway import GatewayError, StripeGateway
from payments.models import Payment, PaymentStatus, StripeEvent
from payments.registry import handler_for, is_registered

log = logging.getLogger(__name__)

#: An open session is handed out again only if the customer still has this long to pay.
REUSE_MARGIN = timedelta(minutes=2)
PAID_STATES = ("paid", "no_payment_required")
#: A session this long past its expiry without an `expired` event is asked about.
STALE_AFTER = timedelta(minutes=1)


@dataclass(frozen=True)
class CheckoutRequest:
    purpose: str
    reference: str
    amount_yen: int
    description: str
    expires_at: datetime
    success_url: str
    cancel_url: str
    locale: str = "ja"
    customer_email: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


async def latest_payment(*, purpose: str, reference: str) -> Payment | None:
    return await Payment.filter(purpose=purpose, reference=reference).order_by("-id").first()


async def open_checkout(*, gateway: StripeGateway, request: CheckoutRequest) -> Payment:
    """A Checkout Session for the request: the open one if it is still usable, else a new one.

    Call it outside a transaction: it talks to Stripe. Attempts are numbered per
    reference, and the number is in the idempotency key, so two concurrent calls get
    one session from Stripe and one record here.
    """
    reusable = (
        await Payment.filter(
            purpose=request.purpose,
            reference=request.reference,
            status=PaymentStatus.OPEN,
            expires_at__gt=clock.now() + REUSE_MARGIN,
        )
        .order_by("-id")
        .first()
    )
    if reusable is not None:
        return reusable
    attempt = await Payment.filter(purpose=request.purpose, reference=request.reference).count() + 1
    key = f"{request.purpose}:{request.reference}:{attempt}"
    try:
        session = await gateway.create_checkout_session(_session_params(request), key)
    except GatewayError as error:
        log.warning("checkout for %s %s failed: %s", request.purpose, request.reference, error)
        raise error.app_error() from error
    try:
        return await Payment.create(
            purpose=request.purpose,
            reference=request.reference,
            amount_yen=request.amount_yen,
            idempotency_key=key,
            stripe_session_id=session["id"],
            checkout_url=session.get("url") or "",
            expires_at=datetime.fromtimestamp(session["expires_at"], UTC),
        )
    except IntegrityError:
        existing = await Payment.get_or_none(stripe_session_id=session["id"])
        if existing is None:
            raise
        return existing


def _session_params(request: CheckoutRequest) -> dict[str, Any]:
    metadata = {"purpose": request.purpose, "reference": request.reference, **request.metadata}
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "jpy",
                    "unit_amount": request.amount_yen,
                    "product_data": {"name": request.description},
                },
                "quantity": 1,
            }
        ],
        "client_reference_id": request.reference,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": request.description},
        "expires_at": int(request.expires_at.timestamp()),
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
        "locale": request.locale,
    }
    if request.customer_email:
        params["customer_email"] = request.customer_email
    return params


# --- events -------------------------------------------------------------------------


@dataclass
class EventOutcome:
    duplicate: bool = False
    refund_ids: list[int] = field(default_factory=list)


async def record_event(event: dict[str, Any]) -> EventOutcome:
    """Store a verified Stripe event once and apply it; a replay is reported as duplicate."""
    event_id = str(event.get("id") or "")
    data = event.get("data") or {}
    obj = data.get("object") or {}
    try:
        async with in_transaction():
            await StripeEvent.create(
                event_id=event_id,
                type=str(event.get("type") or "")[:100],
                object_id=str(obj.get("id") or "")[:255],
                stripe_created=int(event.get("created") or 0),
            )
            refund_ids = await _apply_event(str(event.get("type")), obj)
    except IntegrityError:
        if await StripeEvent.exists(event_id=event_id):
            return EventOutcome(duplicate=True)
        raise
    return EventOutcome(refund_ids=refund_ids)


async def _apply_event(event_type: str, session: dict[str, Any]) -> list[int]:
    if not event_type.startswith("checkout.session."):
        return []
    payment = await _payment_for_session(session)
    if payment is None:
        return []
    if event_type == "checkout.session.completed":
        return await _completed(payment, session)
    if event_type == "checkout.session.async_payment_succeeded":
        return await _paid(payment, session)
    if event_type == "checkout.session.async_payment_failed":
        await _failed(payment)
    elif event_type == "checkout.session.expired":
        await _expired(payment)
    return []


async def _payment_for_session(session: dict[str, Any]) -> Payment | None:
    """The locked payment record for a session; adopted from the session's metadata when
    the record was never written (the process stopped right after Stripe answered)."""
    session_id = str(session.get("id") or "")
    found = await Payment.select_for_update().get_or_none(stripe_session_id=session_id)
    if found is not None:
        return found
    metadata = session.get("metadata") or {}
    purpose, reference = metadata.get("purpose"), metadata.get("reference")
    if not session_id or not purpose or not reference or not is_registered(purpose):
        log.info("ignoring Stripe session %s: not one of ours", session_id)
        return None
    return await Payment.create(
        purpose=purpose,
        reference=reference,
        amount_yen=int(session.get("amount_total") or 0),
        idempotency_key=f"adopted:{session_id}",
        stripe_session_id=session_id,
        expires_at=datetime.fromtimestamp(int(session.get("expires_at") or 0), UTC),
    )


def _intent_id(session: dict[str, Any]) -> str | None:
    intent = session.get("payment_intent")
    if isinstance(intent, dict):
        return intent.get("id")
    return intent


async def _completed(payment: Payment, session: dict[str, Any]) -> list[int]:
    if session.get("payment_status") in PAID_STATES:
        return await _paid(payment, session)
    if payment.status is PaymentStatus.OPEN:
        payment.status = PaymentStatus.PROCESSING
        payment.stripe_payment_intent_id = _intent_id(session)
        await payment.save(update_fields=["status", "stripe_payment_intent_id", "updated_at"])
        await handler_for(payment.purpose).processing(payment)
    return []


async def _paid(payment: Payment, session: dict[str, Any]) -> list[int]:
    if payment.status is PaymentStatus.PAID:
        return []
    payment.status = PaymentStatus.PAID
    payment.paid_at = clock.now()
    payment.stripe_payment_intent_id = _intent_id(session) or payment.stripe_payment_intent_id
    payment.amount_yen = int(session.get("amount_total") or payment.amount_yen)
    await payment.save(
        update_fields=["status", "paid_at", "stripe_payment_intent_id", "amount_yen", "updated_at"]
    )
    decision = await handler_for(payment.purpose).paid(payment)
    if decision.accept:
        return []
    refund = await refunds.request_refund(
        payment=payment, amount_yen=payment.amount_yen, reason=decision.refund_reason
    )
    return [refund.id]


async def _failed(payment: Payment) -> None:
    if payment.status in (PaymentStatus.OPEN, PaymentStatus.PROCESSING):
        payment.status = PaymentStatus.FAILED
        await payment.save(update_fields=["status", "updated_at"])
        await handler_for(payment.purpose).failed(payment)


async def _expired(payment: Payment) -> None:
    if payment.status is PaymentStatus.OPEN:
        payment.status = PaymentStatus.EXPIRED
        await payment.save(update_fields=["status", "updated_at"])
        await handler_for(payment.purpose).expired(payment)


# --- reconciliation -------------------------------------------------------------------


async def sync_with_stripe(
    *, gateway: StripeGateway, payment: Payment, close_if_open: bool
) -> None:
    """Ask Stripe what became of the payment's session and apply it, as a webhook would.

    With `close_if_open`, a session still open is expired at Stripe first, so no payment
    can arrive for a hold that is about to be released. Raises GatewayError when Stripe
    cannot be asked; the caller then leaves the payment for the next round.
    """
    session = await gateway.retrieve_checkout_session(payment.stripe_session_id)
    if session.get("status") == "open" and close_if_open:
        try:
            session = await gateway.expire_checkout_session(payment.stripe_session_id)
        except GatewayError as error:
            if not error.permanent:
                raise
            session = await gateway.retrieve_checkout_session(payment.stripe_session_id)
    async with in_transaction():
        locked = await Payment.select_for_update().get(id=payment.id)
        refund_ids = await _apply_session_state(locked, session)
    await refunds.send_refunds(gateway=gateway, refund_ids=refund_ids)


async def _apply_session_state(payment: Payment, session: dict[str, Any]) -> list[int]:
    status = session.get("status")
    if status == "complete":
        return await _completed(payment, session)
    if status == "expired":
        await _expired(payment)
    return []


async def sync_stale_sessions(*, gateway: StripeGateway, limit: int = 100) -> int:
    """Ask Stripe about sessions that should have ended and have no answer yet (a lost
    webhook); returns how many were brought up to date."""
    stale = (
        await Payment.filter(status=PaymentStatus.OPEN, expires_at__lte=clock.now() - STALE_AFTER)
        .order_by("expires_at")
        .limit(limit)
    )
    synced = 0
    for payment in stale:
        try:
            await sync_with_stripe(gateway=gateway, payment=payment, close_if_open=True)
        except GatewayError as error:
            log.warning("could not ask Stripe about %s: %s", payment.stripe_session_id, error)
            continue
        synced += 1
    return synced
