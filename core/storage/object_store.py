"""Files in an S3-compatible bucket (obstore), behind core.storage's `Storage` interface.

Objects are named ``<prefix>/<namespace>/<first two hex>/<key>`` — the local directory's
layout under the bucket's prefix — so a directory moved with `madoguchi move-media` and
the files written afterwards sit side by side. A PUT is atomic in S3: a reader sees the
whole object or none. The app serves the objects itself (the same access checks as for
files on disk); the bucket stays private. `move_to_bucket` carries a directory's files over.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import obstore
from obstore.exceptions import NotFoundError
from obstore.store import S3Store

from core.settings.deployment import ObjectStore
from core.storage import KeyScheme, LocalDiskStorage, StorageError

# obstore raises Python's FileNotFoundError for a missing object (its NotFoundError for some
# stores); either means "no such object".
_MISSING = (FileNotFoundError, NotFoundError)


@functools.cache
def s3_store(bucket: ObjectStore, namespace: str) -> S3Store:
    """One client (and connection pool) per bucket and namespace for the process."""
    prefix = "/".join(part for part in (bucket.prefix, namespace) if part)
    config: dict[str, object] = {"region": bucket.region}
    if bucket.endpoint_url:
        config["endpoint"] = bucket.endpoint_url
    if bucket.access_key_id:
        config["access_key_id"] = bucket.access_key_id
        config["secret_access_key"] = bucket.secret_access_key
    return S3Store(
        bucket.bucket,
        prefix=prefix or None,
        config=config,  # type: ignore[arg-type]
        client_options={
            "allow_http": bucket.endpoint_url.startswith("http://"),
            "connect_timeout": timedelta(seconds=5),
            "timeout": timedelta(seconds=60),
        },
        retry_config={"max_retries": 3, "retry_timeout": timedelta(seconds=30)},
    )


class ObjectStorage:
    def __init__(
        self, bucket: ObjectStore, namespace: str, *, scheme: KeyScheme, url_prefix: str = ""
    ) -> None:
        self.bucket = bucket
        self.namespace = namespace
        self.scheme = scheme
        self.url_prefix = url_prefix.rstrip("/")
        self.store = s3_store(bucket, namespace)

    def path(self, key: str) -> str:
        key = self.scheme.validate(key)
        return f"{key[:2]}/{key}"

    def url_path(self, key: str) -> str:
        return f"{self.url_prefix}/{self.scheme.validate(key)}"

    async def save(self, key: str, data: bytes, content_type: str) -> None:
        if self.scheme.content_type_of(key) != content_type:
            raise StorageError("STORAGE_BAD_KEY", content_type=content_type)
        await obstore.put_async(
            self.store,
            self.path(key),
            data,
            attributes={"Content-Type": content_type},
            use_multipart=False,
        )

    async def read(self, key: str) -> bytes:
        path = self.path(key)
        try:
            result = await obstore.get_async(self.store, path)
            return bytes(await result.bytes_async())
        except _MISSING:
            raise StorageError("STORAGE_NOT_FOUND") from None

    async def exists(self, key: str) -> bool:
        try:
            await obstore.head_async(self.store, self.path(key))
        except _MISSING:
            return False
        return True

    async def size(self, key: str) -> int | None:
        try:
            meta = await obstore.head_async(self.store, self.path(key))
        except _MISSING:
            return None
        return meta["size"]

    async def delete(self, key: str) -> bool:
        """Remove the object; ``False`` if there was nothing to remove."""
        path = self.path(key)
        if not await self.exists(key):
            return False
        await obstore.delete_async(self.store, path)
        return True

    async def keys_older_than(self, moment: datetime) -> list[str]:
        found = []
        async for chunk in obstore.list(self.store, chunk_size=1000):
            for meta in chunk:
                name = meta["path"].rsplit("/", 1)[-1]
                if self.scheme.pattern.fullmatch(name) and meta["last_modified"] < moment:
                    found.append(name)
        return found

    async def is_reachable(self) -> bool:
        """The bucket answers a listing with our credentials (an empty one is a good answer)."""
        try:
            await anext(aiter(obstore.list(self.store, chunk_size=1)))
        except StopAsyncIteration:
            return True
        except Exception:  # noqa: BLE001 - any other answer means not ready
            return False
        return True


@dataclass
class Moved:
    moved: int = 0
    already_there: int = 0
    ignored: int = 0  # files whose names are not keys of the namespace (left where they are)


async def move_to_bucket(
    disk: LocalDiskStorage,
    bucket: ObjectStorage,
    *,
    keep: bool = False,
    progress: Callable[[str], None] = lambda key: None,
) -> Moved:
    """Copy each file of ``disk`` to ``bucket``, check the copy's size, then remove the file
    (unless ``keep``). Safe to run again after an interruption, and while the app runs: a
    file already in the bucket with the same size is not sent again."""
    done = Moved()
    for path in sorted(disk.root.glob("??/*")):
        key = path.name
        if not path.is_file() or disk.scheme.pattern.fullmatch(key) is None:
            done.ignored += 1
            continue
        data = await disk.read(key)
        if await bucket.size(key) == len(data):
            done.already_there += 1
        else:
            await bucket.save(key, data, disk.scheme.content_type_of(key))
            if await bucket.size(key) != len(data):
                raise StorageError("STORAGE_COPY_MISMATCH", key=key)
            done.moved += 1
        if not keep:
            await disk.delete(key)
        progress(key)
    return done
