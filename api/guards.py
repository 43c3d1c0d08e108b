"""ASGI guards in front of the API: body size, CSRF for uploads, per-client rate limits."""

from __future__ import annotations

import json

from limits import RateLimitItemPerMinute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import ErrorCode
from core.i18n import normalize_language, t
from core.observability import count_error
from core.rate_limits import Counter

_READ = frozenset(
    {b"accept-language", b"content-type", b"apollo-require-preflight", b"content-length"}
)


def _headers(scope: Scope) -> dict[bytes, str]:
    """The few headers the guard reads (the first of each), in one pass over the request's."""
    found: dict[bytes, str] = {}
    for key, value in scope["headers"]:
        if key in _READ and key not in found:
            found[key] = value.decode("latin-1")
    return found


def _language(headers: dict[bytes, str]) -> str:
    return normalize_language(headers.get(b"accept-language"))


async def _send_error(send: Send, status: int, code: ErrorCode, message: str, headers=()) -> None:
    count_error(code.value)
    body = json.dumps(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code.value}}]},
        ensure_ascii=False,
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    pass


class RequestGuard:
    """Refuses oversized bodies, uploads without the CSRF header, and floods."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int,
        max_upload: int,
        per_minute: int,
        upload_paths: tuple[str, ...] = ("/graphql",),
        limited_prefixes: tuple[str, ...] = ("/graphql", "/open311", "/reports"),
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload
        self.upload_paths = upload_paths
        self.limited_prefixes = limited_prefixes
        # Two counters per client (the sliding-window approximation). A moving window keeps an
        # entry per request and its memory storage re-copies every client's list each 10 ms:
        # with thousands of residents asking at once that cost the API a fifth of its throughput.
        # Counted in Redis when the instances share one (core.rate_limits).
        self.limiter = Counter("sliding-window")
        self.limit = RateLimitItemPerMinute(per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        client = scope.get("client")
        key = client[0] if client else "local"
        limited = scope["path"].startswith(self.limited_prefixes)
        if limited and not await self.limiter.hit(self.limit, key):
            seconds = await self.limiter.seconds_to_reset(self.limit, key)
            message = t("error.rate_limited", _language(headers), seconds=seconds)
            retry = [(b"retry-after", str(seconds).encode())]
            await _send_error(send, 429, ErrorCode.RATE_LIMITED, message, retry)
            return
        content_type = headers.get(b"content-type", "").split(";")[0].strip().lower()
        is_upload = content_type == "multipart/form-data"
        preflight = headers.get(b"apollo-require-preflight", "").lower() == "true"
        if is_upload and scope["path"] in self.upload_paths and not preflight:
            message = t("error.csrf", _language(headers))
            await _send_error(send, 400, ErrorCode.BAD_QUERY, message)
            return
        limit = self.max_upload if is_upload else self.max_body
        declared = headers.get(b"content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            message = t("error.too_large", _language(headers), limit=limit)
            await _send_error(send, 413, ErrorCode.BAD_QUERY, message)
            return
        await self._call_counting(scope, receive, send, limit, headers)

    async def _call_counting(self, scope, receive, send, limit: int, headers) -> None:
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                message = t("error.too_large", _language(headers), limit=limit)
                await _send_error(send, 413, ErrorCode.BAD_QUERY, message)
