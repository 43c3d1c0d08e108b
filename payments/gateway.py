"""Stripe, as the rest of the service sees it: Checkout Sessions and refunds, as plain dicts.

One gateway per configuration (STRIPE_API_KEY, STRIPE_API_BASE) lives for the app's
lifespan (`for_settings`, `close_for`). stripe 16's default async transport warns under
httpx 0.28, so the client uses stripe's aiohttp transport.
"""

from __future__ import annotations

import logging
from typing import Any

import stripe

from core.errors import AppError, ErrorCode
from core.settings import Settings

log = logging.getLogger(__name__)

NETWORK_RETRIES = 2


class GatewayError(Exception):
    """Stripe could not be reached or refused the request; `permanent` when retrying is useless."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent

    def app_error(self) -> AppError:
        return AppError(ErrorCode.PAYMENT_UNAVAILABLE, "payments.unavailable")


class StripeGateway:
    def __init__(self, api_key: str, api_base: str = "", *, retries: int | None = None) -> None:
        self.api_key = api_key
        self._http_client: Any = None
        self._client: Any = None
        self._api_base = api_base
        self._retries = NETWORK_RETRIES if retries is None else retries

    @property
    def configured(self) -> bool:
        return bool(self.api_key)

    @property
    def client(self) -> Any:
        if not self.configured:
            raise GatewayError("STRIPE_API_KEY is not set")
        if self._client is None:
            self._http_client = stripe.AIOHTTPClient()
            self._client = stripe.StripeClient(
                self.api_key,
                base_addresses={"api": self._api_base} if self._api_base else None,
                http_client=self._http_client,
                max_network_retries=self._retries,
            )
        return self._client

    async def create_checkout_session(self, params: dict[str, Any], idempotency_key: str) -> dict:
        return await self._call(
            self.client.v1.checkout.sessions.create_async,
            params=params,
            options={"idempotency_key": idempotency_key},
        )

    async def retrieve_checkout_session(self, session_id: str) -> dict:
        return await self._call(self.client.v1.checkout.sessions.retrieve_async, session_id)

    async def expire_checkout_session(self, session_id: str) -> dict:
        return await self._call(self.client.v1.checkout.sessions.expire_async, session_id)

    async def create_refund(self, params: dict[str, Any], idempotency_key: str) -> dict:
        return await self._call(
            self.client.v1.refunds.create_async,
            params=params,
            options={"idempotency_key": idempotency_key},
        )

    async def _call(self, method: Any, *args: Any, **kwargs: Any) -> dict:
        try:
            answer = await method(*args, **kwargs)
        except stripe.InvalidRequestError as error:
            raise GatewayError(f"Stripe refused: {error.user_message}", permanent=True) from error
        except stripe.StripeError as error:
            raise GatewayError(f"Stripe failed: {error.user_message or error}") from error
        return answer.to_dict()

    async def close(self) -> None:
        if self._http_client is not None:
            await self._http_client.close_async()
        self._http_client = self._client = None


_gateways: dict[tuple[str, str], StripeGateway] = {}


def for_settings(settings: Settings) -> StripeGateway:
    """The gateway for these settings, created on first use."""
    key = (settings.stripe_api_key, settings.stripe_api_base)
    gateway = _gateways.get(key)
    if gateway is None:
        gateway = _gateways[key] = StripeGateway(*key)
    return gateway


async def close_for(settings: Settings) -> None:
    gateway = _gateways.pop((settings.stripe_api_key, settings.stripe_api_base), None)
    if gateway is not None:
        await gateway.close()
