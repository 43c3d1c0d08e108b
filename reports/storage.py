"""Where report photos live: core.storage with the photos' key scheme and folder."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Protocol

from core import storage
from core.storage import KeyScheme, Storage

SUFFIX_BY_CONTENT_TYPE = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
CONTENT_TYPE_BY_SUFFIX = {
    suffix: content_type for content_type, suffix in SUFFIX_BY_CONTENT_TYPE.items()
}
PHOTO_KEYS = KeyScheme(SUFFIX_BY_CONTENT_TYPE)
KEY_PATTERN = PHOTO_KEYS.pattern

new_key = PHOTO_KEYS.new_key
validate_key = PHOTO_KEYS.validate
content_type_of = PHOTO_KEYS.content_type_of


class PhotoStorage(Storage, Protocol):
    def url_path(self, key: str) -> str: ...

    async def keys_older_than(self, moment: datetime) -> list[str]: ...


class LocalDiskStorage(storage.LocalDiskStorage):
    def __init__(self, root: str | os.PathLike[str], url_prefix: str = "/media/reports") -> None:
        super().__init__(root, scheme=PHOTO_KEYS, url_prefix=url_prefix)
