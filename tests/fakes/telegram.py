"""A fake Telegram Bot API server on loopback that aiogram talks to unchanged.

    async with FakeTelegramServer() as tg:
        bot = tg.bot()   # or Bot(tg.token, session=AiohttpSession(api=tg.api_server))
        tg.feed_update(tg.updates.command("start"))
        ...
        call = await tg.wait_for("sendMessage", lambda c: c.params["chat_id"] == 42)

It answers `{base}/bot{token}/{method}` (form, multipart or JSON bodies, or a
query string) and `{base}/file/bot{token}/{path}`, keeps chats, messages and
files in memory, records every call, and can be scripted to fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import re
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from ._server import FakeService
from ._telegram_error import BotApiError
from ._telegram_flood import FloodControl
from ._telegram_methods import IMMEDIATE_METHODS
from ._telegram_model import BotWorld, Upload
from ._telegram_polling import UpdateQueue
from .telegram_updates import DEFAULT_BOT_USER, TelegramUpdates

DEFAULT_TOKEN = "123456789:AAF4kE-t0ken-f0r-mad0guchi-tests-xyz"

# Parameters that are always strings; every other form value is JSON-decoded
# (aiogram serialises numbers, booleans, markups and lists as JSON).
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "url",
        "title",
        "address",
        "secret_token",
        "ip_address",
        "language_code",
        "business_connection_id",
        "message_effect_id",
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
        "photo",
        "description",
        "short_description",
        "name",
        "phone_number",
        "first_name",
        "last_name",
        "vcard",
        "action",
        "emoji",
    }
)
_INTEGER = re.compile(r"-?\d+")


@dataclass
class TelegramCall:
    """One request the bot made: canonical method name, decoded params, the answer."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]
    uploads: dict[str, Upload] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        return self.response.get("result")


