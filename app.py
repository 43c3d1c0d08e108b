"""The Madoguchi ASGI app: routes, and a lifespan that runs the database, bot and workers.

`python app.py` serves it, like `madoguchi serve`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import logging.config
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route, WebSocketRoute
from tortoise import Tortoise
from tortoise.contrib.starlette import RegisterTortoise
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import demo
import payments.routes
from api.boundary import ErrorBoundary, http_exception_handler
from api.executor import Executor
from api.guards import RequestGuard
from api.http import DirectJSONPosts, GraphQLApp
from api.observability import ObservedRequests, healthz, metrics, readiness
from api.openapi import openapi_document
from api.schema import build_schema
from api.schema import schema as default_schema
from applications import worker as applications_worker
from applications.attachments.service import attachment_storage
from applications.routes import routes as application_routes
from booking.worker import BookingWorker
from core import database
from core.foreground import Foreground
from core.instances import multiprocess_metrics, redis_client, shared_services
from core.observability import logging_config
from core.settings import Settings, load_settings
from core.urls import base_url
from disaster import hooks as disaster_hooks
from disaster.mode import runtime as disaster_runtime
from geo import runtime as geo_runtime
from geo.operation.routes import routes as shelter_routes
from notifications.alerts.routes import routes as alert_routes
from notifications.channels.setup import channels_for
from notifications.routes import routes as notification_routes
from notifications.worker import OutboxWorker
from payments.gateway import close_for as close_payment_gateway
from reports.geocoding import AddressWorker, geocoder_for
from reports.intake import photo_storage
from reports.open311.routes import PREFIX as OPEN311_PREFIX
from reports.open311.routes import error_shape as open311_error_shape
from reports.photos import sweep as photo_sweep
from reports.routes import routes as report_routes
from web.routes import routes as web_routes

log = logging.getLogger("madoguchi")
ROUND_GRACE_SECONDS = 10.0

# What domains run while the app runs, entered after migrations and demo data, left in reverse
# order at shutdown: (settings, start_workers) -> an async context manager.
DomainLifespan = Callable[[Settings, bool], AbstractAsyncContextManager[Any]]
# This process's own state, which its requests are answered from: in every `serve` process,
# kept current by its loops unless start_workers is off (a quiet app in a test).
SERVING_LIFESPANS: list[DomainLifespan] = [
    geo_runtime.app_lifespan,
    disaster_runtime.app_lifespan,
]
# Jobs shared by all instances (a lease gives each round to one of them): where the shared
# loops run (`serve` with RUN_WORKERS on, `madoguchi work`).
SHARED_LIFESPANS: list[DomainLifespan] = [
    applications_worker.app_lifespan,
    photo_sweep.app_lifespan,
]


@dataclass
class Services:
    """What the lifespan starts; tests reach the parts through `app.state.services`."""

    settings: Settings
    executor: Executor
    outbox: OutboxWorker
    booking: BookingWorker
    foreground: Foreground
    bot: Any = None
    tasks: list[asyncio.Task] = field(default_factory=list)
    outbox_task: asyncio.Task | None = None  # among `tasks`: stopped with a grace of its own


async def openapi_json(request: Request) -> JSONResponse:
    return JSONResponse(openapi_document(base_url(request.app.state.services.settings, request)))


async def telegram_webhook(request: Request) -> JSONResponse:
    bot = request.app.state.services.bot
    if bot is None:
        return JSONResponse({"ok": False}, status_code=404)
    return await bot.webhook(request)


def _start_bot(settings: Settings, executor: Executor):
    from bots.dispatcher import TelegramBot

    return TelegramBot(settings, executor)


@contextlib.asynccontextmanager
async def _running(
    app: Starlette, settings: Settings, *, serving: bool, start_workers: bool
) -> AsyncIterator[None]:
    """Database, shared services, then what this process does: answer requests and the bot's
    updates (`serving`), and the shared loops (where start_workers and RUN_WORKERS say so)."""
    config = database.tortoise_config(
        settings.database_url, settings.db_pool_min, settings.db_pool_max
    )
    if settings.migrate_on_start:
        await database.migrate(config)
        await Tortoise.close_connections()
    if not settings.stripe_api_key:
        log.warning("STRIPE_API_KEY is not set: online payment is off (checkout answers so)")
    async with RegisterTortoise(app, config=config), contextlib.AsyncExitStack() as parts:
        if settings.seed_demo:
            async with database.exclusive(config, "seed"):  # instances starting together
                if await demo.is_empty():
                    await demo.seed(lambda line: log.info("demo: %s", line))
        await parts.enter_async_context(shared_services(settings))
        services: Services = app.state.services
        if serving:
            for domain_lifespan in SERVING_LIFESPANS:
                await parts.enter_async_context(domain_lifespan(settings, start_workers))
        telegram = await parts.enter_async_context(_telegram(services, settings, serving))
        # RUN_WORKERS says what a serving process does; `work` shares its environment.
        run_shared = start_workers and (settings.deployment.run_workers or not serving)
        await parts.enter_async_context(_shared_loops(services, telegram, run=run_shared))
        with _tuned_interpreter():
            yield


# How long a thread may hold the interpreter lock while another waits for it (Python's default
# is 5 ms). See _tuned_interpreter.
SWITCH_INTERVAL = 0.0001


@contextlib.contextmanager
def _tuned_interpreter() -> Iterator[None]:
    """The interpreter set for a long-lived server, while the app runs.

    - What start-up built lives as long as the process: frozen, the collector's full passes
      skip it. Unfrozen, each full pass walked it while requests waited (500 ms at a time
      during a broadcast).
    - The threads beside the event loop (aiosqlite's, to_thread's) take the interpreter lock
      back after each step of a query. While the loop is busy they waited up to the switch
      interval each time: at 5 ms a SQLite query waited seconds behind a full loop, and an
      alert's rounds stalled (bench/sqlite_busy_loop.py)."""
    switch_interval = sys.getswitchinterval()
    gc.freeze()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(switch_interval)
        gc.unfreeze()


