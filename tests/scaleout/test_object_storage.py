"""Files in an S3-compatible bucket (moto's S3 server): the storage contract, report photos and
application attachments through the app with their access checks, and `move-media`."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from applications.attachments.service import ATTACHMENT_KEYS, attachment_storage
from core import clock
from core.storage import LocalDiskStorage, StorageError, disk_storage, open_storage
from core.storage.object_store import ObjectStorage
from reports.intake import photo_storage
from reports.storage import PHOTO_KEYS
from tests.conftest import make_settings


@pytest.fixture
def bucket_settings(tmp_path, s3_env):
    return make_settings(tmp_path, "sqlite://:memory:", **s3_env)


@pytest.fixture
def photos(bucket_settings) -> ObjectStorage:
    store = open_storage(bucket_settings, "reports", scheme=PHOTO_KEYS, url_prefix="/media/reports")
    assert isinstance(store, ObjectStorage)
    return store


# --- the storage contract, against the bucket ---------------------------------------------------


async def test_save_read_delete__round_trip_under_the_namespace(photos, s3_server, s3_env):
    key = PHOTO_KEYS.new_key("image/jpeg")
    await photos.save(key, b"\xff\xd8photo", "image/jpeg")

    assert await photos.read(key) == b"\xff\xd8photo"
    assert await photos.exists(key)
    bucket = s3_env["STORAGE_URL"].split("/")[2]
    assert s3_server.keys(bucket) == [f"madoguchi/reports/{key[:2]}/{key}"]
    assert await photos.delete(key) is True
    assert await photos.delete(key) is False
    assert not await photos.exists(key)
    with pytest.raises(StorageError) as missing:
        await photos.read(key)
    assert missing.value.code == "STORAGE_NOT_FOUND"


@pytest.mark.parametrize("key", ["../x.jpg", "a" * 32 + ".gif", "A" * 32 + ".jpg", "", "x/../y"])
async def test_bad_keys__refused_before_the_bucket_is_asked(photos, key):
    for attempt in (photos.read(key), photos.exists(key), photos.delete(key)):
        with pytest.raises(StorageError) as refused:
            await attempt
        assert refused.value.code == "STORAGE_BAD_KEY"


async def test_save__content_type_not_the_keys__refused(photos):
    key = PHOTO_KEYS.new_key("image/png")
    with pytest.raises(StorageError):
        await photos.save(key, b"x", "image/jpeg")
    assert not await photos.exists(key)


async def test_keys_older_than__only_keys_of_the_scheme_written_before(photos):
    key = PHOTO_KEYS.new_key("image/jpeg")
    await photos.save(key, b"x", "image/jpeg")

    assert await photos.keys_older_than(clock.now() - timedelta(minutes=5)) == []
    assert await photos.keys_older_than(clock.now() + timedelta(minutes=5)) == [key]


async def test_is_reachable__false_for_a_bucket_that_does_not_exist(tmp_path, s3_server):
    settings = make_settings(tmp_path, "sqlite://:memory:", **s3_server.env("no-such-bucket"))
    missing = open_storage(settings, "reports", scheme=PHOTO_KEYS)
    assert not await missing.is_reachable()


def test_without_storage_url__the_local_directory(settings):
    assert isinstance(photo_storage(settings), LocalDiskStorage)
    assert isinstance(attachment_storage(settings), LocalDiskStorage)


# --- move-media ----------------------------------------------------------------------------------


def test_move_media__files_to_the_bucket_checked_then_removed_and_again_is_a_no_op(
    tmp_path, s3_server, s3_env, monkeypatch
):
    from cli import cli

    settings = make_settings(tmp_path, "sqlite://:memory:")
    disk_photos = disk_storage(settings, "reports", scheme=PHOTO_KEYS)
    disk_files = disk_storage(settings, "attachments", scheme=ATTACHMENT_KEYS)
    photo_keys = [PHOTO_KEYS.new_key("image/jpeg") for _ in range(3)]
    file_key = ATTACHMENT_KEYS.new_key("application/pdf")

    async def put() -> None:
        for key in photo_keys:
            await disk_photos.save(key, key.encode(), "image/jpeg")
        await disk_files.save(file_key, b"%PDF-1.4 plan", "application/pdf")

    asyncio.run(put())
    (disk_photos.root / "ab" / "notes.txt").parent.mkdir(exist_ok=True)
    (disk_photos.root / "ab" / "notes.txt").write_text("not a photo")  # left where it is
    env = {"VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": "sqlite://:memory:", **s3_env}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()

    kept = runner.invoke(cli, ["move-media", "--keep"])
    moved = runner.invoke(cli, ["move-media"])
    again = runner.invoke(cli, ["move-media"])

    assert kept.exit_code == 0, kept.output
    assert "reports: copied 3, already in the bucket 0, other files left alone 1" in kept.output
    assert "attachments: copied 1" in kept.output
    assert "reports: copied 0, already in the bucket 3" in moved.output
    assert "reports: copied 0, already in the bucket 0" in again.output
    assert [p.name for p in disk_photos.root.rglob("*") if p.is_file()] == ["notes.txt"]
    bucket = s3_env["STORAGE_URL"].split("/")[2]
    assert len(s3_server.keys(bucket)) == 4
    bucket_settings = make_settings(tmp_path, "sqlite://:memory:", **s3_env)
    store = open_storage(bucket_settings, "reports", scheme=PHOTO_KEYS)
    assert asyncio.run(store.read(photo_keys[0])) == photo_keys[0].encode()


def test_move_media__without_a_bucket__one_line_and_nothing_moved(tmp_path, monkeypatch):
    from cli import cli

    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("STORAGE_URL", raising=False)
    result = CliRunner().invoke(cli, ["move-media"])
    assert result.exit_code == 2
    assert "STORAGE_URL" in result.output and result.output.count("\n") == 1


def test_settings__bad_storage_url_and_half_credentials__one_clear_line(tmp_path):
    from core.settings import SettingsError, load_settings

    for env, named in [
        ({"STORAGE_URL": "ftp://bucket/x"}, "STORAGE_URL"),
        ({"STORAGE_URL": "s3:///nobucket"}, "STORAGE_URL"),
        ({"STORAGE_URL": "s3://b", "AWS_ACCESS_KEY_ID": "k"}, "AWS_ACCESS_KEY_ID"),
        ({"STORAGE_URL": "s3://b", "AWS_ENDPOINT_URL": "minio:9000"}, "AWS_ENDPOINT_URL"),
    ]:
        with pytest.raises(SettingsError) as raised:
            load_settings({"VAR_DIR": str(tmp_path), **env})
        assert str(raised.value).startswith(named) and "\n" not in str(raised.value)


def test_store__one_client_per_bucket_and_namespace(bucket_settings):
    first = open_storage(bucket_settings, "reports", scheme=PHOTO_KEYS)
    second = open_storage(bucket_settings, "reports", scheme=PHOTO_KEYS)
    assert first.store is second.store