class FakeTelegramServer(FakeService):
    """The Bot API for one bot (`token`), in memory, on 127.0.0.1."""

    def __init__(
        self, *, token: str = DEFAULT_TOKEN, bot_user: dict[str, Any] | None = None
    ) -> None:
        self.token = token
        bot_id = int(token.split(":", 1)[0])
        self.bot_user = {**DEFAULT_BOT_USER, "id": bot_id, **(bot_user or {})}
        self.calls: list[TelegramCall] = []
        # Methods whose request head has arrived, complete or not (a call is recorded only
        # once its whole body is read, as Telegram acts only on a complete request).
        self.begun: list[str] = []
        self.abandoned: list[str] = []  # begun, then the client went before the body was whole
        self._world = BotWorld(bot_user=self.bot_user)
        self._queue = UpdateQueue()
        self._failures: dict[str, deque[BotApiError]] = defaultdict(deque)
        self._call_recorded = asyncio.Event()
        self._bots: list[Any] = []
        self.flood: FloodControl | None = None
        self.updates = TelegramUpdates(
            message_ids=self._world.next_message_id, bot_user=self.bot_user
        )
        super().__init__()

    def _build_app(self) -> web.Application:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_download)
        return app

    async def __aexit__(self, *exc_info: object) -> None:
        self._queue.close()
        for bot in self._bots:
            await bot.session.close()
        await super().__aexit__(*exc_info)

    # --- what tests use ---------------------------------------------------------

    @property
    def api_server(self) -> Any:
        """An aiogram `TelegramAPIServer` pointing at this fake."""
        from aiogram.client.telegram import TelegramAPIServer

        return TelegramAPIServer.from_base(self.base_url)

    def bot(self, **bot_kwargs: Any) -> Any:
        """A real aiogram `Bot` for this token, talking to the fake; closed with the fake."""
        from aiogram import Bot
        from aiogram.client.session.aiohttp import AiohttpSession

        bot = Bot(self.token, session=AiohttpSession(api=self.api_server), **bot_kwargs)
        self._bots.append(bot)
        return bot

    def remember_update(self, update: dict[str, Any]) -> None:
        """Make an update delivered by webhook known, as Telegram knows what it sent."""
        self._world.remember_update(update)

    def feed_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates; its chat, message and callback query become known."""
        self._world.remember_update(update)
        self._queue.put(update)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self._queue.pending)

    @property
    def webhook(self) -> dict[str, Any] | None:
        return self._queue.webhook

    def add_file(
        self, file_id: str, content: bytes, *, file_path: str | None = None
    ) -> dict[str, Any]:
        """Make `file_id` answer getFile and its path downloadable; returns the File object."""
        return self._world.add_file(file_id, content, file_path).as_file()

    def remove_file(self, file_id: str) -> None:
        """The file is gone from Telegram's side: getFile answers 400 from now on."""
        self._world.files.pop(file_id, None)

    def file_content(self, file_id: str) -> bytes:
        return self._world.files[file_id].content

    def add_chat(self, chat: dict[str, Any]) -> None:
        """Make a chat known (e.g. a group with a title, a user with a username)."""
        self._world.chats[chat["id"]] = chat

    def block_chat(self, chat_id: int) -> None:
        """The user blocked the bot: sends to this chat answer 403 from now on."""
        self._world.blocked_chats.add(chat_id)

    def rate_limit(self, method: str, *, times: int = 1, retry_after: int = 3) -> None:
        """Answer the next `times` calls of `method` with 429 and `retry_after`."""
        description = f"Too Many Requests: retry after {retry_after}"
        for _ in range(times):
            self._failures[method.lower()].append(
                BotApiError(429, description, retry_after=retry_after)
            )

    def enforce_limits(self, **limits: Any) -> FloodControl:
        """Answer sends over Telegram's limits with 429 (see FloodControl for the knobs)."""
        self.flood = FloodControl(**limits)
        return self.flood

    def fail_next(
        self,
        method: str,
        *,
        times: int = 1,
        error_code: int = 500,
        description: str = "Internal Server Error",
    ) -> None:
        """Answer the next `times` calls of `method` with this error, changing nothing."""
        for _ in range(times):
            self._failures[method.lower()].append(BotApiError(error_code, description))

    def calls_to(self, method: str, *, include_failed: bool = False) -> list[TelegramCall]:
        wanted = method.lower()
        return [c for c in self.calls if c.method.lower() == wanted and (include_failed or c.ok)]

    def sent_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in the chat as the user now sees them (edits applied, deletions gone)."""
        messages = self._world.messages.get(chat_id, {})
        mine = [
            m
            for _, m in sorted(messages.items())
            if m.get("from", {}).get("id") == self.bot_user["id"]
        ]
        return copy.deepcopy(mine)

    def my_commands(
        self, *, scope: str = "default", language_code: str = ""
    ) -> list[dict[str, Any]]:
        return copy.deepcopy(self._world.commands.get((scope, language_code), []))

    def mark(self) -> int:
        """A position in `calls`, to give `wait_for(after=...)`."""
        return len(self.calls)

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[TelegramCall], bool] | None = None,
        *,
        timeout: float = 5.0,
        after: int = 0,
        include_failed: bool = False,
    ) -> TelegramCall:
        """The first call of `method` at index >= `after` matching `predicate`, waiting for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for call in self.calls[after:]:
                if call.method.lower() != method.lower() or not (include_failed or call.ok):
                    continue
                if predicate is None or predicate(call):
                    return call
            remaining = deadline - loop.time()
            if remaining <= 0:
                seen = [f"{c.method}({c.status})" for c in self.calls[after:]]
                raise AssertionError(f"no matching {method} call within {timeout}s; calls: {seen}")
            recorded = self._call_recorded
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(recorded.wait(), timeout=remaining)

    # --- HTTP -------------------------------------------------------------------

    async def _handle_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.begun.append(method)
        try:
            params, uploads = await _read_params(request)
        except ConnectionResetError:
            self.abandoned.append(method)
            return web.Response(status=400)  # nobody is there to read it
        canonical = _canonical_name(method)
        try:
            if request.match_info["token"] != self.token:
                raise BotApiError(401, "Unauthorized")
            if canonical is None:
                raise BotApiError(404, "Not Found")
            scripted = self._failures.get(canonical.lower())
            if scripted:
                raise scripted.popleft()
            if self.flood is not None:
                self.flood.check(canonical, params)
            result = await self._dispatch(canonical, params)
            status, body = 200, {"ok": True, "result": result}
        except BotApiError as error:
            status, body = error.error_code, error.to_json()
        body = copy.deepcopy(body)
        self._record(TelegramCall(canonical or method, params, status, body, uploads))
        return web.json_response(body, status=status)

    async def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getUpdates":
            return await self._queue.get_updates(params)
        if method == "setWebhook":
            return self._queue.set_webhook(params)
        if method == "deleteWebhook":
            return self._queue.delete_webhook(params)
        if method == "getWebhookInfo":
            return self._queue.webhook_info(params)
        return IMMEDIATE_METHODS[method](self._world, params)

    def _record(self, call: TelegramCall) -> None:
        self.calls.append(call)
        self._call_recorded.set()
        self._call_recorded = asyncio.Event()

    async def _handle_download(self, request: web.Request) -> web.Response:
        stored = self._world.file_by_path(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored.content, content_type="application/octet-stream")


_QUEUE_METHODS = ("getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo")
_CANONICAL = {name.lower(): name for name in (*IMMEDIATE_METHODS, *_QUEUE_METHODS)}


def _canonical_name(method: str) -> str | None:
    return _CANONICAL.get(method.lower())


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
    raw: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.content_type == "application/json":
        body = await request.json()
        params = {key: _decode(key, value) for key, value in raw.items()}
        params.update(body if isinstance(body, dict) else {})
        return params, uploads
    if request.can_read_body:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                uploads[key] = Upload(value.filename, value.content_type, value.file.read())
            else:
                raw[key] = value
    params = {key: _decode(key, value) for key, value in raw.items()}
    attached = set()
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            attached.add(value.removeprefix("attach://"))
            params[key] = uploads.get(value.removeprefix("attach://"))
    for key, upload in uploads.items():
        if key not in attached:
            params.setdefault(key, upload)
    return params, uploads


def _decode(key: str, value: str) -> Any:
    if key in _STRING_PARAMS:
        return value
    if key == "chat_id":
        return int(value) if _INTEGER.fullmatch(value) else value
    try:
        return json.loads(value)
    except ValueError:
        return value
