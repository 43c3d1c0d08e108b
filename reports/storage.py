"""Where report photos live: a small storage interface and its local-disk implementation.

Keys are made by the server (:func:`new_key`), never taken from a client, and
every key is checked against one strict pattern before it touches a path, so a
key can never name a file outside the storage root.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import Protocol

import anyio.to_thread

from reports.errors import StorageError

SUFFIX_BY_CONTENT_TYPE = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
CONTENT_TYPE_BY_SUFFIX = {
    suffix: content_type for content_type, suffix in SUFFIX_BY_CONTENT_TYPE.items()
}

# 32 lowercase hex digits (uuid4), an optional variant such as "-thumb", a known suffix.
KEY_PATTERN = re.compile(r"[0-9a-f]{32}(?:-[a-z]{1,16})?\.(?:jpg|png|webp)")


class PhotoStorage(Protocol):
    async def save(self, key: str, data: bytes, content_type: str) -> None: ...

    async def read(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> bool: ...

    async def keys_older_than(self, moment: datetime) -> list[str]: ...

    def url_path(self, key: str) -> str: ...


def new_key(content_type: str, *, variant: str | None = None, base: str | None = None) -> str:
    """A fresh key such as ``"3f2c…9a.jpg"``; pass ``base`` to name a variant of an existing key.

    >>> key = new_key("image/jpeg")
    >>> new_key("image/jpeg", variant="thumb", base=key) == key[:32] + "-thumb.jpg"
    True
    """
    suffix = SUFFIX_BY_CONTENT_TYPE.get(content_type)
    if suffix is None:
        raise StorageError("STORAGE_BAD_KEY", content_type=content_type)
    stem = validate_key(base)[:32] if base is not None else uuid.uuid4().hex
    key = f"{stem}-{variant}{suffix}" if variant else f"{stem}{suffix}"
    return validate_key(key)


def validate_key(key: str) -> str:
    """Return ``key`` unchanged if it matches :data:`KEY_PATTERN`, else raise STORAGE_BAD_KEY."""
    if not isinstance(key, str) or KEY_PATTERN.fullmatch(key) is None:
        raise StorageError("STORAGE_BAD_KEY")
    return key


def content_type_of(key: str) -> str:
    return CONTENT_TYPE_BY_SUFFIX[Path(validate_key(key)).suffix]


class LocalDiskStorage:
    """Files under ``root``, spread over 256 folders by the key's first two hex digits.

    Writes go to a temporary file in the target folder, are flushed to disk and
    then renamed over the final name, so a reader sees the whole file or none.
    """

    def __init__(self, root: str | os.PathLike[str], url_prefix: str = "/media/reports") -> None:
        self.root = Path(root)
        self.url_prefix = url_prefix.rstrip("/")

    def path(self, key: str) -> Path:
        key = validate_key(key)
        return self.root / key[:2] / key

    def url_path(self, key: str) -> str:
        return f"{self.url_prefix}/{validate_key(key)}"

    async def save(self, key: str, data: bytes, content_type: str) -> None:
        if content_type_of(key) != content_type:
            raise StorageError("STORAGE_BAD_KEY", content_type=content_type)
        target = self.path(key)
        await anyio.to_thread.run_sync(_write_atomically, target, data)

    async def read(self, key: str) -> bytes:
        target = self.path(key)
        try:
            return await anyio.to_thread.run_sync(target.read_bytes)
        except FileNotFoundError:
            raise StorageError("STORAGE_NOT_FOUND") from None

    async def exists(self, key: str) -> bool:
        return await anyio.to_thread.run_sync(self.path(key).is_file)

    async def delete(self, key: str) -> bool:
        """Remove the file; ``False`` if there was nothing to remove."""
        target = self.path(key)
        try:
            await anyio.to_thread.run_sync(target.unlink)
        except FileNotFoundError:
            return False
        return True

    async def keys_older_than(self, moment: datetime) -> list[str]:
        """The keys of files last written before `moment` (temporary files left out)."""
        return await anyio.to_thread.run_sync(_keys_older_than, self.root, moment.timestamp())


def _keys_older_than(root: Path, timestamp: float) -> list[str]:
    found = []
    for path in root.glob("??/*"):
        if KEY_PATTERN.fullmatch(path.name) is None:
            continue
        try:
            if path.stat().st_mtime < timestamp:
                found.append(path.name)
        except FileNotFoundError:  # removed meanwhile
            continue
    return found


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
