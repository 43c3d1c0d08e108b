"""Steps that several booking and payment tests take: hold and check out, deliver a webhook."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

import httpx

from booking.lottery import service as lottery_service
from core import clock
from tests.booking.factories import slot, slot_vars
from tests.fakes.stripe import FakeStripe

WEBHOOK = "/payments/stripe/webhook"


async def hold_and_checkout(gql, token: str, space, **slot) -> tuple[dict, str]:
    """A held reservation with an open Checkout Session; returns it and the session id."""
    held = await gql.op("HoldSlot", auth=token, **slot_vars(space, **slot))
    reservation = held["data"]["holdSlot"]
    body = await gql.op("CheckoutReservation", auth=token, id=reservation["id"])
    url = body["data"]["checkoutReservation"]["url"]
    return reservation, url.rsplit("/", 1)[1]


async def deliver(
    client: httpx.AsyncClient, fake: FakeStripe, event: dict, secret: str | None = None
) -> httpx.Response:
    payload, headers = fake.signed_webhook(event, secret)
    return await client.post(WEBHOOK, content=payload, headers=headers)


def expired_event(fake: FakeStripe, session_id: str) -> dict:
    """A `checkout.session.expired` event for a session, as Stripe would send it."""
    session = copy.deepcopy(fake.ledger.sessions[session_id])
    session.update(status="expired", payment_status="unpaid", payment_intent=None, url=None)
    return fake.ledger._emit("checkout.session.expired", session)


DAYS_AHEAD = 20


def plan(space, **overrides) -> dict:
    """CreateLottery variables: a morning DAYS_AHEAD days on, entries open now, drawn in 2 hours."""
    now = clock.now()
    start, end = slot(DAYS_AHEAD)
    variables = {
        "spaceId": str(space.id),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "entriesOpenAt": (now - timedelta(minutes=1)).isoformat(),
        "entriesCloseAt": (now + timedelta(hours=1)).isoformat(),
        "drawAt": (now + timedelta(hours=2)).isoformat(),
        "payWithinDays": 3,
    }
    return variables | overrides


async def draw_now() -> datetime:
    """Run the draws as the worker would once the draw time has passed."""
    moment = clock.now() + timedelta(hours=3)
    await lottery_service.draw_due(moment)
    return moment
