"""A fake Stripe API on loopback that the real `stripe` library talks to.

    async with FakeStripe() as fake:
        client = fake.client()            # a StripeClient pointed at the fake
        session = await client.v1.checkout.sessions.create_async(params={...})
        event = fake.complete_session(session.id)
        payload, headers = fake.signed_webhook(event)

It reads Stripe's form encoding (`metadata[k]=v`, `line_items[0][...]`),
answers Stripe-shaped objects and errors, honours Idempotency-Key like
Stripe (same key + same params replays the stored answer with
`Idempotent-Replayed: true`; same key + other params is an idempotency_error),
and records every request. Only the async client methods can reach it: the
server runs in the test's own event loop, so a blocking call would wait on it.
"""

from __future__ import annotations

import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import stripe as stripe_library
from aiohttp import web

from ._server import FakeService
from ._stripe_checkout import new_id
from ._stripe_form import StripeApiError, parse_nested
from ._stripe_ledger import StripeLedger

DEFAULT_API_KEY = "sk_test_madoguchi_fake"
DEFAULT_WEBHOOK_SECRET = "whsec_madoguchi_fake"

Handler = Callable[[dict[str, Any], str], dict[str, Any]]


@dataclass
class StripeRequest:
    """One request the client made and how the fake answered it."""

    method: str
    path: str
    params: dict[str, Any]
    idempotency_key: str | None
    replayed: bool
    status: int
    response: dict[str, Any]
    api_key: str | None
    stripe_version: str | None


@dataclass
class _StoredAnswer:
    method: str
    path: str
    params: dict[str, Any]
    status: int
    body: dict[str, Any]


