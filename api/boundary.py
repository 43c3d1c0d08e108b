"""The outermost layer of every HTTP request: a request id, and no unexplained 500.

Each request gets an id (the client's `X-Request-Id` when it is a plain token, else a
new one), kept in `scope["state"]` for the GraphQL context and the logs, and sent back
in the `X-Request-Id` header. An exception that reaches this layer is either bad input
(core.bad_input names its code: answered 400 or 404) or a fault of ours: logged with the
request id and answered 500 with the masked INTERNAL error, never a stack trace.
A query string or path with control characters (a NUL byte, …) is refused here for every
route, before any reader sees it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import secrets
from collections.abc import Callable, Sequence
from urllib.parse import unquote_to_bytes

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import api.texts  # noqa: F401 - registers the texts
from core.bad_input import as_app_error
from core.errors import AppError, ErrorCode, invalid
from core.i18n import normalize_language
from core.text_input import has_control_characters

log = logging.getLogger("madoguchi.http")

_CLIENT_ID = re.compile(r"^[A-Za-z0-9._-]{6,64}$")
STATUS_BY_CODE = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.CONFLICT: 409,
    ErrorCode.SLOT_TAKEN: 409,
    ErrorCode.PAYMENT_UNAVAILABLE: 503,
    ErrorCode.PAYMENT_NOT_CONFIGURED: 503,
    ErrorCode.INTERNAL: 500,
}


def new_request_id() -> str:
    # Twelve random hex digits, as uuid4().hex[:12] gave, without building a UUID per request.
    return secrets.token_hex(6)


def request_id_of(scope: Scope) -> str:
    """The id the boundary gave this request (a new one outside it, e.g. in-process calls)."""
    state = scope.get("state") or {}
    return state.get("request_id") or new_request_id()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def language_of(scope: Scope) -> str:
    return normalize_language(_header(scope, b"accept-language"))


# How a surface writes an error: (status, error, scope, request id) -> the response.
ErrorShape = Callable[[int, AppError, Scope, str], Response]


def error_body(error: AppError, language: str, request_id: str) -> dict:
    extensions: dict[str, str] = {"code": error.code.value}
    if error.field:
        extensions["field"] = error.field
    if error.code is ErrorCode.INTERNAL:
        extensions["requestId"] = request_id
    message = error.localized(language)
    return {"data": None, "errors": [{"message": message, "extensions": extensions}]}


def json_error(status: int, error: AppError, scope: Scope, request_id: str) -> Response:
    body = error_body(error, language_of(scope), request_id)
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(content, status_code=status, media_type="application/json")


def internal_error(request_id: str) -> AppError:
    return AppError(ErrorCode.INTERNAL, "error.internal", request_id=request_id)


def _unreadable_target(scope: Scope) -> bool:
    raw = scope.get("query_string", b"") + b" " + scope.get("raw_path", b"")
    if b"%" not in raw:
        return has_control_characters(raw.decode("latin-1"))
    return has_control_characters(unquote_to_bytes(raw).decode("utf-8", "replace"))


class ErrorBoundary:
    """`shapes` gives path prefixes their own error shape (Open311's); JSON otherwise."""

    def __init__(self, app: ASGIApp, shapes: Sequence[tuple[str, ErrorShape]] = ()) -> None:
        self.app = app
        self.shapes = tuple(shapes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = _header(scope, b"x-request-id")
        request_id = given if given and _CLIENT_ID.match(given) else new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        if scope["type"] == "websocket":
            await self._call_websocket(scope, receive, send, request_id)
            return
        if _unreadable_target(scope):
            error = invalid("error.control_characters", field="query")
            await self._send(scope, receive, send, 400, error, request_id)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # the boundary: nothing may pass unanswered
            if started:
                log.error("failed after answering (request %s)", request_id, exc_info=exc)
                return
            coded = as_app_error(exc)
            if coded is None:
                log.error(
                    "unexpected error in %s %s (request %s)",
                    scope.get("method"),
                    scope.get("path"),
                    request_id,
                    exc_info=exc,
                )
                coded = internal_error(request_id)
            status = STATUS_BY_CODE.get(coded.code, 400)
            await self._send(scope, receive, send, status, coded, request_id)

    async def _call_websocket(
        self, scope: Scope, receive: Receive, send: Send, request_id: str
    ) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as exc:  # logged, and the socket closed as an error
            log.error("websocket failed (request %s)", request_id, exc_info=exc)
            with contextlib.suppress(Exception):  # the socket may be gone already
                await send({"type": "websocket.close", "code": 1011})

    async def _send(
        self, scope: Scope, receive: Receive, send: Send, status: int, error: AppError, rid: str
    ) -> None:
        response = shape_for(self.shapes, scope.get("path", ""))(status, error, scope, rid)
        response.headers["x-request-id"] = rid
        await response(scope, receive, send)


def shape_for(shapes: Sequence[tuple[str, ErrorShape]], path: str) -> ErrorShape:
    for prefix, shape in shapes:
        if path.startswith(prefix):
            return shape
    return json_error


def http_exception_handler(
    shapes: Sequence[tuple[str, ErrorShape]],
) -> Callable[[Request, Exception], Response]:
    """Starlette's own 404 and 405 (no route, wrong method), in the surface's shape."""

    def handle(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 404:
            error = AppError(ErrorCode.NOT_FOUND, "error.not_found_route")
        elif status == 405:
            error = AppError(ErrorCode.BAD_QUERY, "error.method_not_allowed")
        else:
            error = AppError(ErrorCode.BAD_QUERY, "error.transport.bad_request")
        rid = request_id_of(request.scope)
        response = shape_for(shapes, request.url.path)(status, error, request.scope, rid)
        for name, value in (getattr(exc, "headers", None) or {}).items():
            response.headers[name] = value
        return response

    return handle
