"""A city without a Stripe key: start-up says so once, checkout says payment is not set up
and leaves the hold as it was."""

from __future__ import annotations

import logging

import httpx
import pytest

from booking.models import Reservation
from booking.service import hold_slot
from tests.booking.factories import make_gym, resident, slot, slot_vars
from tests.conftest import forget_other_dialect, make_settings
from tests.support.graphql import GraphQL, error_codes


@pytest.fixture
async def no_stripe(tmp_path, database_url, caplog):
    from app import create_app

    settings = make_settings(tmp_path, database_url, ACCESS_TOKEN_MINUTES="1440")
    forget_other_dialect()
    application = create_app(settings, start_workers=False)
    with caplog.at_level(logging.WARNING, logger="madoguchi"):
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                yield settings, GraphQL(http)


async def test_no_stripe_key__one_warning_at_start_up(no_stripe, caplog):
    records = caplog.get_records("setup")
    warnings = [r.getMessage() for r in records if "STRIPE_API_KEY" in r.getMessage()]

    assert len(warnings) == 1 and "online payment is off" in warnings[0]


async def test_no_stripe_key__hold_on_a_paid_slot_refused_before_holding(no_stripe):
    settings, gql = no_stripe
    gym = await make_gym()
    _, token = await resident(settings)

    body = await gql.op("HoldSlot", auth=token, **slot_vars(gym.half_a))

    assert error_codes(body) == ["PAYMENT_NOT_CONFIGURED"]
    assert await Reservation.all().count() == 0


async def test_no_stripe_key__checkout_of_a_standing_hold_says_not_set_up_hold_unchanged(
    no_stripe,
):
    settings, gql = no_stripe
    gym = await make_gym()
    person, token = await resident(settings)
    start, end = slot()
    held = await hold_slot(resident=person, space_id=str(gym.half_a.id), start=start, end=end)
    before = held.hold_expires_at

    body = await gql.op("CheckoutReservation", auth=token, id=str(held.public_id))

    error = body["errors"][0]
    assert error["extensions"]["code"] == "PAYMENT_NOT_CONFIGURED"
    assert "オンライン決済が設定されていません" in error["message"]
    assert (await Reservation.get(id=held.id)).hold_expires_at == before
