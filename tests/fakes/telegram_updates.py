"""Builders for Telegram Update objects, shaped as the Bot API delivers them.

    updates = TelegramUpdates()
    hanako = updates.user(language_code="ja")
    tg.feed_update(updates.command("start", user=hanako))
    tg.feed_update(updates.location_message(35.6812, 139.7671, user=hanako))

Each builder returns a plain JSON-ready dict. A `TelegramUpdates` keeps its
own counters (update ids, user ids, message ids per chat), so two instances
never share state; `FakeTelegramServer.updates` is one wired to the fake's
message numbering, so user and bot messages share one sequence per chat.
"""

from __future__ import annotations

import itertools
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DEFAULT_BOT_USER: dict[str, Any] = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Madoguchi",
    "username": "madoguchi_test_bot",
}


@dataclass(frozen=True)
class TelegramUser:
    """A person talking to the bot; their private chat has the same id."""

    id: int
    first_name: str = "花子"
    last_name: str | None = "山田"
    username: str | None = None
    language_code: str | None = "ja"

    def as_user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                user[key] = getattr(self, key)
        return user

    def private_chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name is not None:
            chat["last_name"] = self.last_name
        if self.username is not None:
            chat["username"] = self.username
        return chat


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class TelegramUpdates:
    """Makes Update dicts with increasing update_id, message_id and query ids."""

    def __init__(
        self,
        *,
        first_update_id: int = 700_000_001,
        message_ids: Callable[[int], int] | None = None,
        bot_user: dict[str, Any] | None = None,
    ) -> None:
        self._update_ids = itertools.count(first_update_id)
        self._user_ids = itertools.count(100_000_001)
        self._query_ids = itertools.count(1)
        self._message_counters: dict[int, itertools.count] = {}
        self._message_ids = message_ids or self._own_message_id
        self.bot_user = bot_user or DEFAULT_BOT_USER
        self.default_user = self.user()

    def _own_message_id(self, chat_id: int) -> int:
        return next(self._message_counters.setdefault(chat_id, itertools.count(1)))

    def user(
        self,
        user_id: int | None = None,
        *,
        first_name: str = "花子",
        last_name: str | None = "山田",
        username: str | None = None,
        language_code: str | None = "ja",
    ) -> TelegramUser:
        return TelegramUser(
            id=user_id if user_id is not None else next(self._user_ids),
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )

    def _update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {"update_id": next(self._update_ids), kind: payload}

    def _message(
        self, user: TelegramUser | None, chat: dict[str, Any] | None, content: dict[str, Any]
    ) -> dict[str, Any]:
        sender = user or self.default_user
        chat = chat or sender.private_chat()
        return {
            "message_id": self._message_ids(chat["id"]),
            "from": sender.as_user(),
            "chat": chat,
            "date": int(time.time()),
            **content,
        }

    def text_message(
        self, text: str, *, user: TelegramUser | None = None, chat: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_length(command)}
            ]
        return self._update("message", self._message(user, chat, content))

    def command(
        self,
        name: str,
        args: str | None = None,
        *,
        user: TelegramUser | None = None,
        chat: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """`/name args`, e.g. command("start", "link-3f2a") for a deep link."""
        text = f"/{name}" if not args else f"/{name} {args}"
        return self.text_message(text, user=user, chat=chat)

    def location_message(
        self,
        latitude: float,
        longitude: float,
        *,
        horizontal_accuracy: float | None = None,
        user: TelegramUser | None = None,
        chat: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if horizontal_accuracy is not None:
            location["horizontal_accuracy"] = horizontal_accuracy
        return self._update("message", self._message(user, chat, {"location": location}))

    def photo_message(
        self,
        file_id: str,
        *,
        width: int = 1280,
        height: int = 960,
        file_size: int = 150_000,
        caption: str | None = None,
        user: TelegramUser | None = None,
        chat: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A photo whose largest size has `file_id` (register it with `tg.add_file`)."""
        content: dict[str, Any] = {"photo": _photo_sizes(file_id, width, height, file_size)}
        if caption is not None:
            content["caption"] = caption
        return self._update("message", self._message(user, chat, content))

    def document_message(
        self,
        file_id: str,
        *,
        file_name: str = "photo.jpg",
        mime_type: str | None = "image/jpeg",
        file_size: int | None = 150_000,
        caption: str | None = None,
        user: TelegramUser | None = None,
        chat: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A file sent as a document (register it with `tg.add_file`); phones send photos
        this way to keep the original (HEIC, full size, EXIF)."""
        document: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": f"AgADD{zlib.crc32(file_id.encode()) % 10**8:08d}",
            "file_name": file_name,
        }
        if mime_type is not None:
            document["mime_type"] = mime_type
        if file_size is not None:
            document["file_size"] = file_size
        content: dict[str, Any] = {"document": document}
        if caption is not None:
            content["caption"] = caption
        return self._update("message", self._message(user, chat, content))

    def contact_message(
        self,
        phone_number: str,
        *,
        own: bool = True,
        user: TelegramUser | None = None,
        chat: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A shared contact; `own=True` is the resident sharing their own number."""
        sender = user or self.default_user
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": sender.first_name}
        if own:
            contact["user_id"] = sender.id
        return self._update("message", self._message(sender, chat, {"contact": contact}))

    def callback_query(
        self,
        data: str,
        *,
        message: dict[str, Any] | None = None,
        user: TelegramUser | None = None,
    ) -> dict[str, Any]:
        """A press on an inline button of `message` (by default a fresh bot message)."""
        sender = user or self.default_user
        if message is None:
            chat = sender.private_chat()
            message = {
                "message_id": self._message_ids(chat["id"]),
                "from": self.bot_user,
                "chat": chat,
                "date": int(time.time()),
                "text": "…",
            }
        query = {
            "id": str(4_000_000_000_000_000_000 + next(self._query_ids)),
            "from": sender.as_user(),
            "message": message,
            "chat_instance": str(-(abs(message["chat"]["id"]) * 7919 % 10**18)),
            "data": data,
        }
        return self._update("callback_query", query)


def _photo_sizes(file_id: str, width: int, height: int, file_size: int) -> list[dict[str, Any]]:
    sizes = []
    for index, side in enumerate((90, 320, 800)):
        scale = side / max(width, height)
        if scale >= 1:
            break
        sizes.append(
            {
                "file_id": f"{file_id}-{index}",
                "file_unique_id": f"AQAD{index}{zlib.crc32(file_id.encode()) % 10**8:08d}",
                "file_size": max(file_size * side // max(width, height), 1),
                "width": round(width * scale),
                "height": round(height * scale),
            }
        )
    sizes.append(
        {
            "file_id": file_id,
            "file_unique_id": f"AQADX{zlib.crc32(file_id.encode()) % 10**8:08d}",
            "file_size": file_size,
            "width": width,
            "height": height,
        }
    )
    return sizes
