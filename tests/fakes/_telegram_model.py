"""The in-memory world behind the fake Bot API: chats, messages, files, updates."""

from __future__ import annotations

import io
import itertools
import time
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ._telegram_error import BotApiError

_PHOTO_SIDES = (90, 320, 800, 1280)
_MAX_CALLBACK_DATA_BYTES = 64


@dataclass
class Upload:
    """A file the bot uploaded in a multipart request."""

    filename: str
    content_type: str
    content: bytes


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes

    def as_file(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }


@dataclass
class BotWorld:
    """What Telegram remembers about one bot: its chats, their messages, files."""

    bot_user: dict[str, Any]
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    messages: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)
    files: dict[str, StoredFile] = field(default_factory=dict)
    open_callback_queries: set[str] = field(default_factory=set)
    blocked_chats: set[int] = field(default_factory=set)
    commands: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    _last_message_ids: dict[int, int] = field(default_factory=dict)
    _file_numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    # --- chats and messages -------------------------------------------------

    def chat(self, chat_id: int | str | None) -> dict[str, Any]:
        if chat_id is None or chat_id == "":
            raise BotApiError(400, "Bad Request: chat_id is empty")
        numeric_id = self._numeric_chat_id(chat_id)
        if numeric_id in self.blocked_chats:
            raise BotApiError(403, "Forbidden: bot was blocked by the user")
        if numeric_id not in self.chats:
            self.chats[numeric_id] = _default_chat(numeric_id)
        return self.chats[numeric_id]

    def _numeric_chat_id(self, chat_id: int | str) -> int:
        if isinstance(chat_id, int):
            return chat_id
        if chat_id.startswith("@"):
            wanted = chat_id[1:].lower()
            for known in self.chats.values():
                if str(known.get("username", "")).lower() == wanted:
                    return int(known["id"])
            raise BotApiError(400, "Bad Request: chat not found")
        try:
            return int(chat_id)
        except ValueError:
            raise BotApiError(400, "Bad Request: chat not found") from None

    def next_message_id(self, chat_id: int) -> int:
        self._last_message_ids[chat_id] = self._last_message_ids.get(chat_id, 0) + 1
        return self._last_message_ids[chat_id]

    def new_bot_message(self, chat: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        message = {
            "message_id": self.next_message_id(chat["id"]),
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        self.messages.setdefault(chat["id"], {})[message["message_id"]] = message
        return message

    def message(self, chat_id: int | str | None, message_id: Any, missing: str) -> dict[str, Any]:
        chat = self.chat(chat_id)
        found = self.messages.get(chat["id"], {}).get(_as_int(message_id, "message_id"))
        if found is None:
            raise BotApiError(400, f"Bad Request: {missing}")
        return found

    def remember_update(self, update: dict[str, Any]) -> None:
        """Learn the chats, messages and callback queries a fed update carries."""
        for key in ("message", "edited_message", "channel_post"):
            if key in update:
                self._remember_message(update[key])
        if "callback_query" in update:
            query = update["callback_query"]
            self.open_callback_queries.add(str(query["id"]))
            if "message" in query:
                self._remember_message(query["message"])

    def _remember_message(self, message: dict[str, Any]) -> None:
        chat = message["chat"]
        self.chats[chat["id"]] = {**self.chats.get(chat["id"], {}), **chat}
        self.messages.setdefault(chat["id"], {}).setdefault(message["message_id"], message)
        last = self._last_message_ids.get(chat["id"], 0)
        self._last_message_ids[chat["id"]] = max(last, message["message_id"])

    # --- files ----------------------------------------------------------------

    def add_file(self, file_id: str, content: bytes, file_path: str | None = None) -> StoredFile:
        number = next(self._file_numbers)
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=f"AQAD{number:08d}",
            file_path=file_path or self._free_path("documents/file_{}"),
            content=content,
        )
        self.files[file_id] = stored
        return stored

    def _free_path(self, pattern: str) -> str:
        taken = {stored.file_path for stored in self.files.values()}
        return next(path for n in itertools.count(1) if (path := pattern.format(n)) not in taken)

    def file_by_path(self, file_path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.file_path == file_path), None)

    def photo_sizes(self, photo: Upload | str) -> list[dict[str, Any]]:
        """PhotoSize list for an uploaded photo or one re-sent by file_id."""
        if isinstance(photo, str):
            return self._photo_sizes_for_file_id(photo)
        width, height = _image_size(photo.content)
        sizes = []
        for side in _photo_sides(width, height):
            scale = side / max(width, height)
            number = next(self._file_numbers)
            path = self._free_path("photos/file_{}.jpg")
            stored = self.add_file(f"AgACAgUAAxk{number:012d}", photo.content, path)
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": len(photo.content),
                    "width": round(width * scale),
                    "height": round(height * scale),
                }
            )
        return sizes

    def _photo_sizes_for_file_id(self, file_id: str) -> list[dict[str, Any]]:
        if file_id.startswith(("http://", "https://")):
            digest = zlib.crc32(file_id.encode())
            return [
                {
                    "file_id": f"AgACAgUAAxkURL{digest:010d}",
                    "file_unique_id": f"AQAD{digest:010d}",
                    "width": 800,
                    "height": 600,
                }
            ]
        stored = self.files.get(file_id)
        if stored is None:
            raise BotApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        width, height = _image_size(stored.content)
        return [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.content),
                "width": width,
                "height": height,
            }
        ]


def _default_chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
    if chat_id <= -1_000_000_000_000:
        return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}
    return {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}


def _as_int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BotApiError(400, f"Bad Request: {name} is invalid") from None


def _image_size(content: bytes) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        raise BotApiError(400, "Bad Request: IMAGE_PROCESS_FAILED") from None


def _photo_sides(width: int, height: int) -> list[int]:
    longest = max(width, height)
    sides = [side for side in _PHOTO_SIDES if side < longest]
    return sides + [min(longest, _PHOTO_SIDES[-1])]


def inline_keyboard(reply_markup: Any) -> dict[str, Any] | None:
    """The markup Telegram echoes in the Message (only inline keyboards), validated."""
    if not isinstance(reply_markup, dict) or "inline_keyboard" not in reply_markup:
        return None
    for row in reply_markup["inline_keyboard"]:
        for button in row:
            _check_button(button)
    return {"inline_keyboard": reply_markup["inline_keyboard"]}


def _check_button(button: dict[str, Any]) -> None:
    if not button.get("text"):
        raise BotApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        size = len(str(button["callback_data"]).encode("utf-8"))
        if not 1 <= size <= _MAX_CALLBACK_DATA_BYTES:
            raise BotApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    if "url" in button and not _is_public_url(str(button["url"])):
        raise BotApiError(
            400,
            f"Bad Request: inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL",
        )


def _is_public_url(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "tg":
        return True
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and "." in host and not host.startswith("127.")
