"""The fake Stripe API answers the real `stripe` client like Stripe does."""

from __future__ import annotations

import time

import pytest
import stripe

from tests.fakes.stripe import FakeStripe


def checkout_params(**overrides):
    params = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "jpy",
                    "unit_amount": 1500,
                    "product_data": {"name": "体育館 A 面 2 時間"},
                },
                "quantity": 2,
            }
        ],
        "success_url": "https://city.example.jp/pay/done?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://city.example.jp/pay/cancel",
        "client_reference_id": "reservation-81",
        "metadata": {"purpose": "booking", "reservation": "81"},
        "payment_intent_data": {"metadata": {"purpose": "booking", "reservation": "81"}},
    }
    params.update(overrides)
    return params


@pytest.fixture
async def fake():
    async with FakeStripe() as server:
        yield server


@pytest.fixture
def client(fake: FakeStripe):
    return fake.client()


async def create_session(client, key="reserve-81", **overrides):
    return await client.v1.checkout.sessions.create_async(
        params=checkout_params(**overrides), options={"idempotency_key": key}
    )


async def test_fake_stripe__starts_fast():
    started = time.perf_counter()
    async with FakeStripe() as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert time.perf_counter() - started < 10  # a hang guard, not a speed test


async def test_create_session__amount_url_and_metadata(client, fake: FakeStripe):
    session = await create_session(client)

    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert (session.amount_total, session.currency) == (3000, "jpy")
    assert session.url == f"https://checkout.stripe.test/c/pay/{session.id}"
    assert session.status == "open" and session.payment_status == "unpaid"
    assert session.client_reference_id == "reservation-81"
    assert session.metadata.to_dict() == {"purpose": "booking", "reservation": "81"}
    assert 0 < session.expires_at - time.time() <= 24 * 3600
    recorded = fake.requests_to("POST", "/v1/checkout/sessions")[0]
    assert recorded.idempotency_key == "reserve-81"
    assert recorded.params["line_items"][0]["price_data"]["unit_amount"] == "1500"
    assert recorded.params["payment_intent_data"]["metadata"] == {
        "purpose": "booking",
        "reservation": "81",
    }


async def test_retrieve_and_expire_session(client):
    session = await create_session(client)

    fetched = await client.v1.checkout.sessions.retrieve_async(session.id)
    expired = await client.v1.checkout.sessions.expire_async(session.id)
    with pytest.raises(stripe.InvalidRequestError, match="can be expired"):
        await client.v1.checkout.sessions.expire_async(session.id)

    assert fetched.id == session.id and fetched.amount_total == 3000
    assert expired.status == "expired" and expired.url is None


async def test_retrieve__unknown_session_is_404(client):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        await client.v1.checkout.sessions.retrieve_async("cs_test_missing")

    assert raised.value.http_status == 404
    assert raised.value.code == "resource_missing"
    assert "No such checkout.session: 'cs_test_missing'" in raised.value.user_message


@pytest.mark.parametrize(
    ("overrides", "param"),
    [
        ({"mode": None}, "mode"),
        ({"line_items": None}, "line_items"),
        (
            {
                "line_items": [
                    {
                        "price_data": {
                            "currency": "jpy",
                            "unit_amount": 100,
                            "product_data": {"name": "x"},
                        }
                    }
                ]
            },
            "line_items[0][quantity]",
        ),
        (
            {
                "line_items": [
                    {
                        "price_data": {
                            "currency": "jpy",
                            "unit_amount": 10,
                            "product_data": {"name": "x"},
                        },
                        "quantity": 1,
                    }
                ]
            },
            "line_items",
        ),
        ({"line_items": [{"price": "price_unknown", "quantity": 1}]}, "line_items[0][price]"),
        ({"expires_at": int(time.time()) + 60}, "expires_at"),
        ({"metadata": {"k" * 41: "v"}}, f"metadata[{'k' * 41}]"),
    ],
)
async def test_create_session__invalid_params_are_refused(client, overrides, param):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        await create_session(client, key=f"bad-{param}", **overrides)

    assert raised.value.http_status in (400, 404)
    assert raised.value.param == param


async def test_idempotency__same_key_same_params_replays(client, fake: FakeStripe):
    first = await create_session(client, key="k-1")
    second = await create_session(client, key="k-1")

    assert second.id == first.id
    assert len(fake.ledger.sessions) == 1
    assert [r.replayed for r in fake.requests] == [False, True]
    assert second.last_response.headers["Idempotent-Replayed"] == "true"


async def test_idempotency__same_key_other_params_is_an_error(client):
    await create_session(client, key="k-2")

    with pytest.raises(stripe.IdempotencyError, match="same parameters"):
        await create_session(client, key="k-2", client_reference_id="reservation-82")


async def test_idempotency__failed_attempt_is_not_stored_and_retry_executes(fake: FakeStripe):
    client = fake.client(max_network_retries=1)
    fake.fail_next(status=500)

    session = await create_session(client, key="k-3")

    attempts = fake.requests_to("POST", "/v1/checkout/sessions")
    assert [(a.status, a.idempotency_key, a.replayed) for a in attempts] == [
        (500, "k-3", False),
        (200, "k-3", False),
    ]
    assert session.status == "open"


async def test_authentication__wrong_key_is_refused(fake: FakeStripe):
    client = fake.client(api_key="sk_test_wrong_key_0000")

    with pytest.raises(stripe.AuthenticationError, match="Invalid API Key"):
        await client.v1.checkout.sessions.retrieve_async("cs_test_x")


