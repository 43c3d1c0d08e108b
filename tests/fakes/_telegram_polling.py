"""Update delivery: the getUpdates long poll and the webhook settings."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from urllib.parse import urlsplit

from ._telegram_error import BotApiError

MAX_UPDATES_PER_POLL = 100


class UpdateQueue:
    """Updates waiting for the bot, handed out by getUpdates as Telegram does.

    Updates stay until the bot confirms them with a higher `offset`. A second
    getUpdates while one is waiting ends the first with 409, and getUpdates
    is refused while a webhook is set.
    """

    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] | None = None
        self._changed = asyncio.Event()
        self._poll_generation = 0
        self._closed = False

    def put(self, update: dict[str, Any]) -> None:
        self.pending.append(update)
        self._wake()

    def close(self) -> None:
        self._closed = True
        self._wake()

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise BotApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()
        self._confirm(int(params.get("offset") or 0))
        limit = min(max(int(params.get("limit") or MAX_UPDATES_PER_POLL), 1), MAX_UPDATES_PER_POLL)
        allowed = params.get("allowed_updates") or []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(int(params.get("timeout") or 0), 0)
        while True:
            if generation != self._poll_generation:
                raise BotApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            ready = self._select(allowed, limit)
            remaining = deadline - loop.time()
            if ready or remaining <= 0 or self._closed:
                return ready
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), timeout=remaining)

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            self.pending = self.pending[offset:]
        elif offset > 0:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]

    def _select(self, allowed: list[str], limit: int) -> list[dict[str, Any]]:
        if allowed:
            self.pending = [u for u in self.pending if _update_type(u) in allowed]
        return self.pending[:limit]

    def set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self.pending.clear()
        if not url:
            self.webhook = None
            return True
        if urlsplit(url).scheme != "https":
            raise BotApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "allowed_updates": params.get("allowed_updates") or [],
            "max_connections": int(params.get("max_connections") or 40),
        }
        self._wake()
        return True

    def delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    def webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }
        if self.webhook is not None:
            info["url"] = self.webhook["url"]
            info["max_connections"] = self.webhook["max_connections"]
            if self.webhook["allowed_updates"]:
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")