@contextlib.asynccontextmanager
async def _telegram(services: Services, settings: Settings, serving: bool) -> AsyncIterator[Any]:
    """The aiogram Bot that sends notifications, or None. A serving process runs the whole bot
    (updates by webhook or polling); a worker only sends, so another process keeps the updates."""
    if not settings.bot_enabled:
        yield None
    elif serving:
        services.bot = _start_bot(settings, services.executor)
        await services.bot.start()
        try:
            yield services.bot.bot
        finally:
            await services.bot.stop()
    else:
        from bots.dispatcher import create_bot

        bot = create_bot(settings)
        try:
            yield bot
        finally:
            await bot.session.close()


@contextlib.asynccontextmanager
async def _shared_loops(services: Services, telegram_bot: Any, *, run: bool) -> AsyncIterator[None]:
    """The outbox on every configured channel, booking's jobs, address lookups and the domains'
    jobs (SHARED_LIFESPANS). With `run` off the channels are still set up: another process, or
    a test calling `run_once`, does the rounds."""
    settings = services.settings
    for sender in channels_for(settings, telegram_bot=telegram_bot):
        services.outbox.add(sender)
    async with contextlib.AsyncExitStack() as jobs:
        jobs.push_async_callback(close_payment_gateway, settings)
        jobs.push_async_callback(services.outbox.close)
        for domain_lifespan in SHARED_LIFESPANS:
            await jobs.enter_async_context(domain_lifespan(settings, run))
        if run:
            services.tasks.extend(_shared_tasks(services))
        try:
            yield
        finally:
            await _stop_tasks(services)


def _shared_tasks(services: Services) -> list[asyncio.Task]:
    services.outbox_task = asyncio.create_task(services.outbox.run(), name="outbox")
    tasks = [services.outbox_task, asyncio.create_task(services.booking.run(), name="booking")]
    geocoder = geocoder_for(services.settings.nominatim_url)
    if geocoder is not None:
        tasks.append(asyncio.create_task(AddressWorker(geocoder).run(), name="addresses"))
    return tasks


async def _stop_tasks(services: Services) -> None:
    """The outbox finishes the rounds it has in flight (at most ROUND_GRACE_SECONDS: a kill
    is safe too, its leases lapse); the other loops stop where they are."""
    services.outbox.stop()
    if services.outbox_task is not None:
        await asyncio.wait([services.outbox_task], timeout=ROUND_GRACE_SECONDS)
    for task in services.tasks:
        task.cancel()
    await asyncio.gather(*services.tasks, return_exceptions=True)