async def test_complete_session__payment_intent_gets_payment_intent_data_metadata(
    client, fake: FakeStripe
):
    session = await create_session(client, metadata={"only": "session"})

    event = fake.complete_session(session.id)
    intent = await client.v1.payment_intents.retrieve_async(
        event["data"]["object"]["payment_intent"]
    )
    expanded = await client.v1.checkout.sessions.retrieve_async(
        session.id, params={"expand": ["payment_intent"]}
    )

    assert event["type"] == "checkout.session.completed" and event["id"].startswith("evt_")
    assert event["data"]["object"]["payment_status"] == "paid"
    assert (
        intent.id.startswith("pi_")
        and intent.status == "succeeded"
        and intent.amount_received == 3000
    )
    assert intent.metadata.to_dict() == {"purpose": "booking", "reservation": "81"}
    assert expanded.payment_intent.id == intent.id
    assert [e["type"] for e in fake.events] == [
        "charge.succeeded",
        "payment_intent.succeeded",
        "checkout.session.completed",
    ]
    with pytest.raises(ValueError, match="not open"):
        fake.complete_session(session.id)


async def test_delayed_payment__succeeds_or_fails_later(client, fake: FakeStripe):
    paid_later = await create_session(client, key="a", payment_method_types=["konbini"])
    never_paid = await create_session(client, key="b", payment_method_types=["konbini"])

    completed = fake.complete_session(paid_later.id, delayed=True)
    succeeded = fake.succeed_async(paid_later.id)
    failed = fake.fail_async(never_paid.id)

    assert completed["data"]["object"]["payment_status"] == "unpaid"
    assert succeeded["type"] == "checkout.session.async_payment_succeeded"
    assert succeeded["data"]["object"]["payment_status"] == "paid"
    assert failed["type"] == "checkout.session.async_payment_failed"
    intent = await client.v1.payment_intents.retrieve_async(
        failed["data"]["object"]["payment_intent"]
    )
    assert intent.status == "requires_payment_method"


async def test_expire_session__control_emits_expired_event(client, fake: FakeStripe):
    session = await create_session(client)

    event = fake.expire_session(session.id)

    assert event["type"] == "checkout.session.expired"
    assert (await client.v1.checkout.sessions.retrieve_async(session.id)).status == "expired"


async def test_refunds__partial_then_rest_then_over_refund(client, fake: FakeStripe):
    session = await create_session(client)
    intent_id = fake.complete_session(session.id)["data"]["object"]["payment_intent"]

    partial = await client.v1.refunds.create_async(
        params={"payment_intent": intent_id, "amount": 1000}
    )
    with pytest.raises(stripe.InvalidRequestError) as too_much:
        await client.v1.refunds.create_async(params={"payment_intent": intent_id, "amount": 2001})
    rest = await client.v1.refunds.create_async(params={"payment_intent": intent_id})
    with pytest.raises(stripe.InvalidRequestError, match="already been refunded"):
        await client.v1.refunds.create_async(params={"payment_intent": intent_id})
    fetched = await client.v1.refunds.retrieve_async(partial.id)

    assert partial.id.startswith("re_") and partial.amount == 1000 and partial.status == "succeeded"
    assert too_much.value.code == "amount_too_large" and too_much.value.param == "amount"
    assert rest.amount == 2000
    assert fetched.payment_intent == intent_id
    assert fake.ledger.charges[partial.charge]["refunded"] is True


async def test_refunds__unpaid_or_unknown_intent_is_refused(client, fake: FakeStripe):
    session = await create_session(client, payment_method_types=["konbini"])
    waiting = fake.complete_session(session.id, delayed=True)["data"]["object"]["payment_intent"]

    with pytest.raises(stripe.InvalidRequestError, match="does not have a successful charge"):
        await client.v1.refunds.create_async(params={"payment_intent": waiting})
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        await client.v1.refunds.create_async(params={"payment_intent": "pi_missing"})
    assert unknown.value.http_status == 404


async def test_signed_webhook__verified_by_the_real_library(client, fake: FakeStripe):
    session = await create_session(client)
    event = fake.complete_session(session.id)

    payload, headers = fake.signed_webhook(event)
    verified = client.construct_event(payload, headers["Stripe-Signature"], fake.webhook_secret)

    assert verified.type == "checkout.session.completed"
    assert verified.data.object.id == session.id


async def test_signed_webhook__tampered_or_wrong_secret_or_stale_is_rejected(fake: FakeStripe):
    event = {
        "id": "evt_1",
        "object": "event",
        "type": "checkout.session.completed",
        "data": {"object": {}},
    }
    payload, headers = fake.signed_webhook(event)
    signature = headers["Stripe-Signature"]

    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            payload.replace(b"evt_1", b"evt_2"), signature, fake.webhook_secret
        )
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, signature, "whsec_other")
    stale_payload, stale_headers = fake.signed_webhook(event, timestamp=int(time.time()) - 3600)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        stripe.Webhook.construct_event(
            stale_payload, stale_headers["Stripe-Signature"], fake.webhook_secret
        )


async def test_unknown_url__is_a_stripe_404(client):
    with pytest.raises(stripe.InvalidRequestError, match="Unrecognized request URL"):
        await client.v1.customers.retrieve_async("cus_1")


async def test_stripe_httpx_transport__warns_on_every_post(fake: FakeStripe):
    """Why `FakeStripe.client()` uses stripe.AIOHTTPClient: the default async transport warns."""
    http_client = stripe.HTTPXClient()
    client = stripe.StripeClient(
        fake.api_key, base_addresses={"api": fake.base_url}, http_client=http_client
    )
    try:
        with pytest.warns(DeprecationWarning, match="content="):
            await create_session(client)
    finally:
        await http_client.close_async()
