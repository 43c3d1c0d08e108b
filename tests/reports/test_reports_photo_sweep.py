"""Photo files no report names (a transaction that never committed) are swept after a grace."""

from __future__ import annotations

import os
import time

import pytest

from reports.intake import photo_storage
from reports.models import ReportPhoto
from reports.photos.sweep import GRACE, sweep_orphans
from reports.storage import new_key
from tests.reports.world import CITY_HALL, World, jpeg


@pytest.fixture
async def city(client, gql, settings):
    world = World(client, gql, settings)
    await world.seed()
    return world


def age(storage, key: str, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(storage.path(key), (moment, moment))


async def test_sweep__removes_old_orphans_keeps_photos_and_recent_files(city, settings):
    storage = photo_storage(settings)
    hanako = await city.resident()
    response = await city.upload(
        hanako, [("a.jpg", jpeg(), "image/jpeg")], lat=CITY_HALL[0], lng=CITY_HALL[1]
    )
    assert not response.json().get("errors"), response.text
    photo = await ReportPhoto.get()
    orphan, recent = new_key("image/jpeg"), new_key("image/jpeg")
    for key in (orphan, recent):
        await storage.save(key, jpeg(), "image/jpeg")
    old = GRACE.total_seconds() + 60
    for key in (orphan, photo.key, photo.thumb_key):
        age(storage, key, old)

    removed = await sweep_orphans(storage)

    assert removed == 1
    assert not await storage.exists(orphan)
    assert await storage.exists(recent)
    assert await storage.exists(photo.key) and await storage.exists(photo.thumb_key)
