from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

from reports.models import Report, ReportPhoto
from tests.reports.world import jpeg
from tests.support.graphql import error_codes

GPS_PLACE = (37.5912, 140.4290)  # inside 二本松市


def files_under(root) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def phone_jpeg(samples, lat: float, lng: float) -> bytes:
    exif = samples.make_exif(lat=lat, lng=lng, orientation=1)
    return samples.encode(samples.two_tone((320, 240)), "JPEG", exif=exif.tobytes(), quality=90)


async def test_photo_with_gps__no_coordinates_sent__lands_at_the_photo_location(
    world, samples, client
):
    hanako = await world.resident()
    data = phone_jpeg(samples, *GPS_PLACE)

    response = await world.upload(
        hanako, [("IMG_0001.jpg", data, "image/jpeg")], lat=None, lng=None
    )

    body = response.json()
    assert not body.get("errors"), body
    report = body["data"]["submitReport"]["report"]
    assert abs(report["lat"] - GPS_PLACE[0]) < 1e-5 and abs(report["lng"] - GPS_PLACE[1]) < 1e-5
    photo = report["photos"][0]
    assert (photo["width"], photo["height"]) == (320, 240)
    for url in (photo["url"], photo["thumbUrl"]):
        served = await client.get(url)
        assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
        assert samples.secret.encode() not in served.content
        with Image.open(io.BytesIO(served.content)) as image:
            assert not image.getexif() and "exif" not in image.info
        assert all(marker != 0xE1 for marker, _ in samples.jpeg_segments(served.content))


async def test_photo_and_coordinates__the_coordinates_win(world, samples):
    hanako = await world.resident()

    response = await world.upload(
        hanako, [("a.jpg", phone_jpeg(samples, *GPS_PLACE), "image/jpeg")], lat=37.58, lng=140.43
    )

    report = response.json()["data"]["submitReport"]["report"]
    assert (report["lat"], report["lng"]) == (37.58, 140.43)


async def test_photo_stored_on_disk_without_metadata(world, samples):
    hanako = await world.resident()

    await world.upload(
        hanako, [("a.jpg", phone_jpeg(samples, *GPS_PLACE), "image/jpeg")], lat=None, lng=None
    )

    stored = files_under(world.settings.media_dir)
    assert len(stored) == 2  # the photo and its thumbnail for the map
    for path in stored:
        content = Path(path).read_bytes()
        assert samples.secret.encode() not in content and b"Exif" not in content


async def test_not_an_image_renamed_jpg__clear_error_nothing_left(world):
    hanako = await world.resident(language="en")

    response = await world.upload(
        hanako, [("photo.jpg", b"%PDF-1.4 not a photo at all" * 50, "image/jpeg")]
    )

    body = response.json()
    assert error_codes(body) == ["VALIDATION"]
    assert body["errors"][0]["extensions"]["field"] == "photos.0"
    assert "could not be read as a photo" in body["errors"][0]["message"]
    assert await Report.all().count() == 0 and await ReportPhoto.all().count() == 0
    assert files_under(world.settings.media_dir) == []


async def test_image_over_10_mb__clear_error_nothing_left(world):
    hanako = await world.resident(language="en")
    big = jpeg((64, 64)) + os.urandom(11 * 1024 * 1024)  # a valid JPEG followed by 11 MB

    response = await world.upload(hanako, [("big.jpg", big, "image/jpeg")])

    body = response.json()
    assert error_codes(body) == ["VALIDATION"]
    assert "at most 10 MB" in body["errors"][0]["message"]
    assert await Report.all().count() == 0 and files_under(world.settings.media_dir) == []


async def test_second_photo_broken__first_not_kept_either(world):
    hanako = await world.resident()

    response = await world.upload(
        hanako,
        [("a.jpg", jpeg(), "image/jpeg"), ("b.png", b"\x89PNG\r\n\x1a\n broken", "image/png")],
    )

    assert response.json()["errors"][0]["extensions"]["field"] == "photos.1"
    assert await Report.all().count() == 0 and files_under(world.settings.media_dir) == []


async def test_five_photos__refused(world):
    hanako = await world.resident(language="en")

    response = await world.upload(hanako, [(f"{i}.jpg", jpeg(), "image/jpeg") for i in range(5)])

    assert "At most 4 photos" in response.json()["errors"][0]["message"]
    assert files_under(world.settings.media_dir) == []


async def test_outside_area_with_photo__nothing_written(world, samples):
    hanako = await world.resident()

    response = await world.upload(
        hanako, [("a.jpg", phone_jpeg(samples, 35.0, 135.0), "image/jpeg")], lat=None, lng=None
    )

    assert error_codes(response.json()) == ["VALIDATION"]
    assert files_under(world.settings.media_dir) == [] and await Report.all().count() == 0


async def test_upload_without_preflight_header__refused(world, client):
    hanako = await world.resident()

    response = await client.post(
        "/graphql",
        data={"operations": "{}", "map": "{}"},
        files={"0": ("a.jpg", jpeg(), "image/jpeg")},
        headers={"Authorization": f"Bearer {hanako.token}"},
    )

    assert response.status_code == 400
