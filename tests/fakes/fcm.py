"""A fake FCM HTTP v1 server on loopback, with Google's OAuth 2.0 token endpoint.

    async with FakeFcmServer(rate_per_second=500) as fcm:
        path = fcm.write_credentials(tmp_path)   # a service-account JSON whose token_uri is ours
        token = fcm.device()                     # a registration token FCM knows
        fcm.unregister(token)                    # the app was uninstalled: 404 UNREGISTERED

`POST /token` takes the RS256-signed JWT bearer grant (RFC 7523) of the service account and
answers an access token; `POST /v1/projects/{project}/messages:send` checks the token, the
message (one target, string data, the 4,096-byte payload limit) and the rate, and answers
like FCM: the message name, or an error with its `google.firebase.fcm.v1.FcmError` code.
A message to a `topic` or a `condition` (at most five topics, `'a' in topics || ...`, with
`&&` and parentheses) reaches every device subscribed so that it holds.

The Instance ID API on the same server (`POST /iid/v1:batchAdd`, `/iid/v1:batchRemove`,
`{"to": "/topics/NAME", "registration_tokens": [...]}` with the access token and the
`access_token_auth: true` header, at most 1,000 tokens) subscribes and unsubscribes devices
and answers a result per token (`{}` or `{"error": "NOT_FOUND"}` and the like).
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ._server import FakeService

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
PAYLOAD_LIMIT = 4096
BATCH_TOKENS = 1000
CONDITION_TOPICS = 5
MAX_TOPICS = 2000  # topics one device may follow
_TOPIC = re.compile(r"^[A-Za-z0-9_.~%-]{1,900}$")
_FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class FcmFailure(Exception):
    def __init__(
        self, status: int, message: str, code: str | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.retry_after = status, message, code, retry_after

    def response(self) -> web.Response:
        error: dict[str, Any] = {
            "code": self.status,
            "message": self.message,
            "status": _STATUS.get(self.status, "UNKNOWN"),
        }
        if self.code:
            error["details"] = [{"@type": _FCM_ERROR, "errorCode": self.code}]
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
        return web.json_response({"error": error}, status=self.status, headers=headers)


class FakeFcmServer(FakeService):
    def __init__(
        self,
        *,
        project_id: str = "madoguchi-test",
        rate_per_second: int | None = None,
        token_seconds: int = 3600,
    ) -> None:
        self.project_id = project_id
        self.client_email = f"fcm-sender@{project_id}.iam.gserviceaccount.com"
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.rate_per_second = rate_per_second
        self.token_seconds = token_seconds
        self.devices: set[str] = set()
        self.unregistered: set[str] = set()
        self.received: Counter[str] = Counter()
        # What each device shows: one notification per collapse key (tag / apns-collapse-id).
        self.shown: dict[str, Counter[str]] = {}
        self.messages: list[dict[str, Any]] = []
        self.inbox: dict[str, list[dict[str, Any]]] = {}  # what each device received
        self.reached_at: dict[str, float] = {}  # when each device first received a message
        self.subscriptions: dict[str, set[str]] = {}  # topic -> tokens
        self.topic_requests = Counter()  # "batchAdd" / "batchRemove" -> requests
        # Sends whose request head arrived; of those, the ones whose client went before the
        # body was whole (FCM, like any HTTP server, acts only on a complete request).
        self.begun = 0
        self.abandoned = 0
        self.access_tokens: dict[str, float] = {}
        self.token_requests = 0
        self.refused = Counter()  # status -> count
        self._failures: deque[FcmFailure] = deque()
        self._window: deque[float] = deque()
        self._numbers = itertools.count(1)
        super().__init__()

    def _build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/token", self._token)
        app.router.add_post("/v1/projects/{project}/messages:send", self._send)
        app.router.add_post("/iid/v1:batchAdd", self._batch_add)
        app.router.add_post("/iid/v1:batchRemove", self._batch_remove)
        return app

    # --- what tests use ---------------------------------------------------------

    @property
    def token_uri(self) -> str:
        return f"{self.base_url}/token"

    def service_account(self) -> dict[str, str]:
        pem = self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        return {
            "type": "service_account",
            "project_id": self.project_id,
            "private_key_id": "fake",
            "private_key": pem,
            "client_email": self.client_email,
            "token_uri": self.token_uri,
        }

    def write_credentials(self, directory: Path) -> Path:
        path = Path(directory) / "fcm-service-account.json"
        path.write_text(json.dumps(self.service_account()), encoding="utf-8")
        return path

    def device(self) -> str:
        """A registration token as the app gets it from the FCM SDK."""
        token = f"{secrets.token_urlsafe(16)}:APA91b{secrets.token_urlsafe(104)}"
        self.devices.add(token)
        return token

    def unregister(self, token: str) -> None:
        self.unregistered.add(token)

    def expire_access_tokens(self) -> None:
        self.access_tokens.clear()

    def fail_next(
        self,
        *,
        times: int = 1,
        status: int = 503,
        code: str | None = "UNAVAILABLE",
        retry_after: int | None = None,
    ) -> None:
        for _ in range(times):
            self._failures.append(FcmFailure(status, "scripted failure", code, retry_after))

    def messages_to(self, token: str) -> list[dict[str, Any]]:
        """What the device received, directly or through its topics."""
        return list(self.inbox.get(token, ()))

    def topics_of(self, token: str) -> set[str]:
        return {topic for topic, tokens in self.subscriptions.items() if token in tokens}

    # --- HTTP -------------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.token_requests += 1
        if form.get("grant_type") != GRANT_TYPE:
            return _oauth_error("unsupported_grant_type")
        try:
            claims = jwt.decode(
                str(form.get("assertion", "")),
                self._key.public_key(),
                algorithms=["RS256"],
                audience=self.token_uri,
                options={"require": ["iss", "aud", "iat", "exp"]},
            )
        except jwt.PyJWTError as exc:
            return _oauth_error("invalid_grant", str(exc))
        if claims["iss"] != self.client_email or SCOPE not in str(claims.get("scope", "")).split():
            return _oauth_error("invalid_grant", "wrong issuer or scope")
        if claims["exp"] - claims["iat"] > 3600:
            return _oauth_error("invalid_grant", "assertion lives longer than an hour")
        token = f"ya29.{secrets.token_urlsafe(32)}"
        self.access_tokens[token] = time.time() + self.token_seconds
        return web.json_response(
            {"access_token": token, "expires_in": self.token_seconds, "token_type": "Bearer"}
        )

    async def _send(self, request: web.Request) -> web.Response:
        try:
            self._authorize(request)
            if request.match_info["project"] != self.project_id:
                raise FcmFailure(403, "SenderId mismatch", "SENDER_ID_MISMATCH")
            self.begun += 1
            try:
                raw = await request.read()
            except ConnectionResetError:
                self.abandoned += 1
                return web.Response(status=400)  # nobody is there to read it
            message = _message(raw)
            if self._failures:
                raise self._failures.popleft()
            self._take_rate()
            token = message.get("token")
            if token is not None:
                if token in self.unregistered:
                    raise FcmFailure(404, "Requested entity was not found.", "UNREGISTERED")
                if token not in self.devices:
                    raise FcmFailure(
                        400,
                        "The registration token is not a valid FCM registration token",
                        "INVALID_ARGUMENT",
                    )
                self._deliver(token, message)
            else:
                for device in self._audience(message):
                    self._deliver(device, message)
        except FcmFailure as failure:
            self.refused[failure.status] += 1
            return failure.response()
        self.messages.append(message)
        name = f"projects/{self.project_id}/messages/0:{next(self._numbers)}"
        return web.json_response({"name": name})

    def _deliver(self, token: str, message: dict[str, Any]) -> None:
        self.received[token] += 1
        self.reached_at.setdefault(token, time.monotonic())
        self.inbox.setdefault(token, []).append(message)
        tag = message.get("android", {}).get("notification", {}).get("tag")
        self.shown.setdefault(token, Counter())[tag or f"untagged-{len(self.messages)}"] += 1

    def _audience(self, message: dict[str, Any]) -> set[str]:
        """The devices a topic or condition message reaches."""
        if message.get("topic"):
            topic = str(message["topic"]).removeprefix("/topics/")
            return set(self.subscriptions.get(topic, ())) - self.unregistered
        condition = _Condition(str(message["condition"]))
        candidates = set().union(*(self.subscriptions.get(t, set()) for t in condition.topics))
        return {
            token
            for token in candidates - self.unregistered
            if condition.holds(
                lambda topic, token=token: token in self.subscriptions.get(topic, ())
            )
        }

    async def _batch_add(self, request: web.Request) -> web.Response:
        return await self._batch(request, "batchAdd")

    async def _batch_remove(self, request: web.Request) -> web.Response:
        return await self._batch(request, "batchRemove")

    async def _batch(self, request: web.Request, verb: str) -> web.Response:
        try:
            self._authorize(request)
            if request.headers.get("access_token_auth") != "true":
                raise FcmFailure(401, "access_token_auth header missing")
            try:
                body = json.loads(await request.read())
            except ValueError:
                raise FcmFailure(400, "Invalid JSON payload received.") from None
            topic, tokens = _batch_body(body)
        except FcmFailure as failure:
            self.refused[failure.status] += 1
            return web.json_response({"error": failure.message}, status=failure.status)
        self.topic_requests[verb] += 1
        members = self.subscriptions.setdefault(topic, set())
        results: list[dict[str, str]] = []
        for token in tokens:
            if token in self.unregistered:
                results.append({"error": "NOT_FOUND"})
            elif token not in self.devices:
                results.append({"error": "INVALID_ARGUMENT"})
            elif verb == "batchAdd" and len(self.topics_of(token)) >= MAX_TOPICS:
                results.append({"error": "TOO_MANY_TOPICS"})
            else:
                (members.add if verb == "batchAdd" else members.discard)(token)
                results.append({})
        return web.json_response({"results": results})

    def _authorize(self, request: web.Request) -> None:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ") if header.startswith("Bearer ") else ""
        if self.access_tokens.get(token, 0) <= time.time():
            raise FcmFailure(
                401, "Request had invalid authentication credentials.", "THIRD_PARTY_AUTH_ERROR"
            )

    def _take_rate(self) -> None:
        if self.rate_per_second is None:
            return
        now = time.monotonic()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        if len(self._window) >= self.rate_per_second:
            raise FcmFailure(429, "Quota exceeded.", "QUOTA_EXCEEDED", retry_after=1)
        self._window.append(now)


def _batch_body(body: Any) -> tuple[str, list[str]]:
    if not isinstance(body, dict):
        raise FcmFailure(400, "body must be an object")
    to, tokens = body.get("to"), body.get("registration_tokens")
    topic = to.removeprefix("/topics/") if isinstance(to, str) else ""
    if not isinstance(to, str) or not to.startswith("/topics/") or not _TOPIC.match(topic):
        raise FcmFailure(400, "Invalid topic name")
    if not isinstance(tokens, list) or not tokens or not all(isinstance(t, str) for t in tokens):
        raise FcmFailure(400, "registration_tokens must be a list of tokens")
    if len(tokens) > BATCH_TOKENS:
        raise FcmFailure(400, f"at most {BATCH_TOKENS} registration tokens")
    return topic, tokens


class _Condition:
    """An FCM condition: `'a' in topics`, joined with && and ||, in parentheses."""

    _PART = re.compile(r"\s*(?:'([A-Za-z0-9_.~%-]+)' in topics|(&&)|(\|\|)|(\()|(\)))")

    def __init__(self, text: str) -> None:
        self.parts: list[str] = []
        self.topics: list[str] = []
        position = 0
        while position < len(text.rstrip()):
            match = self._PART.match(text, position)
            if match is None:
                raise FcmFailure(400, "Invalid condition expression", "INVALID_ARGUMENT")
            topic, *operator = match.groups()
            if topic:
                self.topics.append(topic)
                self.parts.append("?" + topic)
            else:
                self.parts.append(next(o for o in operator if o))
            position = match.end()
        if not self.topics or len(self.topics) > CONDITION_TOPICS:
            raise FcmFailure(400, "a condition names 1 to 5 topics", "INVALID_ARGUMENT")
        self.holds(lambda topic: False)  # refuses a malformed expression now

    def holds(self, member) -> bool:
        parts, position = self.parts, 0

        def atom() -> bool:
            nonlocal position
            if position >= len(parts):
                raise FcmFailure(400, "Invalid condition expression", "INVALID_ARGUMENT")
            part = parts[position]
            position += 1
            if part == "(":
                value = either()
                if position >= len(parts) or parts[position] != ")":
                    raise FcmFailure(400, "Invalid condition expression", "INVALID_ARGUMENT")
                position += 1
                return value
            if not part.startswith("?"):
                raise FcmFailure(400, "Invalid condition expression", "INVALID_ARGUMENT")
            return member(part[1:])

        def both() -> bool:
            nonlocal position
            value = atom()
            while position < len(parts) and parts[position] == "&&":
                position += 1
                value = atom() and value
            return value

        def either() -> bool:
            nonlocal position
            value = both()
            while position < len(parts) and parts[position] == "||":
                position += 1
                value = both() or value
            return value

        result = either()
        if position != len(parts):
            raise FcmFailure(400, "Invalid condition expression", "INVALID_ARGUMENT")
        return result


def _oauth_error(error: str, description: str = "") -> web.Response:
    return web.json_response({"error": error, "error_description": description}, status=400)


def _message(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except ValueError:
        raise FcmFailure(400, "Invalid JSON payload received.") from None
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, dict):
        raise FcmFailure(400, "message is required", "INVALID_ARGUMENT")
    targets = [key for key in ("token", "topic", "condition") if message.get(key)]
    if len(targets) != 1:
        raise FcmFailure(400, "exactly one of token, topic or condition", "INVALID_ARGUMENT")
    data = message.get("data", {})
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise FcmFailure(400, "data values must be strings", "INVALID_ARGUMENT")
    payload = {k: message[k] for k in ("notification", "data") if k in message}
    if len(json.dumps(payload, ensure_ascii=False).encode()) > PAYLOAD_LIMIT:
        raise FcmFailure(400, "Message is too big", "INVALID_ARGUMENT")
    return message
