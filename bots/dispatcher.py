"""The aiogram bot: dispatcher, webhook route and polling. Its `bot` sends notifications."""

from __future__ import annotations

import asyncio
import hmac
import logging

from aiogram import Bot, Dispatcher
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.types import ErrorEvent, Update
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

import bots.texts  # noqa: F401 - registers the texts
from api.executor import Executor, OperationError
from bots import menu
from bots.client import ApiClient
from bots.commands import publish_commands
from bots.flows import ButtonMiddleware, LeaveFlowMiddleware, answer_quietly
from bots.isolation import PerChatIsolation
from bots.middleware import ResidentMiddleware
from bots.routers import applications, booking, geo, reports, safety, start
from core import jsonbody
from core.bot_api import TelegramSession
from core.i18n import t
from core.settings import Settings

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
# Each domain's bot module offers create_router(); a dispatcher gets fresh routers. The rules
# every router follows are in bots/flows.py. Routers whose handlers wait in a conversation state
# come before geo's location handler; the menu router, which answers whatever is left, is last.
ROUTER_FACTORIES = [
    start.create_router,
    reports.create_router,
    booking.create_router,
    applications.create_router,
    safety.create_router,
    geo.create_router,
]


def create_bot(settings: Settings) -> Bot:
    base = settings.telegram_api_base
    api = TelegramAPIServer.from_base(base) if base else PRODUCTION
    return Bot(settings.telegram_bot_token, session=TelegramSession(api=api))


def create_dispatcher(executor: Executor) -> Dispatcher:
    dispatcher = Dispatcher(events_isolation=PerChatIsolation())
    dispatcher.update.outer_middleware(ResidentMiddleware(ApiClient(executor)))
    dispatcher.message.outer_middleware(LeaveFlowMiddleware())
    dispatcher.callback_query.middleware(ButtonMiddleware())
    dispatcher.include_routers(*(factory() for factory in ROUTER_FACTORIES))
    dispatcher.include_router(menu.create_router())
    dispatcher.errors.register(_on_error)
    return dispatcher


async def _on_error(event: ErrorEvent, **data) -> bool:
    """An API refusal is shown as the API worded it; anything else is logged and apologised for."""
    error = event.exception
    lang = data.get("lang")
    if isinstance(error, OperationError):
        text = error.message
    else:
        log.error("bot handler failed", exc_info=error)
        text = t("bot.error", lang)
    query = event.update.callback_query
    if query is not None:
        await answer_quietly(query)
    chat = data.get("event_chat")
    if chat is not None:
        try:
            await data["bot"].send_message(chat.id, text)
        except Exception:
            log.warning("could not tell the user about the failure", exc_info=True)
    return True


class TelegramBot:
    """Owns the Bot and Dispatcher for the app's lifetime."""

    def __init__(self, settings: Settings, executor: Executor) -> None:
        self.settings = settings
        self.bot = create_bot(settings)
        self.dispatcher = create_dispatcher(executor)
        self._polling: asyncio.Task | None = None

    @property
    def uses_webhook(self) -> bool:
        return bool(self.settings.public_base_url)

    async def start(self) -> None:
        try:
            await publish_commands(self.bot)
        except Exception:  # the bot still works without its command menu
            log.warning("could not publish the command menu", exc_info=True)
        if self.uses_webhook:
            await self.bot.set_webhook(
                self.settings.public_base_url + WEBHOOK_PATH,
                secret_token=self.settings.telegram_webhook_secret or None,
                drop_pending_updates=False,
            )
        else:
            await self.bot.delete_webhook(drop_pending_updates=False)
            self._polling = asyncio.create_task(
                self.dispatcher.start_polling(
                    self.bot, handle_signals=False, close_bot_session=False
                )
            )

    async def stop(self) -> None:
        if self._polling:
            await self.dispatcher.stop_polling()
            self._polling.cancel()
            try:
                await self._polling
            except (asyncio.CancelledError, RuntimeError):
                pass
        await self.bot.session.close()

    async def feed(self, payload: dict) -> None:
        update = Update.model_validate(payload, context={"bot": self.bot})
        await self.dispatcher.feed_update(self.bot, update)

    async def webhook(self, request: Request) -> Response:
        expected = self.settings.telegram_webhook_secret
        given = request.headers.get("x-telegram-bot-api-secret-token", "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return JSONResponse({"ok": False}, status_code=403)
        try:
            payload = jsonbody.loads(await request.body())
        except ValueError:
            return JSONResponse({"ok": False}, status_code=400)
        if not isinstance(payload, dict):  # an update is a JSON object
            return JSONResponse({"ok": False}, status_code=400)
        try:
            await self.feed(payload)
        except Exception:
            request_id = request.scope.get("state", {}).get("request_id", "-")
            log.exception("update %s failed (request %s)", payload.get("update_id"), request_id)
        return JSONResponse({"ok": True})
