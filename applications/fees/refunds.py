"""Giving a case's fee back (withdrawn, rejected, or paid after withdrawal)."""

from __future__ import annotations

from applications.cases.models import Application, Case
from payments import refunds
from payments.models import Payment, PaymentStatus


async def paid_payment(application_id: int) -> Payment | None:
    reference = (
        await Application.filter(id=application_id)
        .first()
        .values_list("payment_reference", flat=True)
    )
    if not reference:
        return None
    return await Payment.get_or_none(public_id=reference, status=PaymentStatus.PAID)


async def refund_case(case: Case, *, reason: str) -> list[int]:
    """Write a refund of what the case's fee took, once; call inside the transaction that
    closes the case. Returns the refund ids to send after commit."""
    if case.paid_yen <= 0 or case.refunded:
        return []
    payment = await paid_payment(case.application_id)
    if payment is None:
        return []
    refund = await refunds.request_refund(payment=payment, amount_yen=case.paid_yen, reason=reason)
    case.refunded = True
    await case.save(update_fields=["refunded", "updated_at"])
    return [refund.id]
