"""Plain HTTP for payments: Stripe's webhook and the pages Checkout returns to."""

from __future__ import annotations

import html
import logging

import stripe
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from core import clock, jsonbody
from core.i18n import normalize_language, t
from payments import gateway, refunds, service
from payments.event_shape import problem_with

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/payments/stripe/webhook"
SIGNATURE_TOLERANCE_SECONDS = 300
MAX_EVENT_BYTES = 512_000


def _refuse_future(signature: str) -> None:
    """Stripe's check refuses old signatures only; one from the future is as suspect."""
    stamps = [part[2:] for part in signature.split(",") if part.strip().startswith("t=")]
    stamp = stamps[0].strip() if stamps else ""
    if not stamp.isdecimal() or int(stamp) > clock.now().timestamp() + SIGNATURE_TOLERANCE_SECONDS:
        raise stripe.SignatureVerificationError("timestamp in the future", signature)


def _bad_request(reason: str) -> JSONResponse:
    return JSONResponse({"error": reason}, status_code=400)


async def stripe_webhook(request: Request) -> JSONResponse:
    """Verify the signature with STRIPE_WEBHOOK_SECRET, store the event once, apply it."""
    settings = request.app.state.services.settings
    payload = await request.body()
    if len(payload) > MAX_EVENT_BYTES:
        return _bad_request("too large")
    signature = request.headers.get("stripe-signature")
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature, settings.stripe_webhook_secret or None, SIGNATURE_TOLERANCE_SECONDS
        )
        _refuse_future(signature or "")
        event = jsonbody.loads(payload)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as error:
        log.warning("Stripe webhook refused: %s", str(error)[:200])
        return _bad_request("invalid signature or payload")
    problem = problem_with(event)
    if problem is not None:
        log.warning("Stripe event refused: %s has the wrong shape", problem)
        return _bad_request("not an event")
    outcome = await service.record_event(event)
    await refunds.send_refunds(
        gateway=gateway.for_settings(settings), refund_ids=outcome.refund_ids
    )
    return JSONResponse({"received": True, "duplicate": outcome.duplicate})


def _page(request: Request, title_key: str, body_key: str) -> HTMLResponse:
    language = normalize_language(request.headers.get("accept-language"))
    title, body = html.escape(t(title_key, language)), html.escape(t(body_key, language))
    document = (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1><p>{body}</p></main></body></html>"
    )
    return HTMLResponse(document)


async def checkout_done(request: Request) -> HTMLResponse:
    return _page(request, "payments.done_title", "payments.done_body")


async def checkout_cancelled(request: Request) -> HTMLResponse:
    return _page(request, "payments.cancelled_title", "payments.cancelled_body")


routes = [
    Route(WEBHOOK_PATH, stripe_webhook, methods=["POST"]),
    Route("/payments/done", checkout_done, methods=["GET"]),
    Route("/payments/cancelled", checkout_cancelled, methods=["GET"]),
]
