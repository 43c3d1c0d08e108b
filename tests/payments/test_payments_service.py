"""Payments on its own: configuration, a purpose's handler, refunds sent once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from core import clock
from core.errors import AppError
from payments import gateway as gateways
from payments import refunds, registry
from payments import service as payments
from payments.gateway import StripeGateway
from payments.models import Payment, PaymentStatus, Refund, RefundStatus
from payments.registry import Decision
from tests.booking.flows import deliver

PURPOSE = "test-fee"


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.accept = True

    async def paid(self, payment):
        self.calls.append(("paid", payment.reference))
        return Decision.keep() if self.accept else Decision.give_back("no_longer_wanted")

    async def processing(self, payment):
        self.calls.append(("processing", payment.reference))

    async def failed(self, payment):
        self.calls.append(("failed", payment.reference))

    async def expired(self, payment):
        self.calls.append(("expired", payment.reference))

    async def refunded(self, payment, refund):
        self.calls.append(("refunded", f"{payment.reference}:{refund.amount_yen}"))


@pytest.fixture
def recorder():
    handler = Recorder()
    registry.register(PURPOSE, handler)
    yield handler
    registry._handlers.pop(PURPOSE, None)


def fee(reference: str = "fee-1", amount: int = 800) -> payments.CheckoutRequest:
    return payments.CheckoutRequest(
        purpose=PURPOSE,
        reference=reference,
        amount_yen=amount,
        description="住民票の写し 2通",
        expires_at=clock.now() + timedelta(hours=1),
        success_url="https://city.example.jp/payments/done",
        cancel_url="https://city.example.jp/payments/cancelled",
    )


async def test_gateway__configured_by_key_and_base(app, settings, stripe_fake):
    gateway = gateways.for_settings(settings)

    payment = await payments.open_checkout(gateway=gateway, request=fee())

    assert gateway is gateways.for_settings(settings)
    assert stripe_fake.requests[0].api_key == settings.stripe_api_key
    assert payment.status is PaymentStatus.OPEN and payment.amount_yen == 800


@pytest.mark.parametrize("api_key", ["", "sk_test_wrong_key_0000"], ids=["no-key", "wrong-key"])
async def test_gateway__missing_or_wrong_key__payment_unavailable(app, stripe_fake, api_key):
    gateway = StripeGateway(api_key, stripe_fake.base_url, retries=0)
    try:
        with pytest.raises(AppError) as raised:
            await payments.open_checkout(gateway=gateway, request=fee())
    finally:
        await gateway.close()

    assert raised.value.code.value == "PAYMENT_UNAVAILABLE"
    assert await Payment.all().count() == 0


async def test_handler__told_once_per_change_whatever_the_replays(
    app, client, settings, stripe_fake, recorder
):
    payment = await payments.open_checkout(gateway=gateways.for_settings(settings), request=fee())
    event = stripe_fake.complete_session(payment.stripe_session_id)

    for _ in range(3):
        await deliver(client, stripe_fake, event)

    assert recorder.calls == [("paid", "fee-1")]


async def test_handler__declines__refunded_in_full_and_told(
    app, client, settings, stripe_fake, recorder
):
    recorder.accept = False
    payment = await payments.open_checkout(gateway=gateways.for_settings(settings), request=fee())

    await deliver(client, stripe_fake, stripe_fake.complete_session(payment.stripe_session_id))

    assert recorder.calls == [("paid", "fee-1"), ("refunded", "fee-1:800")]
    assert [r["amount"] for r in stripe_fake.ledger.refunds.values()] == [800]
    assert (await Payment.get()).refunded_yen == 800


async def test_refunds__never_more_than_paid_and_sent_once(
    app, client, settings, stripe_fake, recorder
):
    gateway = gateways.for_settings(settings)
    payment = await payments.open_checkout(gateway=gateway, request=fee(amount=1000))
    await deliver(client, stripe_fake, stripe_fake.complete_session(payment.stripe_session_id))
    payment = await Payment.get()

    refund = await refunds.request_refund(payment=payment, amount_yen=600, reason="partial")
    with pytest.raises(refunds.RefundTooLarge):
        await refunds.request_refund(payment=payment, amount_yen=500, reason="too much")
    with pytest.raises(ValueError):
        await refunds.request_refund(payment=payment, amount_yen=0, reason="nothing")
    sent = await asyncio.gather(
        *(refunds.send_refund(gateway=gateway, refund_id=refund.id) for _ in range(3))
    )

    assert sorted(sent) == [False, False, True]
    assert [r["amount"] for r in stripe_fake.ledger.refunds.values()] == [600]
    assert (await Refund.get()).status is RefundStatus.SENT
    assert (await Payment.get()).refunded_yen == 600


async def test_checkout_pages__in_the_callers_language(client):
    japanese = await client.get("/payments/done")
    english = await client.get("/payments/cancelled", headers={"Accept-Language": "en-GB"})

    assert "お支払い手続きを受け付けました" in japanese.text
    assert "Payment not completed" in english.text
