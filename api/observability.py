"""What a load balancer and a monitoring system ask of an instance: is it alive, is it ready,
and how is it doing.

- `ObservedRequests` (ASGI middleware) gives each request its id for the logs, counts and
  times it by route template and GraphQL operation name, and writes one access line with
  its id (route template, not path; no client address: no personal data in the log).
- `/healthz`: the process answers and its database does (liveness).
- `/readyz`: database, migrations, Redis and file storage all usable (send traffic here).
- `/metrics`: Prometheus text format; in multiprocess mode the samples of every worker process.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core import database
from core.foreground import Foreground
from core.observability import (
    LATENCY,
    REQUESTS,
    WEBSOCKETS,
    queue_readers,
    request_id_var,
)

access_log = logging.getLogger("madoguchi.access")

_OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_DOCUMENT_NAME = re.compile(
    r"^\s*(?:#[^\n]*\n\s*)*(?:query|mutation|subscription)\s+([A-Za-z_]\w*)"
)
_MAX_OPERATION_LABELS = 256
_seen_operations: set[str] = set()
# The labels of the request being answered, filled in by the endpoints that know them.
_labels: ContextVar[dict[str, str] | None] = ContextVar("request_labels", default=None)

Check = Callable[[], Awaitable[bool]]


def operation_label(name: object, query: object = None) -> str:
    """A bounded label: the operation's name, else the document's first, else "-"; a name a
    process has not seen before once it knows 256 becomes "other" (clients choose names)."""
    if not isinstance(name, str) or not name:
        found = _DOCUMENT_NAME.match(query) if isinstance(query, str) else None
        name = found.group(1) if found else ""
    if not name:
        return "-"
    if _OPERATION_NAME.fullmatch(name) is None:
        return "other"
    if name not in _seen_operations:
        if len(_seen_operations) >= _MAX_OPERATION_LABELS:
            return "other"
        _seen_operations.add(name)
    return name


def note_operation(name: object, query: object = None) -> None:
    """Called by the GraphQL endpoint once it knows which operation a request runs."""
    labels = _labels.get()
    if labels is not None:
        labels["operation"] = operation_label(name, query)


def _route_templates(routes: Iterable[BaseRoute]) -> dict[int, str]:
    templates: dict[int, str] = {}
    for route in routes:
        if isinstance(route, (Route, WebSocketRoute)):
            templates[id(route.endpoint)] = route.path
        elif isinstance(route, Mount):
            templates[id(route.app)] = route.path + "/…"
    return templates


class ObservedRequests:
    def __init__(
        self, app: ASGIApp, *, routes: Iterable[BaseRoute], foreground: Foreground | None = None
    ) -> None:
        self.app = app
        self.templates = _route_templates(routes)
        self.foreground = foreground or Foreground()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        request_id = state.get("request_id") or uuid.uuid4().hex[:12]
        state["request_id"] = request_id
        token = request_id_var.set(request_id)
        try:
            if scope["type"] == "websocket":
                await self._websocket(scope, receive, send)
            else:
                with self.foreground.answering():
                    await self._http(scope, receive, send)
        finally:
            request_id_var.reset(token)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        WEBSOCKETS.inc()
        try:
            await self.app(scope, receive, send)
        finally:
            WEBSOCKETS.dec()

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500
        labels = {"operation": "-"}
        token = _labels.set(labels)

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            _labels.reset(token)
            endpoint = scope.get("endpoint")
            route = self.templates.get(id(endpoint), "unmatched") if endpoint else "unmatched"
            operation = labels["operation"]
            seconds = time.perf_counter() - started
            _counted(route, scope["method"], status, operation, seconds)
            access_log.info(
                "%s %s %s %s %.1f ms", scope["method"], route, operation, status, seconds * 1000
            )


# Each label set's metric children, looked up once: `labels()` checks and locks at every call.
# Label sets are bounded (route templates, methods, statuses, operation labels).
_children: dict[tuple[str, str, int, str], tuple[Any, Any]] = {}
_MAX_CHILDREN = 4096


def _counted(route: str, method: str, status: int, operation: str, seconds: float) -> None:
    key = (route, method, status, operation)
    children = _children.get(key)
    if children is None:
        children = (
            REQUESTS.labels(route, method, str(status), operation),
            LATENCY.labels(route, operation),
        )
        if len(_children) < _MAX_CHILDREN:
            _children[key] = children
    children[0].inc()
    children[1].observe(seconds)


# --- /healthz and /readyz ------------------------------------------------------------------------


async def healthz(request: Request) -> JSONResponse:
    if await database.is_reachable():
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "database unreachable"}, status_code=503)


async def _checked(check: Check, timeout: float) -> bool:
    try:
        return await asyncio.wait_for(check(), timeout)
    except Exception:  # noqa: BLE001 - a check that fails or hangs says "not ready"
        return False


def readiness(checks: dict[str, Check], *, timeout: float = 3.0):
    """The /readyz endpoint: 200 when every check passes, else 503 naming what failed."""

    async def readyz(request: Request) -> JSONResponse:
        names = list(checks)
        results = await asyncio.gather(*(_checked(checks[name], timeout) for name in names))
        outcome = {name: "ok" if passed else "failed" for name, passed in zip(names, results)}
        ready = all(results)
        body = {"status": "ready" if ready else "not ready", "checks": outcome}
        return JSONResponse(body, status_code=200 if ready else 503)

    return readyz


# --- /metrics ------------------------------------------------------------------------------------


class _Readings:
    """The values read for this scrape (queues from the database), as a collector."""

    def __init__(self, families: list[Any]) -> None:
        self.families = families

    def collect(self) -> list[Any]:
        return self.families


async def _queue_families() -> list[Any]:
    depth = GaugeMetricFamily(
        "madoguchi_queue_depth", "Items waiting in a work queue.", labels=["queue"]
    )
    age = GaugeMetricFamily(
        "madoguchi_queue_oldest_age_seconds",
        "How long the oldest due item of a queue has waited.",
        labels=["queue"],
    )
    for name, reader in sorted(queue_readers().items()):
        reading = await reader()
        depth.add_metric([name], reading.depth)
        age.add_metric([name], reading.oldest_age_seconds)
    return [depth, age]


async def metrics(request: Request) -> Response:
    multiprocess_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if multiprocess_dir:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=multiprocess_dir)
    else:
        registry = REGISTRY
    await database.sample_pool()
    body = generate_latest(registry)
    readings = CollectorRegistry(auto_describe=False)
    readings.register(_Readings(await _queue_families()))
    body += generate_latest(readings)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
