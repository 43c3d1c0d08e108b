"""A report's photos in the chat: checked when they arrive, fetched again when the report is sent.

Telegram keeps the files, so the draft holds only file ids; a photo is refused on arrival when
Telegram says it is too large, when it cannot be downloaded, or when the API cannot decode it
(`checkReportPhoto`, the same checks `submitReport` makes).
"""

from __future__ import annotations

import io

import aiohttp
from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Message

from api.executor import OperationError
from bots.client import ResidentApi
from core.i18n import t

#: Telegram's Bot API does not hand out files larger than this (getFile).
TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024


class PhotoRefused(Exception):
    """A photo the report cannot take; `text` says why, in the resident's language."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class BytesUpload:
    """A downloaded Telegram photo, read by the API like an HTTP multipart upload."""

    def __init__(
        self, data: bytes, filename: str, content_type: str = "application/octet-stream"
    ) -> None:
        self._buffer = io.BytesIO(data)
        self.filename = filename
        self.content_type = content_type

    async def read(self, size: int = -1) -> bytes:
        return self._buffer.read(size)


async def check_photo(message: Message, api: ResidentApi, bot: Bot, limits: dict, lang: str) -> str:
    """The file id of an acceptable photo in the message; PhotoRefused otherwise."""
    if message.photo:
        file_id, size = message.photo[-1].file_id, message.photo[-1].file_size
    else:
        file_id, size = message.document.file_id, message.document.file_size
        if message.document.mime_type not in limits["contentTypes"]:
            raise PhotoRefused(t("bot.reports.not_an_image", lang))
    limit = min(limits["maxBytes"], TELEGRAM_DOWNLOAD_LIMIT)
    if size is not None and size > limit:
        raise PhotoRefused(t("bot.reports.photo_too_large", lang, limit=limit // 1024 // 1024))
    content = await _download(bot, file_id, lang)
    try:
        await api.data("CheckReportPhoto", photo=BytesUpload(content, "telegram.jpg"))
    except OperationError as error:
        raise PhotoRefused(error.message) from None
    return file_id


async def download_photos(bot: Bot, file_ids: list[str], lang: str) -> list[BytesUpload]:
    uploads = []
    for index, file_id in enumerate(file_ids):
        try:
            content = await bot.download(file_id)
        except (TelegramAPIError, aiohttp.ClientError, OSError, TimeoutError):
            raise PhotoRefused(t("bot.reports.photo_lost", lang, number=index + 1)) from None
        uploads.append(BytesUpload(content.getvalue(), f"telegram-{index}.jpg"))
    return uploads


async def _download(bot: Bot, file_id: str, lang: str) -> bytes:
    try:
        content = await bot.download(file_id)
    except (TelegramAPIError, aiohttp.ClientError, OSError, TimeoutError):
        raise PhotoRefused(t("bot.reports.photo_unreadable", lang)) from None
    return content.getvalue()
