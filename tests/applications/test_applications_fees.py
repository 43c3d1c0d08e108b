"""Fees: ¥300 a copy through one Stripe Checkout; the case waits for the signed webhook,
replays change nothing, a late payment after withdrawal is refunded, and a rejected case is
refunded by its procedure's rule."""

from __future__ import annotations

from applications.cases.models import Case, CaseStatus
from payments.models import Payment, PaymentStatus, Refund, RefundStatus
from tests.applications.city import JUMINHYO
from tests.booking.flows import deliver
from tests.support.graphql import error_codes


async def filed_and_checked_out(city, person, copies: int = 2) -> tuple[dict, str]:
    submitted = await city.submitted(
        person, ["juminhyo_copy"], {**JUMINHYO, "juminhyo.copies": copies}
    )
    application = submitted["application"]
    checkout = (await city.ok("CheckoutApplication", person, applicationId=application["id"]))[
        "checkoutApplication"
    ]
    return application, checkout


async def test_paid_webhook__enters_review_once_replays_change_nothing(city, stripe_fake):
    taro = await city.resident()
    application, checkout = await filed_and_checked_out(city, taro)
    case_id = application["cases"][0]["id"]
    session_id = checkout["checkoutUrl"].rsplit("/", 1)[1]
    again = (await city.ok("CheckoutApplication", taro, applicationId=application["id"]))[
        "checkoutApplication"
    ]

    assert checkout["amountYen"] == 600 and again["checkoutUrl"] == checkout["checkoutUrl"]
    assert application["cases"][0]["status"] == "AWAITING_PAYMENT"
    sent = stripe_fake.requests_to("POST", "/v1/checkout/sessions")[0]
    assert sent.params["line_items"][0]["price_data"]["unit_amount"] in (600, "600")
    clerk = await city.clerk("citizens")
    queue = (await city.ok("CaseQueue", clerk, status="SUBMITTED"))["caseQueue"]["edges"]
    assert queue == []

    event = stripe_fake.complete_session(session_id)
    first = await deliver(city.client, stripe_fake, event)
    replay = await deliver(city.client, stripe_fake, event)

    assert first.json() == {"received": True, "duplicate": False}
    assert replay.json()["duplicate"] is True
    case = await Case.get(public_id=case_id)
    assert case.status is CaseStatus.SUBMITTED and case.paid_yen == 600
    history = (await city.ok("Case", taro, id=case_id))["case"]["history"]
    assert [h["toStatus"] for h in history] == ["AWAITING_PAYMENT", "SUBMITTED"]
    queue = (await city.ok("CaseQueue", clerk, status="SUBMITTED"))["caseQueue"]["edges"]
    assert [e["node"]["id"] for e in queue] == [case_id]
    assert await Refund.all().count() == 0
    nothing_left = await city.gql.op(
        "CheckoutApplication", auth=taro.token, applicationId=application["id"]
    )
    assert error_codes(nothing_left) == ["CONFLICT"]


async def test_payment_after_withdrawal__refunded_in_full_not_a_second_case(city, stripe_fake):
    taro = await city.resident()
    application, checkout = await filed_and_checked_out(city, taro, copies=3)
    case_id = application["cases"][0]["id"]
    session_id = checkout["checkoutUrl"].rsplit("/", 1)[1]

    withdrawn = await city.ok("WithdrawCase", taro, id=case_id)
    event = stripe_fake.complete_session(session_id)
    await deliver(city.client, stripe_fake, event)
    await deliver(city.client, stripe_fake, event)

    assert withdrawn["withdrawCase"]["status"] == "WITHDRAWN"
    assert (await Case.get(public_id=case_id)).status is CaseStatus.WITHDRAWN
    assert await Case.all().count() == 1
    refunds = await Refund.all()
    assert [(r.amount_yen, r.status) for r in refunds] == [(900, RefundStatus.SENT)]
    assert len(stripe_fake.requests_to("POST", "/v1/refunds")) == 1


async def test_rejected_after_payment__refunded_by_the_procedures_rule(city, stripe_fake):
    taro = await city.resident()
    application, checkout = await filed_and_checked_out(city, taro)
    case_id = application["cases"][0]["id"]
    await deliver(
        city.client,
        stripe_fake,
        stripe_fake.complete_session(checkout["checkoutUrl"].rsplit("/", 1)[1]),
    )
    clerk = await city.clerk("citizens")
    await city.ok("ClaimCase", clerk, caseId=case_id)

    no_reason = await city.gql.op("DecideCase", auth=clerk.token, caseId=case_id, decision="REJECT")
    rejected = await city.ok(
        "DecideCase", clerk, caseId=case_id, decision="REJECT", reason="本人確認ができませんでした"
    )
    twice = await city.gql.op(
        "DecideCase", auth=clerk.token, caseId=case_id, decision="REJECT", reason="again"
    )

    assert error_codes(no_reason) == ["VALIDATION"] and error_codes(twice) == ["CONFLICT"]
    assert rejected["decideCase"]["status"] == "REJECTED"
    assert [(r.amount_yen, r.reason) for r in await Refund.all()] == [(600, "rejected")]
    payment = await Payment.get(reference=application["id"])
    assert payment.status is PaymentStatus.PAID and payment.refunded_yen == 600
    assert (await Case.get(public_id=case_id)).refunded


async def test_checkout__someone_elses_or_a_draft__refused(city):
    taro, other = await city.resident(), await city.resident("他人")
    application, _ = await filed_and_checked_out(city, taro)
    draft = await city.draft(taro, ["juminhyo_copy"])

    theirs = await city.gql.op(
        "CheckoutApplication", auth=other.token, applicationId=application["id"]
    )
    not_filed = await city.gql.op("CheckoutApplication", auth=taro.token, applicationId=draft["id"])

    assert error_codes(theirs) == ["NOT_FOUND"] and error_codes(not_filed) == ["CONFLICT"]


async def test_withdrawn_after_payment__refunded_once(city, stripe_fake):
    taro = await city.resident()
    application, checkout = await filed_and_checked_out(city, taro)
    case_id = application["cases"][0]["id"]
    await deliver(
        city.client,
        stripe_fake,
        stripe_fake.complete_session(checkout["checkoutUrl"].rsplit("/", 1)[1]),
    )

    first = await city.ok("WithdrawCase", taro, id=case_id)
    again = await city.gql.op("WithdrawCase", auth=taro.token, id=case_id)

    assert first["withdrawCase"]["status"] == "WITHDRAWN" and error_codes(again) == ["CONFLICT"]
    assert [(r.amount_yen, r.reason, r.status) for r in await Refund.all()] == [
        (600, "withdrawn", RefundStatus.SENT)
    ]
