"""Photos decode within a memory budget: JPEGs at a reduced scale, lower ceilings for the
formats that cannot be decoded smaller, a bounded stored size and few decodes at once."""

from __future__ import annotations

import asyncio
import io
import threading

import pytest
from PIL import Image

from reports.errors import PhotoError
from reports.photos import processing
from reports.photos.processing import (
    DECODE_SLOTS,
    MAX_PIXELS_BY_FORMAT,
    STORED_MAX_SIDE,
    process_photo,
    process_photo_async,
)


def gradient(size: tuple[int, int], image_format: str) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(out, image_format)
    return out.getvalue()


def test_large_jpeg__decoded_at_a_reduced_scale(monkeypatch):
    decoded_sizes = []
    original = processing._decode

    def recording(image):
        original(image)
        decoded_sizes.append(image.size)

    monkeypatch.setattr(processing, "_decode", recording)

    result = process_photo(gradient((8000, 5000), "JPEG"))

    assert decoded_sizes == [(4000, 2500)]  # 1/2 scale, decoded so, not resized afterwards
    assert (result.width, result.height) == (4000, 2500)


def test_stored_copy__at_most_the_stored_side():
    result = process_photo(gradient((4200, 1000), "PNG"))

    assert max(result.width, result.height) == STORED_MAX_SIDE
    assert Image.open(io.BytesIO(result.stored)).size == (result.width, result.height)


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_formats_decoded_at_full_size__have_a_lower_ceiling(image_format):
    limit = MAX_PIXELS_BY_FORMAT[image_format]
    side = int(limit**0.5) + 2

    with pytest.raises(PhotoError) as caught:
        process_photo(gradient((side, side), image_format))

    assert caught.value.code == "PHOTO_TOO_MANY_PIXELS"
    assert caught.value.params == {"max_megapixels": limit // 1_000_000}


async def test_concurrent_uploads__decode_at_most_the_slots_at_once(monkeypatch):
    running = peak = 0
    lock = threading.Lock()
    original = processing._decode

    def counting(image):
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        try:
            original(image)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(processing, "_decode", counting)
    photo = gradient((2000, 1500), "PNG")

    await asyncio.gather(*(process_photo_async(photo) for _ in range(DECODE_SLOTS * 4)))

    assert peak <= DECODE_SLOTS
