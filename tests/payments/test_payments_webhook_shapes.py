"""Correctly signed Stripe events of the wrong shape, or from the future: refused with 400
and logged, nothing stored; the real event that follows is applied as usual."""

from __future__ import annotations

import copy
import time

import pytest

from booking.models import Reservation, ReservationStatus
from payments.models import StripeEvent
from tests.booking.factories import make_gym, resident
from tests.booking.flows import WEBHOOK, deliver, hold_and_checkout

DEEP: object = []
for _ in range(100):
    DEEP = [DEEP]


def set_in(event: dict, path: str, value: object) -> dict:
    changed = copy.deepcopy(event)
    *parents, last = path.split(".")
    target = changed
    for name in parents:
        target = target[name]
    target[last] = value
    return changed


SHAPES = {
    "object-a-string": ("data.object", "cs_test_123"),
    "object-a-list": ("data.object", [1, 2, 3]),
    "data-a-list": ("data", []),
    "metadata-a-string": ("data.object.metadata", "purpose=booking"),
    "metadata-values-nested": ("data.object.metadata", {"purpose": {"x": 1}}),
    "amount-a-string": ("data.object.amount_total", "3000"),
    "amount-absurd": ("data.object.amount_total", 10**30),
    "expires-absurd": ("data.object.expires_at", 10**15),
    "created-absurd": ("created", -(10**12)),
    "id-a-number": ("id", 12345),
    "intent-a-list": ("data.object.payment_intent", ["pi_1"]),
    "deeply-nested": ("data.object.metadata", {"x": DEEP}),
}


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
async def test_signed_event_of_the_wrong_shape__400_then_the_real_one_applies(
    gql, client, settings, stripe_fake, shape
):
    gym = await make_gym()
    _, token = await resident(settings)
    reservation, session_id = await hold_and_checkout(gql, token, gym.whole)
    real = stripe_fake.complete_session(session_id)
    path, value = SHAPES[shape]

    refused = await deliver(client, stripe_fake, set_in(real, path, value))

    assert refused.status_code == 400
    assert await StripeEvent.all().count() == 0
    applied = await deliver(client, stripe_fake, real)
    assert applied.status_code == 200
    stored = await Reservation.get(public_id=reservation["id"])
    assert stored.status is ReservationStatus.CONFIRMED


async def test_signature_from_the_future__refused_like_an_old_one(
    gql, client, settings, stripe_fake
):
    gym = await make_gym()
    _, token = await resident(settings)
    _, session_id = await hold_and_checkout(gql, token, gym.whole)
    event = stripe_fake.complete_session(session_id)

    future, headers = stripe_fake.signed_webhook(event, timestamp=int(time.time()) + 3600)
    past, old_headers = stripe_fake.signed_webhook(event, timestamp=int(time.time()) - 3600)

    assert (await client.post(WEBHOOK, content=future, headers=headers)).status_code == 400
    assert (await client.post(WEBHOOK, content=past, headers=old_headers)).status_code == 400
    assert await StripeEvent.all().count() == 0
