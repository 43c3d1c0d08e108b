"""Private file storage: a small interface, server-made keys, a local-disk store and an
S3-compatible object store.

Keys are made by the server (`KeyScheme.new_key`), never taken from a client, and every
key is checked against one strict pattern before it touches a path, so a key can never
name a file outside the storage root. Each user of storage (report photos, application
attachments) has its own scheme of content types and its own namespace: a folder under
MEDIA_DIR on the embedded default, a prefix in the bucket when STORAGE_URL=s3://… is set
(`open_storage` picks). Both lay files out alike: ``<namespace>/<first two hex>/<key>``.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import anyio.to_thread

if TYPE_CHECKING:
    from core.settings import Settings


class StorageError(Exception):
    """A key that is not valid, or a stored object that is missing (`code` says which)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class Storage(Protocol):
    async def save(self, key: str, data: bytes, content_type: str) -> None: ...

    async def read(self, key: str) -> bytes: ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> bool: ...

    async def keys_older_than(self, moment: datetime) -> list[str]: ...

    async def is_reachable(self) -> bool: ...

    def url_path(self, key: str) -> str: ...


class KeyScheme:
    """Keys such as ``"3f2c…9a.pdf"``: 32 lowercase hex digits (uuid4), an optional variant
    such as ``-thumb``, and the suffix of one of the scheme's content types."""

    def __init__(self, suffix_by_content_type: dict[str, str]) -> None:
        self.suffix_by_content_type = dict(suffix_by_content_type)
        self.content_type_by_suffix = {s: c for c, s in suffix_by_content_type.items()}
        suffixes = "|".join(sorted(re.escape(s[1:]) for s in self.content_type_by_suffix))
        self.pattern = re.compile(rf"[0-9a-f]{{32}}(?:-[a-z]{{1,16}})?\.(?:{suffixes})")

    def new_key(
        self, content_type: str, *, variant: str | None = None, base: str | None = None
    ) -> str:
        """A fresh key; pass ``base`` to name a variant of an existing key."""
        suffix = self.suffix_by_content_type.get(content_type)
        if suffix is None:
            raise StorageError("STORAGE_BAD_KEY", content_type=content_type)
        stem = self.validate(base)[:32] if base is not None else uuid.uuid4().hex
        key = f"{stem}-{variant}{suffix}" if variant else f"{stem}{suffix}"
        return self.validate(key)

    def validate(self, key: str) -> str:
        """``key`` unchanged if it matches the pattern, else STORAGE_BAD_KEY."""
        if not isinstance(key, str) or self.pattern.fullmatch(key) is None:
            raise StorageError("STORAGE_BAD_KEY")
        return key

    def content_type_of(self, key: str) -> str:
        return self.content_type_by_suffix[Path(self.validate(key)).suffix]


class LocalDiskStorage:
    """Files under ``root``, spread over 256 folders by the key's first two hex digits.

    Writes go to a temporary file in the target folder, are flushed to disk and then
    renamed over the final name, so a reader sees the whole file or none.
    """

    def __init__(
        self, root: str | os.PathLike[str], *, scheme: KeyScheme, url_prefix: str = ""
    ) -> None:
        self.root = Path(root)
        self.scheme = scheme
        self.url_prefix = url_prefix.rstrip("/")

    def path(self, key: str) -> Path:
        key = self.scheme.validate(key)
        return self.root / key[:2] / key

    def url_path(self, key: str) -> str:
        return f"{self.url_prefix}/{self.scheme.validate(key)}"

    async def save(self, key: str, data: bytes, content_type: str) -> None:
        if self.scheme.content_type_of(key) != content_type:
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
        """The keys of files last written before ``moment`` (temporary files left out)."""
        return await anyio.to_thread.run_sync(self._keys_older_than, moment.timestamp())

    def _keys_older_than(self, timestamp: float) -> list[str]:
        found = []
        for path in self.root.glob("??/*"):
            if self.scheme.pattern.fullmatch(path.name) is None:
                continue
            try:
                if path.stat().st_mtime < timestamp:
                    found.append(path.name)
            except FileNotFoundError:  # removed meanwhile
                continue
        return found

    async def is_reachable(self) -> bool:
        """The root exists (or can be made) and is writable."""
        return await anyio.to_thread.run_sync(self._writable)

    def _writable(self) -> bool:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        return os.access(self.root, os.W_OK)


def open_storage(
    settings: Settings, namespace: str, *, scheme: KeyScheme, url_prefix: str = ""
) -> Storage:
    """The namespace's store: the bucket when STORAGE_URL names one, else MEDIA_DIR."""
    bucket = settings.deployment.object_store
    if bucket is not None:
        from core.storage.object_store import ObjectStorage  # the S3 client only where it is used

        return ObjectStorage(bucket, namespace, scheme=scheme, url_prefix=url_prefix)
    return disk_storage(settings, namespace, scheme=scheme, url_prefix=url_prefix)


def disk_storage(
    settings: Settings, namespace: str, *, scheme: KeyScheme, url_prefix: str = ""
) -> LocalDiskStorage:
    return LocalDiskStorage(settings.media_dir / namespace, scheme=scheme, url_prefix=url_prefix)


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
