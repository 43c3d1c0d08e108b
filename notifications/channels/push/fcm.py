"""Push to the mobile app through FCM HTTP v1 (`projects/{id}/messages:send`), and the
Instance ID API (`iid/v1:batchAdd`, `:batchRemove`) that subscribes devices to topics.

FCM v1 takes one message per request; a batch is sent at once on pooled keep-alive
connections, as the Admin SDKs' multicast does. aiohttp rather than httpx: with dozens of
requests in flight httpx's pool cost about six times the CPU per request
(docs/benchmarks.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import aiohttp

from core.settings.delivery import DeliverySettings, FcmCredentials
from notifications.channels import (
    AddressGone,
    Gate,
    Outgoing,
    Rejected,
    RetryLater,
    TemporaryFailure,
    outside_gate,
    send_concurrently,
)
from notifications.channels.held_back import gate_answer, hold_back_last_byte
from notifications.channels.push.models import PushDevice
from notifications.channels.push.oauth import ServiceAccountTokens, TokenError
from notifications.models import Channel, Lane

IN_FLIGHT = 64
IID_BATCH = 1000  # tokens in one Instance ID batchAdd / batchRemove
_GONE_CODES = ("UNREGISTERED",)

_RETRY_CODES = ("UNAVAILABLE", "INTERNAL", "QUOTA_EXCEEDED")


def fcm_message(message: Outgoing, target: dict[str, str] | None = None) -> dict:
    """The message for one device (or the devices of a topic `condition`, in `target`). Its
    collapse key (tag on Android, apns-collapse-id on iOS) is the message's id (an alert's:
    the broadcast's): should it come twice, the device shows it once. A message with a
    `category` (the safety check's answers, docs/push.md) names it as the Android click
    action and the APNs category, so the app shows its buttons."""
    alert = message.lane == Lane.ALERT
    data = {**message.data, "link": message.link}
    collapse = (
        message.data.get("collapseKey")
        or message.data.get("notificationId")
        or str(message.delivery_id)
    )[:64]
    android_notification = {"tag": collapse}
    aps: dict = {}
    if category := message.data.get("category"):
        android_notification["click_action"] = category
        aps["category"] = category
    apns: dict = {
        "headers": {"apns-priority": "10" if alert else "5", "apns-collapse-id": collapse}
    }
    if aps:
        apns["payload"] = {"aps": aps}
    return {
        "message": {
            **(target or {"token": message.address}),
            "notification": {"title": message.title, "body": message.body[:1000]},
            "data": {key: str(value) for key, value in data.items()},
            "android": {
                "priority": "HIGH" if alert else "NORMAL",
                "collapse_key": collapse,
                "notification": android_notification,
            },
            "apns": apns,
        }
    }


def _error_code(status: int, text: str) -> tuple[str, str]:
    """(FCM error code or the status, message) from an error answer."""
    try:
        error = json.loads(text).get("error", {})
    except (ValueError, AttributeError):
        return str(status), text[:200]
    for detail in error.get("details") or []:
        if str(detail.get("@type", "")).endswith("FcmError") and detail.get("errorCode"):
            return detail["errorCode"], error.get("message", "")
    return str(error.get("status") or status), error.get("message", "")


class FcmChannel:
    channel = Channel.PUSH
    batch_size = 256

    def __init__(self, settings: DeliverySettings, credentials: FcmCredentials) -> None:
        self.settings = settings
        self._session: aiohttp.ClientSession | None = None
        self.tokens = ServiceAccountTokens(credentials, self.session)
        self.url = f"{settings.fcm_api_base}/v1/projects/{credentials.project_id}/messages:send"
        self.iid_url = f"{settings.fcm_iid_base}/iid/v1"

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=IN_FLIGHT),
                timeout=aiohttp.ClientTimeout(total=30, connect=5),
                middlewares=(hold_back_last_byte,),
            )
        return self._session

    def rate_per_second(self, lane: Lane) -> int:
        return self.settings.push_rate_per_second

    async def send_all(
        self, messages: Sequence[Outgoing], gate: Gate | None = None
    ) -> list[BaseException | None]:
        return await send_concurrently(self.send, messages, IN_FLIGHT, gate, at_write=True)

    async def send(self, message: Outgoing, target: dict[str, str] | None = None) -> None:
        """Send one message (to its device, or to `target`, a topic condition)."""
        token = await self._access_token()
        headers = {"Authorization": f"Bearer {token}"}
        try:
            async with self.session().post(
                self.url, json=fcm_message(message, target), headers=headers
            ) as response:
                status, text = response.status, await response.text()
                retry_after = _retry_after(response.headers.get("Retry-After", ""))
        except aiohttp.ClientConnectorError as exc:
            raise TemporaryFailure("fcm unreachable") from exc
        except aiohttp.ClientError as exc:
            if refused := gate_answer(exc):
                raise refused from exc
            raise  # the request may have been whole: its outcome is unknown
        if status == 200:
            return
        code, text = _error_code(status, text)
        if status == 401:
            self.tokens.forget(token)
            raise TemporaryFailure(f"fcm 401 {code}: {text}")
        if code in _GONE_CODES:
            raise AddressGone(f"fcm {code}")
        if status == 429 or code in _RETRY_CODES or status >= 500:
            if retry_after is not None:
                raise RetryLater(retry_after, f"fcm {status} {code}")
            raise TemporaryFailure(f"fcm {status} {code}: {text}")
        raise Rejected(f"fcm {status} {code}: {text}")

    async def _access_token(self) -> str:
        try:
            with outside_gate():
                return await self.tokens.token()
        except TokenError as exc:
            raise TemporaryFailure(f"fcm: {exc}") from exc

    async def send_to_condition(self, message: Outgoing, condition: str) -> None:
        await self.send(message, {"condition": condition})

    async def subscribe(self, topic: str, tokens: Sequence[str]) -> list[str]:
        """Add the devices to a topic (Instance ID batchAdd, up to 1,000 a request); the
        error per token, "" where it worked."""
        return await self._batch("batchAdd", topic, tokens)

    async def unsubscribe(self, topic: str, tokens: Sequence[str]) -> list[str]:
        return await self._batch("batchRemove", topic, tokens)

    async def _batch(self, verb: str, topic: str, tokens: Sequence[str]) -> list[str]:
        errors: list[str] = []
        for start in range(0, len(tokens), IID_BATCH):
            chunk = list(tokens[start : start + IID_BATCH])
            errors += await self._batch_request(verb, topic, chunk)
        return errors

    async def _batch_request(self, verb: str, topic: str, tokens: list[str]) -> list[str]:
        token = await self._access_token()
        headers = {"Authorization": f"Bearer {token}", "access_token_auth": "true"}
        body = {"to": f"/topics/{topic}", "registration_tokens": tokens}
        try:
            async with self.session().post(
                f"{self.iid_url}:{verb}", json=body, headers=headers
            ) as response:
                status, text = response.status, await response.text()
        except aiohttp.ClientError as exc:
            raise TemporaryFailure(f"instance id unreachable: {type(exc).__name__}") from exc
        if status == 401:
            self.tokens.forget(token)
        if status != 200:
            raise TemporaryFailure(f"instance id {verb} {status}: {text[:200]}")
        results = json.loads(text).get("results") or []
        if len(results) != len(tokens):
            raise TemporaryFailure(f"instance id {verb}: {len(results)} results")
        return [str(result.get("error", "")) for result in results]

    async def address_gone(self, resident_id: int, address: str) -> None:
        await PushDevice.filter(token=address).delete()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def _retry_after(raw: str) -> float | None:
    try:
        return max(0.0, float(raw)) if raw else None
    except ValueError:
        return None
