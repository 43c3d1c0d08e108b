"""Push to the mobile app through FCM HTTP v1 (`projects/{id}/messages:send`), over httpx.

FCM v1 takes one message per request; a batch is up to 500 requests in flight at once on
pooled connections, as the Admin SDKs' multicast does."""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from core.delivery_settings import DeliverySettings, FcmCredentials
from notifications.channels import (
    AddressGone,
    Outgoing,
    Rejected,
    RetryLater,
    TemporaryFailure,
    send_concurrently,
)
from notifications.channels.push.models import PushDevice
from notifications.channels.push.oauth import ServiceAccountTokens, TokenError
from notifications.models import Channel, Lane

IN_FLIGHT = 100
_GONE_CODES = ("UNREGISTERED",)
_RETRY_CODES = ("UNAVAILABLE", "INTERNAL", "QUOTA_EXCEEDED")


def fcm_message(message: Outgoing) -> dict:
    alert = message.lane == Lane.ALERT
    data = {**message.data, "link": message.link}
    return {
        "message": {
            "token": message.address,
            "notification": {"title": message.title, "body": message.body[:1000]},
            "data": {key: str(value) for key, value in data.items()},
            "android": {"priority": "HIGH" if alert else "NORMAL"},
            "apns": {"headers": {"apns-priority": "10" if alert else "5"}},
        }
    }


def _error_code(response: httpx.Response) -> tuple[str, str]:
    """(FCM error code or the status, message) from an error answer."""
    try:
        error = response.json().get("error", {})
    except ValueError:
        return str(response.status_code), response.text[:200]
    for detail in error.get("details") or []:
        if str(detail.get("@type", "")).endswith("FcmError") and detail.get("errorCode"):
            return detail["errorCode"], error.get("message", "")
    return str(error.get("status") or response.status_code), error.get("message", "")


class FcmChannel:
    channel = Channel.PUSH
    batch_size = 500

    def __init__(self, settings: DeliverySettings, credentials: FcmCredentials) -> None:
        self.settings = settings
        self.client = httpx.AsyncClient(
            timeout=httpx.Timeout(30.0, connect=5.0),
            limits=httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT),
        )
        self.tokens = ServiceAccountTokens(credentials, self.client)
        self.url = f"{settings.fcm_api_base}/v1/projects/{credentials.project_id}/messages:send"

    def rate_per_second(self, lane: Lane) -> int:
        return self.settings.push_rate_per_second

    async def send_all(self, messages: Sequence[Outgoing]) -> list[BaseException | None]:
        return await send_concurrently(self.send, messages, IN_FLIGHT)

    async def send(self, message: Outgoing) -> None:
        try:
            token = await self.tokens.token()
        except TokenError as exc:
            raise TemporaryFailure(f"fcm: {exc}") from exc
        try:
            response = await self.client.post(
                self.url, json=fcm_message(message), headers={"Authorization": f"Bearer {token}"}
            )
        except httpx.ConnectError as exc:
            raise TemporaryFailure("fcm unreachable") from exc
        if response.status_code == 200:
            return
        code, text = _error_code(response)
        if response.status_code == 401:
            self.tokens.forget(token)
            raise TemporaryFailure(f"fcm 401 {code}: {text}")
        if code in _GONE_CODES:
            raise AddressGone(f"fcm {code}")
        if response.status_code == 429 or code in _RETRY_CODES or response.status_code >= 500:
            retry_after = _retry_after(response)
            if retry_after is not None:
                raise RetryLater(retry_after, f"fcm {response.status_code} {code}")
            raise TemporaryFailure(f"fcm {response.status_code} {code}: {text}")
        raise Rejected(f"fcm {response.status_code} {code}: {text}")

    async def address_gone(self, resident_id: int, address: str) -> None:
        await PushDevice.filter(token=address).delete()

    async def close(self) -> None:
        await self.client.aclose()


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(raw)) if raw else None
    except ValueError:
        return None
