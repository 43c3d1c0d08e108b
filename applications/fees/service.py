"""Paying a submission's fees with one Stripe Checkout, and what applications do when
payments reports back (registered as the handler of the `application` purpose)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from accounts.models import Resident
from applications.cases.models import Application, ApplicationStatus, Case, CaseStatus
from applications.cases.service import application_of
from applications.cases.workflow import move, tell
from applications.catalogue.service import versions_by_id
from core import clock
from core.errors import AppError, ErrorCode
from core.settings import Settings
from payments import refunds, registry
from payments import service as payments
from payments.gateway import StripeGateway
from payments.models import Payment
from payments.registry import Decision

PURPOSE = "application"
SESSION_LENGTH = timedelta(minutes=60)


def _on_step(moment: datetime, minutes: int = 5) -> datetime:
    """On a 5-minute step, so two requests a moment apart ask Stripe for the same session."""
    step = minutes * 60
    return datetime.fromtimestamp(math.ceil(moment.timestamp() / step) * step, UTC)


async def awaiting_payment(application: Application) -> list[Case]:
    return await Case.filter(
        application_id=application.id, status=CaseStatus.AWAITING_PAYMENT
    ).order_by("id")


async def checkout_application(
    *,
    resident: Resident,
    application_id: object,
    gateway: StripeGateway,
    settings: Settings,
    language: str,
) -> Payment:
    """One Checkout Session for every unpaid fee of the submission (integer yen)."""
    application = await application_of(resident, application_id)
    if application.status is not ApplicationStatus.SUBMITTED:
        raise AppError(ErrorCode.CONFLICT, "applications.not_submitted")
    cases = await awaiting_payment(application)
    amount = sum(case.fee_yen for case in cases)
    if amount <= 0:
        raise AppError(ErrorCode.CONFLICT, "applications.no_fee")
    names = await _names(cases, language)
    base = settings.public_base_url or f"http://{settings.host}:{settings.port}"
    return await payments.open_checkout(
        gateway=gateway,
        request=payments.CheckoutRequest(
            purpose=PURPOSE,
            reference=str(application.public_id),
            amount_yen=amount,
            description=" / ".join(names)[:250],
            expires_at=_on_step(clock.now() + SESSION_LENGTH),
            success_url=base + "/payments/done?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=base + "/payments/cancelled",
            locale="ja" if language == "ja" else "en",
            customer_email=resident.email,
            metadata={"receipts": ",".join(c.receipt_number for c in cases)[:450]},
        ),
    )


async def _names(cases: list[Case], language: str) -> list[str]:
    views = {v.version_id: v for v in await versions_by_id([c.procedure_version_id for c in cases])}
    lang = "ja" if language == "ja" else "en"
    return [
        f"{views[c.procedure_version_id].definition['name'][lang]} ({c.receipt_number})"
        for c in cases
    ]


# --- what payments tells applications -------------------------------------------------


async def _application_for(payment: Payment) -> Application | None:
    found = await Application.get_or_none(public_id=payment.reference)
    return await Application.select_for_update().get(id=found.id) if found else None


class ApplicationPayments:
    async def paid(self, payment: Payment) -> Decision:
        application = await _application_for(payment)
        if application is None:
            return Decision.give_back("unknown_application")
        cases = [
            await Case.select_for_update().get(id=c.id) for c in await awaiting_payment(application)
        ]
        owed = sum(case.fee_yen for case in cases)
        if not cases or payment.amount_yen < owed:
            return Decision.give_back("nothing_to_pay")
        application.payment_reference = str(payment.public_id)
        await application.save(update_fields=["payment_reference", "updated_at"])
        versions = {
            v.version_id: v for v in await versions_by_id([c.procedure_version_id for c in cases])
        }
        for case in cases:
            case.paid_yen = case.fee_yen
            await case.save(update_fields=["paid_yen", "updated_at"])
            needs_visit = versions[case.procedure_version_id].needs_counter_visit
            await move(case, CaseStatus.AWAITING_VISIT if needs_visit else CaseStatus.SUBMITTED)
        if payment.amount_yen > owed:  # a case was withdrawn while the resident paid
            await refunds.request_refund(
                payment=payment, amount_yen=payment.amount_yen - owed, reason="withdrawn"
            )
        return Decision.keep()

    async def processing(self, payment: Payment) -> None:
        return None

    async def failed(self, payment: Payment) -> None:
        return None

    async def expired(self, payment: Payment) -> None:
        return None

    async def refunded(self, payment: Payment, refund) -> None:
        application = await Application.get_or_none(public_id=payment.reference)
        case = (
            await Case.filter(application_id=application.id).order_by("id").first()
            if application
            else None
        )
        if case is not None:
            await tell(case, "applications.refund_sent", amount=refund.amount_yen)


registry.register(PURPOSE, ApplicationPayments())


async def send(gateway: StripeGateway, refund_ids: list[int]) -> None:
    """Send refunds decided in a committed transaction (the worker retries failures)."""
    if refund_ids:
        await refunds.send_refunds(gateway=gateway, refund_ids=refund_ids)