def create_app(
    settings: Settings | None = None, *, schema: Any = None, start_workers: bool = True
) -> Starlette:
    settings = settings or load_settings()
    if schema is None:
        schema = (
            default_schema if settings.graphql_introspection else build_schema(introspection=False)
        )
    disaster_hooks.install()
    graphql_app = GraphQLApp(schema, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with _running(app, settings, serving=True, start_workers=start_workers):
            yield

    graphql_route = Route("/graphql", graphql_app, methods=["GET", "POST"])
    routes: list[BaseRoute] = [
        graphql_route,  # first: the router tries routes in order
        Route("/healthz", healthz),
        Route("/readyz", readiness(_readiness_checks(settings))),
        Route("/metrics", metrics),
        Route("/openapi.json", openapi_json, methods=["GET"]),
        WebSocketRoute("/graphql", graphql_app),
        Route("/telegram/webhook", telegram_webhook, methods=["POST"]),
        *payments.routes.routes,
        *report_routes,
        *notification_routes,
        *application_routes,
        *alert_routes,
        *shelter_routes,
        *web_routes,
    ]
    if not settings.deployment.metrics:
        routes = [route for route in routes if getattr(route, "path", "") != "/metrics"]
    error_shapes = [(OPEN311_PREFIX, open311_error_shape)]
    app = Starlette(
        debug=False,
        exception_handlers={HTTPException: http_exception_handler(error_shapes)},
        routes=routes,
        lifespan=lifespan,
    )
    app.state.services = _services(settings, schema)
    app.add_middleware(DirectJSONPosts, route=graphql_route, router=app.router)  # innermost
    app.add_middleware(
        RequestGuard,
        max_body=settings.max_body_bytes,
        max_upload=settings.max_upload_bytes,
        per_minute=settings.rate_limit_per_minute,
    )
    if settings.trusted_proxies:  # before the rate limit, which counts per client address
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    # outside the guard: counts its refusals; the outbox gives way to the requests it counts
    app.add_middleware(ObservedRequests, routes=routes, foreground=app.state.services.foreground)
    app.add_middleware(ErrorBoundary, shapes=error_shapes)  # added last: the outermost
    return app


def _services(settings: Settings, schema: Any) -> Services:
    foreground = Foreground(settings.deployment.background_give_way)
    return Services(
        settings=settings,
        executor=Executor(schema, settings),
        outbox=OutboxWorker(settings=settings.delivery, foreground=foreground),
        booking=BookingWorker(settings),
        foreground=foreground,
    )


@contextlib.asynccontextmanager
async def working(settings: Settings) -> AsyncIterator[Services]:
    """The shared loops without an HTTP server or the bot's updates: what `madoguchi work`
    runs until it is stopped."""
    disaster_hooks.install()  # the safety check's buttons on the alerts it sends
    process = Starlette()  # no routes: what the set-up keeps its state on
    process.state.services = services = _services(settings, default_schema)
    async with _running(process, settings, serving=False, start_workers=True):
        names = ", ".join(task.get_name() for task in services.tasks)
        log.info("working: %s (at nice %d)", names, os.nice(0))
        yield services


def _readiness_checks(settings: Settings) -> dict[str, Callable[[], Any]]:
    """What /readyz asks: every part this instance needs to serve a request."""
    photos, attachments = photo_storage(settings), attachment_storage(settings)

    async def storage() -> bool:
        return await photos.is_reachable() and await attachments.is_reachable()

    checks: dict[str, Callable[[], Any]] = {
        "database": database.is_reachable,
        "migrations": database.migrations_current,
        "storage": storage,
    }
    if settings.deployment.uses_redis:
        checks["redis"] = redis_client.is_reachable
    return checks


class ServeRefused(Exception):
    """`serve` or `work` cannot run as asked; the message says why in one line."""


def work(settings: Settings | None = None) -> None:
    """Run the shared loops until SIGTERM or Ctrl-C (PostgreSQL only): rounds in flight
    finish, leases are handed back."""
    settings = settings or load_settings()
    if settings.is_sqlite:
        raise ServeRefused(
            "work needs PostgreSQL (DATABASE_URL=postgres://…): a SQLite file is written by "
            "one process; on SQLite `madoguchi serve` runs the workers itself"
        )
    logging.config.dictConfig(logging_config(settings.deployment.log_format))
    if settings.deployment.worker_nice:
        os.nice(settings.deployment.worker_nice)
    asyncio.run(_work_until_stopped(settings))


async def _work_until_stopped(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    async with working(settings):
        await stop.wait()
        log.info("stopping: letting the rounds in flight finish")


def serve(settings: Settings | None = None, *, workers: int = 1) -> None:
    """Serve on HOST:PORT; with ``workers`` > 1, that many processes (PostgreSQL only).

    On SIGTERM or Ctrl-C each process stops accepting, lets the requests it has in flight
    finish (up to SHUTDOWN_GRACE_SECONDS), closes WebSockets with 1012 (service restart:
    clients reconnect, to another instance behind a load balancer), then stops its workers.
    """
    import uvicorn

    settings = settings or load_settings()
    if workers > 1 and settings.is_sqlite:
        raise ServeRefused(
            "--workers needs PostgreSQL (DATABASE_URL=postgres://…): "
            "a SQLite file is written by one process; run one process on SQLite"
        )
    log_config = logging_config(settings.deployment.log_format)
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        # X-Forwarded-For is read by the app, from TRUSTED_PROXIES only (uvicorn's own reading
        # would trust 127.0.0.1 by default: any local client could claim any address).
        "proxy_headers": False,
        "log_config": log_config,
        "ws": "websockets-sansio",
        "access_log": False,  # ObservedRequests writes one, with the request id
        "timeout_graceful_shutdown": settings.deployment.shutdown_grace_seconds,
    }
    if workers == 1:
        logging.config.dictConfig(log_config)
        uvicorn.run(create_app(settings), **options)
        return
    with multiprocess_metrics():  # before the workers start: they read it when they import
        uvicorn.run("app:create_app", factory=True, workers=workers, **options)


if __name__ == "__main__":
    import sys

    from core.settings import SettingsError

    try:
        serve()
    except (SettingsError, ServeRefused) as error:
        sys.exit(f"configuration error: {error}")