class FakeStripe(FakeService):
    def __init__(
        self, *, api_key: str = DEFAULT_API_KEY, webhook_secret: str = DEFAULT_WEBHOOK_SECRET
    ) -> None:
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.ledger = StripeLedger(api_version=stripe_library.api_version)
        self.requests: list[StripeRequest] = []
        self._answers: dict[str, _StoredAnswer] = {}
        self._failures: deque[StripeApiError] = deque()
        self._http_clients: list[Any] = []
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = [
            (
                "POST",
                re.compile(r"/v1/checkout/sessions"),
                lambda p, _: self.ledger.create_session(p),
            ),
            (
                "GET",
                re.compile(r"/v1/checkout/sessions/(?P<id>[^/]+)"),
                lambda p, i: self.ledger.session_view(i, p),
            ),
            (
                "GET",
                re.compile(r"/v1/checkout/sessions/(?P<id>[^/]+)/line_items"),
                lambda _, i: self.ledger.line_items(i),
            ),
            (
                "POST",
                re.compile(r"/v1/checkout/sessions/(?P<id>[^/]+)/expire"),
                lambda _, i: self.ledger.expire(i),
            ),
            (
                "GET",
                re.compile(r"/v1/payment_intents/(?P<id>[^/]+)"),
                lambda _, i: self.ledger.payment_intent(i),
            ),
            ("POST", re.compile(r"/v1/refunds"), lambda p, _: self.ledger.create_refund(p)),
            ("GET", re.compile(r"/v1/refunds/(?P<id>[^/]+)"), lambda _, i: self.ledger.refund(i)),
        ]
        super().__init__()

    def _build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        return app

    async def __aexit__(self, *exc_info: object) -> None:
        for http_client in self._http_clients:
            await http_client.close_async()
        await super().__aexit__(*exc_info)

    # --- what tests use -------------------------------------------------------------

    def client(self, *, api_key: str | None = None, max_network_retries: int = 0) -> Any:
        """A real `stripe.StripeClient` aimed at this fake; closed when the fake closes.

        It uses stripe's aiohttp transport: stripe 16's default async transport
        (httpx) passes the form body as `data=` and httpx 0.28 warns about it,
        which fails a test run that treats warnings as errors.
        """
        http_client = stripe_library.AIOHTTPClient()
        self._http_clients.append(http_client)
        return stripe_library.StripeClient(
            api_key or self.api_key,
            base_addresses={"api": self.base_url},
            http_client=http_client,
            max_network_retries=max_network_retries,
        )

    @property
    def events(self) -> list[dict[str, Any]]:
        return self.ledger.events

    def complete_session(self, session_id: str, *, delayed: bool = False) -> dict[str, Any]:
        """The customer pays: returns the `checkout.session.completed` event.

        `delayed=True` is a voucher method such as konbini: the session
        completes unpaid and the payment waits for `succeed_async` / `fail_async`.
        """
        return self.ledger.complete(session_id, delayed=delayed)

    def succeed_async(self, session_id: str) -> dict[str, Any]:
        """The delayed payment arrives: `checkout.session.async_payment_succeeded`."""
        return self.ledger.succeed_async(session_id)

    def fail_async(self, session_id: str) -> dict[str, Any]:
        """The delayed payment never comes: `checkout.session.async_payment_failed`."""
        return self.ledger.fail_async(session_id)

    def expire_session(self, session_id: str) -> dict[str, Any]:
        """The session runs out of time: returns the `checkout.session.expired` event."""
        return self.ledger.expire_by_time(session_id)

    def fail_next(
        self, *, times: int = 1, status: int = 500, message: str = "An unknown error occurred"
    ) -> None:
        """Answer the next `times` requests with an api_error, executing nothing."""
        for _ in range(times):
            self._failures.append(StripeApiError(status, message, error_type="api_error"))

    def signed_webhook(
        self, event: dict[str, Any], secret: str | None = None, *, timestamp: int | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers Stripe would POST for `event`, signed with `secret`."""
        payload = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        signature = stripe_library.WebhookSignature.generate_signature_header(
            payload, secret or self.webhook_secret, timestamp=timestamp or int(time.time())
        )
        headers = {"Content-Type": "application/json; charset=utf-8", "Stripe-Signature": signature}
        return payload.encode("utf-8"), headers

    def requests_to(self, method: str, path: str) -> list[StripeRequest]:
        return [r for r in self.requests if r.method == method.upper() and r.path == path]

    # --- HTTP ---------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        request_id = new_id("req_", 14)
        params = parse_nested(request.query.items())
        if request.method == "POST":
            params.update(parse_nested((await request.post()).items()))
        key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
        replayed = False
        try:
            self._authenticate(request)
            stored = self._stored_answer(key, request.method, request.path, params)
            if stored is not None:
                status, body, replayed = stored.status, stored.body, True
            else:
                status, body = 200, self._execute(request.method, request.path, params)
                if key is not None:
                    self._answers[key] = _StoredAnswer(
                        request.method, request.path, params, status, body
                    )
        except StripeApiError as error:
            status, body = error.status, error.to_json(request_id)
        self.requests.append(
            StripeRequest(
                request.method,
                request.path,
                params,
                key,
                replayed,
                status,
                body,
                _bearer(request),
                request.headers.get("Stripe-Version"),
            )
        )
        return web.json_response(body, status=status, headers=_headers(request_id, key, replayed))

    def _authenticate(self, request: web.Request) -> None:
        api_key = _bearer(request)
        if api_key is None:
            raise StripeApiError(
                401,
                "You did not provide an API key. You need to provide your API key in the Authorization header.",
            )
        if api_key != self.api_key:
            raise StripeApiError(
                401, f"Invalid API Key provided: {api_key[:8]}{'*' * 12}{api_key[-4:]}"
            )

    def _stored_answer(
        self, key: str | None, method: str, path: str, params: dict[str, Any]
    ) -> _StoredAnswer | None:
        stored = self._answers.get(key) if key else None
        if stored is None:
            return None
        if (stored.method, stored.path) != (method, path):
            raise StripeApiError(
                400,
                f"Keys for idempotent requests can only be used for the same endpoint they were first used for "
                f"('{stored.method} {stored.path}' vs '{method} {path}'). "
                f"Try using a key other than '{key}' if you meant to execute a different request.",
                error_type="idempotency_error",
            )
        if stored.params != params:
            raise StripeApiError(
                400,
                "Keys for idempotent requests can only be used with the same parameters they were first used with. "
                f"Try using a key other than '{key}' if you meant to execute a different request.",
                error_type="idempotency_error",
            )
        return stored

    def _execute(self, method: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
        if self._failures:
            raise self._failures.popleft()
        for route_method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                return json.loads(json.dumps(handler(params, match.groupdict().get("id", ""))))
        raise StripeApiError(
            404,
            f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
            "or we can help at https://support.stripe.com/.",
        )


def _bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return header.removeprefix("Bearer ").strip() or None


def _headers(request_id: str, key: str | None, replayed: bool) -> dict[str, str]:
    headers = {"Request-Id": request_id, "Stripe-Version": stripe_library.api_version}
    if key is not None:
        headers["Idempotency-Key"] = key
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return headers
