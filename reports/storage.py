"""Where report photos live: core.storage with the photos' key scheme and folder."""

from __future__ import annotations

import os

from core import storage
from core.storage import KeyScheme, Storage

SUFFIX_BY_CONTENT_TYPE = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
CONTENT_TYPE_BY_SUFFIX = {
    suffix: content_type for content_type, suffix in SUFFIX_BY_CONTENT_TYPE.items()
}
PHOTO_KEYS = KeyScheme(SUFFIX_BY_CONTENT_TYPE)
NAMESPACE = "reports"  # the folder under MEDIA_DIR, or the prefix in the bucket
URL_PREFIX = "/media/reports"
KEY_PATTERN = PHOTO_KEYS.pattern

new_key = PHOTO_KEYS.new_key
validate_key = PHOTO_KEYS.validate
content_type_of = PHOTO_KEYS.content_type_of


PhotoStorage = Storage  # url_path and keys_older_than are in every storage's interface


class LocalDiskStorage(storage.LocalDiskStorage):
    def __init__(self, root: str | os.PathLike[str], url_prefix: str = URL_PREFIX) -> None:
        super().__init__(root, scheme=PHOTO_KEYS, url_prefix=url_prefix)
