"""The Madoguchi ASGI app: routes, and a lifespan that runs the database, bot and workers.

`python app.py` serves it, like `madoguchi serve`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from tortoise import Tortoise
from tortoise.contrib.starlette import RegisterTortoise
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import demo
import payments.routes
from api.boundary import ErrorBoundary, http_exception_handler
from api.executor import Executor
from api.guards import RequestGuard
from api.http import GraphQLApp
from api.openapi import openapi_document
from api.schema import build_schema
from api.schema import schema as default_schema
from applications import worker as applications_worker
from applications.routes import routes as application_routes
from booking.worker import BookingWorker
from core import database
from core.settings import Settings, load_settings
from core.urls import base_url
from geo import runtime as geo_runtime
from notifications.alerts.routes import routes as alert_routes
from notifications.channels.setup import channels_for
from notifications.routes import routes as notification_routes
from notifications.worker import OutboxWorker
from payments.gateway import close_for as close_payment_gateway
from reports.geocoding import AddressWorker, geocoder_for
from reports.open311.routes import PREFIX as OPEN311_PREFIX
from reports.open311.routes import error_shape as open311_error_shape
from reports.photos import sweep as photo_sweep
from reports.routes import routes as report_routes
from web.routes import routes as web_routes

log = logging.getLogger("madoguchi")

# What domains run while the app runs, entered after migrations and demo data, left in reverse
# order at shutdown: (settings, start_workers) -> an async context manager.
DomainLifespan = Callable[[Settings, bool], AbstractAsyncContextManager[Any]]
DOMAIN_LIFESPANS: list[DomainLifespan] = [
    geo_runtime.app_lifespan,
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
    bot: Any = None
    tasks: list[asyncio.Task] = field(default_factory=list)


async def healthz(request: Request) -> JSONResponse:
    if await database.is_reachable():
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "database unreachable"}, status_code=503)


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
    app: Starlette, settings: Settings, *, start_workers: bool
) -> AsyncIterator[None]:
    config = database.tortoise_config(
        settings.database_url, settings.db_pool_min, settings.db_pool_max
    )
    await database.migrate(config)
    await Tortoise.close_connections()
    if not settings.stripe_api_key:
        log.warning("STRIPE_API_KEY is not set: online payment is off (checkout answers so)")
    async with RegisterTortoise(app, config=config), contextlib.AsyncExitStack() as domains:
        if settings.seed_demo and await demo.is_empty():
            await demo.seed(lambda line: log.info("demo: %s", line))
        services: Services = app.state.services
        for domain_lifespan in DOMAIN_LIFESPANS:
            await domains.enter_async_context(domain_lifespan(settings, start_workers))
        if settings.bot_enabled:
            services.bot = _start_bot(settings, services.executor)
            await services.bot.start()
        for sender in channels_for(settings, telegram_bot=services.bot and services.bot.bot):
            services.outbox.add(sender)
        if start_workers:
            services.tasks.append(asyncio.create_task(services.outbox.run(), name="outbox"))
            services.tasks.append(asyncio.create_task(services.booking.run(), name="booking"))
            geocoder = geocoder_for(settings.nominatim_url)
            if geocoder is not None:
                addresses = AddressWorker(geocoder).run()
                services.tasks.append(asyncio.create_task(addresses, name="addresses"))
        try:
            yield
        finally:
            for task in services.tasks:
                task.cancel()
            await asyncio.gather(*services.tasks, return_exceptions=True)
            if services.bot is not None:
                await services.bot.stop()
            await services.outbox.close()
            await close_payment_gateway(settings)


def create_app(
    settings: Settings | None = None, *, schema: Any = None, start_workers: bool = True
) -> Starlette:
    settings = settings or load_settings()
    if schema is None:
        schema = (
            default_schema if settings.graphql_introspection else build_schema(introspection=False)
        )
    graphql_app = GraphQLApp(schema, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with _running(app, settings, start_workers=start_workers):
            yield

    error_shapes = [(OPEN311_PREFIX, open311_error_shape)]
    app = Starlette(
        debug=False,
        exception_handlers={HTTPException: http_exception_handler(error_shapes)},
        routes=[
            Route("/healthz", healthz),
            Route("/openapi.json", openapi_json, methods=["GET"]),
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql_app),
            Route("/telegram/webhook", telegram_webhook, methods=["POST"]),
            *payments.routes.routes,
            *report_routes,
            *notification_routes,
            *application_routes,
            *alert_routes,
            *web_routes,
        ],
        lifespan=lifespan,
    )
    app.state.services = Services(
        settings=settings,
        executor=Executor(schema, settings),
        outbox=OutboxWorker(settings=settings.delivery),
        booking=BookingWorker(settings),
    )
    app.add_middleware(
        RequestGuard,
        max_body=settings.max_body_bytes,
        max_upload=settings.max_upload_bytes,
        per_minute=settings.rate_limit_per_minute,
    )
    if settings.trusted_proxies:  # before the rate limit, which counts per client address
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    app.add_middleware(ErrorBoundary, shapes=error_shapes)  # added last: the outermost
    return app


def serve(settings: Settings | None = None) -> None:
    import uvicorn

    settings = settings or load_settings()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # X-Forwarded-For is read by the app, from TRUSTED_PROXIES only (uvicorn's own reading
    # would trust 127.0.0.1 by default: any local client could claim any address).
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, proxy_headers=False)


if __name__ == "__main__":
    import sys

    from core.settings import SettingsError

    try:
        serve()
    except SettingsError as error:
        sys.exit(f"configuration error: {error}")
