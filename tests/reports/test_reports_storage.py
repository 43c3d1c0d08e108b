from __future__ import annotations

import os
import stat

import anyio
import pytest

from core import storage
from reports.errors import StorageError
from reports.storage import (
    KEY_PATTERN,
    LocalDiskStorage,
    PhotoStorage,
    content_type_of,
    new_key,
    validate_key,
)


@pytest.fixture
def disk(tmp_path) -> LocalDiskStorage:
    return LocalDiskStorage(tmp_path / "media", url_prefix="/media/reports/")


def files_under(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


# --- keys -----------------------------------------------------------------------------------------


def test_new_key__uuid4_hex_and_suffix_of_the_content_type():
    keys = {new_key("image/jpeg") for _ in range(100)}

    assert len(keys) == 100
    assert all(KEY_PATTERN.fullmatch(key) and key.endswith(".jpg") for key in keys)
    assert new_key("image/png").endswith(".png") and new_key("image/webp").endswith(".webp")


def test_new_key__variant_shares_the_stem_of_its_base():
    key = new_key("image/webp")

    thumb = new_key("image/jpeg", variant="thumb", base=key)

    assert thumb == f"{key[:32]}-thumb.jpg"


def test_new_key__unknown_content_type_refused():
    with pytest.raises(StorageError) as caught:
        new_key("image/gif")
    assert caught.value.code == "STORAGE_BAD_KEY"


@pytest.mark.parametrize(
    "key",
    [
        "../../etc/passwd",
        "../" + "a" * 32 + ".jpg",
        "/" + "a" * 32 + ".jpg",
        "ab/" + "a" * 32 + ".jpg",
        "a" * 32 + ".jpg/..",
        "a" * 32 + ".jpg\n",
        "a" * 32 + ".jpg\x00.png",
        "A" * 32 + ".jpg",
        "a" * 31 + ".jpg",
        "a" * 33 + ".jpg",
        "g" * 32 + ".jpg",
        "a" * 32 + ".gif",
        "a" * 32 + ".JPG",
        "a" * 32,
        "a" * 32 + "-Thumb.jpg",
        "a" * 32 + "-../x.jpg",
        "a" * 32 + "..jpg",
        "",
        "..",
        "a" * 32 + ".jpg ",
        "ａ" * 32 + ".jpg",
    ],
)
def test_validate_key__refuses_anything_but_the_strict_pattern(key):
    with pytest.raises(StorageError) as caught:
        validate_key(key)
    assert caught.value.code == "STORAGE_BAD_KEY"


def test_validate_key__refuses_non_strings():
    with pytest.raises(StorageError):
        validate_key(b"a" * 32 + b".jpg")  # type: ignore[arg-type]


def test_content_type_of__from_suffix():
    assert content_type_of("a" * 32 + "-thumb.jpg") == "image/jpeg"
    assert content_type_of("b" * 32 + ".webp") == "image/webp"


# --- local disk -------------------------------------------------------------------------------


def test_local_disk__satisfies_the_protocol(disk):
    store: PhotoStorage = disk
    assert callable(store.save)


async def test_save_then_read__same_bytes(disk):
    key = new_key("image/jpeg")

    await disk.save(key, b"\xff\xd8 photo", "image/jpeg")

    assert await disk.read(key) == b"\xff\xd8 photo"
    assert await disk.exists(key)
    assert disk.path(key) == disk.root / key[:2] / key


async def test_save__file_readable_by_a_static_file_server(disk):
    key = new_key("image/png")

    await disk.save(key, b"png", "image/png")

    assert stat.S_IMODE(os.stat(disk.path(key)).st_mode) == 0o644


async def test_save__overwrites_whole_file(disk):
    key = new_key("image/png")
    await disk.save(key, b"first version, longer", "image/png")

    await disk.save(key, b"second", "image/png")

    assert await disk.read(key) == b"second"
    assert files_under(disk.root) == [f"{key[:2]}/{key}"]


async def test_save__content_type_must_match_the_key(disk):
    with pytest.raises(StorageError) as caught:
        await disk.save(new_key("image/jpeg"), b"x", "image/png")
    assert caught.value.code == "STORAGE_BAD_KEY"
    assert not disk.root.exists()


async def test_save__failed_rename_leaves_neither_file_nor_temporary(disk, monkeypatch):
    key = new_key("image/jpeg")

    def disk_full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", disk_full)

    with pytest.raises(OSError):
        await disk.save(key, b"data", "image/jpeg")

    assert files_under(disk.root) == []


async def test_save__failed_rename_keeps_the_previous_version(disk, monkeypatch):
    key = new_key("image/jpeg")
    await disk.save(key, b"old", "image/jpeg")
    monkeypatch.setattr(
        storage.os, "replace", lambda source, target: (_ for _ in ()).throw(OSError("boom"))
    )

    with pytest.raises(OSError):
        await disk.save(key, b"new", "image/jpeg")

    assert await disk.read(key) == b"old"
    assert files_under(disk.root) == [f"{key[:2]}/{key}"]


async def test_concurrent_saves__all_land_intact(disk):
    payloads = {new_key("image/webp"): os.urandom(4096) for _ in range(40)}

    async with anyio.create_task_group() as group:
        for key, data in payloads.items():
            group.start_soon(disk.save, key, data, "image/webp")

    for key, data in payloads.items():
        assert await disk.read(key) == data
    assert len(files_under(disk.root)) == 40


async def test_read__missing_key_is_not_found(disk):
    with pytest.raises(StorageError) as caught:
        await disk.read(new_key("image/jpeg"))
    assert caught.value.code == "STORAGE_NOT_FOUND"


@pytest.mark.parametrize("operation", ["read", "delete", "exists"])
async def test_traversal_key__refused_before_touching_the_disk(disk, tmp_path, operation):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"do not touch")

    with pytest.raises(StorageError) as caught:
        await getattr(disk, operation)("../secret.jpg")

    assert caught.value.code == "STORAGE_BAD_KEY"
    assert secret.read_bytes() == b"do not touch"


async def test_save__traversal_key_refused(disk, tmp_path):
    with pytest.raises(StorageError):
        await disk.save("../" + "a" * 32 + ".jpg", b"x", "image/jpeg")
    assert files_under(tmp_path) == []


async def test_delete__removes_once_then_reports_nothing_to_remove(disk):
    key = new_key("image/jpeg")
    await disk.save(key, b"x", "image/jpeg")

    assert await disk.delete(key) is True
    assert await disk.delete(key) is False
    assert not await disk.exists(key)


def test_url_path__prefix_and_key(disk):
    key = new_key("image/jpeg")

    assert disk.url_path(key) == f"/media/reports/{key}"
    with pytest.raises(StorageError):
        disk.url_path("../x.jpg")
