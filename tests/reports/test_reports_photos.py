from __future__ import annotations

import io
import warnings

import pytest
from PIL import Image

from reports.errors import PhotoError
from reports.messages import MESSAGES, message
from reports.photos import processing as photos
from reports.photos.processing import (
    MAX_BYTES,
    ProcessedPhoto,
    process_photo,
    process_photo_async,
    read_limited,
)

TOKYO = (35.6895, 139.6917)
JPEG_METADATA_MARKERS = {
    0xE1: "APP1 (Exif/XMP)",
    0xE2: "APP2 (ICC)",
    0xED: "APP13 (IPTC)",
    0xFE: "COM",
}


def assert_no_metadata(blob: bytes, samples) -> None:
    """Nothing but pixels: no EXIF, GPS, XMP, ICC, comments or text chunks, by any route."""
    reopened = Image.open(io.BytesIO(blob))
    assert dict(reopened.getexif()) == {}
    assert reopened.getexif().get_ifd(0x8825) == {}
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "Comment", "Author"):
        assert key not in reopened.info
    for needle in (
        b"Exif",
        b"EXIF",
        b"xmp",
        b"XMP",
        b"ICC_PROFILE",
        samples.secret.encode(),
        b"SN-0042",
    ):
        assert needle not in blob
    if reopened.format == "JPEG":
        markers = {marker for marker, _ in samples.jpeg_segments(blob)}
        assert not markers & JPEG_METADATA_MARKERS.keys()
    elif reopened.format == "PNG":
        assert set(samples.png_chunk_types(blob)) <= {b"IHDR", b"IDAT", b"IEND"}
    else:
        assert set(samples.webp_chunk_types(blob)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}


def assert_refused(data: bytes, code: str, **kwargs: object) -> PhotoError:
    with pytest.raises(PhotoError) as caught:
        process_photo(data, **kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code
    return caught.value


# --- accepted formats, metadata removed --------------------------------------------------------


def test_jpeg__with_gps_exif_xmp_and_comment__stored_and_thumb_carry_none(samples, srgb_icc):
    exif = samples.make_exif(lat=TOKYO[0], lng=TOKYO[1])
    data = samples.encode(
        samples.two_tone(),
        "JPEG",
        exif=exif,
        xmp=samples.xmp.encode(),
        comment=samples.secret,
        icc_profile=srgb_icc,
    )
    assert b"Exif" in data and samples.secret.encode() in data  # the sample really carries it

    result = process_photo(data)

    assert (
        result.format == "JPEG" and result.content_type == "image/jpeg" and result.suffix == ".jpg"
    )
    assert result.gps == pytest.approx(TOKYO, abs=1e-6)
    assert_no_metadata(result.stored, samples)
    assert_no_metadata(result.thumb, samples)


def test_png__with_text_chunks_exif_and_icc__stays_png_without_them(
    samples, png_text_info, srgb_icc
):
    exif = samples.make_exif(lat=-33.8688, lng=151.2093)
    data = samples.encode(
        samples.two_tone(), "PNG", pnginfo=png_text_info(), exif=exif, icc_profile=srgb_icc
    )
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"} <= set(samples.png_chunk_types(data))

    result = process_photo(data)

    assert result.format == "PNG" and result.content_type == "image/png"
    assert result.gps == pytest.approx((-33.8688, 151.2093), abs=1e-6)
    assert_no_metadata(result.stored, samples)
    assert_no_metadata(result.thumb, samples)


def test_webp__with_exif_xmp_and_icc__stays_webp_without_them(samples, srgb_icc):
    exif = samples.make_exif(lat=TOKYO[0], lng=TOKYO[1])
    data = samples.encode(
        samples.two_tone(),
        "WEBP",
        exif=exif,
        xmp=samples.xmp.encode(),
        icc_profile=srgb_icc,
        quality=90,
    )
    assert {b"EXIF", b"XMP ", b"ICCP"} <= set(samples.webp_chunk_types(data))

    result = process_photo(data)

    assert (
        result.format == "WEBP" and result.content_type == "image/webp" and result.suffix == ".webp"
    )
    assert result.gps == pytest.approx(TOKYO, abs=1e-6)
    assert_no_metadata(result.stored, samples)
    assert_no_metadata(result.thumb, samples)


def test_result__describes_upload_and_copies(samples):
    data = samples.encode(samples.two_tone((300, 200)), "JPEG")

    result = process_photo(data)

    assert isinstance(result, ProcessedPhoto)
    assert (result.width, result.height) == (300, 200)
    assert result.original_size == len(data)
    assert len(result.sha256) == 64 and result.sha256 != result.stored_sha256
    assert Image.open(io.BytesIO(result.stored)).size == (300, 200)
    assert result.gps is None


def test_same_upload_twice__same_digests(samples):
    data = samples.encode(samples.two_tone(), "JPEG")

    first, second = process_photo(data), process_photo(data)

    assert first.sha256 == second.sha256
    assert first.stored_sha256 == second.stored_sha256


def test_format__comes_from_content_not_from_a_name(samples):
    png_bytes_named_jpg = samples.encode(samples.two_tone(), "PNG")

    assert process_photo(png_bytes_named_jpg).format == "PNG"


# --- orientation, colour, modes ---------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["JPEG", "WEBP", "PNG"])
def test_exif_orientation__applied_before_stripping(samples, image_format):
    # Orientation 6: the camera was turned; viewers rotate 90° clockwise, so the left half goes up.
    data = samples.encode(
        samples.two_tone((300, 200)), image_format, exif=samples.make_exif(orientation=6)
    )

    result = process_photo(data)

    stored = Image.open(io.BytesIO(result.stored)).convert("RGB")
    assert stored.size == (200, 300) and (result.width, result.height) == (200, 300)
    top, bottom = stored.getpixel((100, 40)), stored.getpixel((100, 260))
    assert top[0] > 200 and top[2] < 60  # red
    assert bottom[2] > 200 and bottom[0] < 60  # blue
    assert Image.open(io.BytesIO(result.thumb)).size == (200, 300)


def test_garbage_orientation__photo_kept_as_drawn(samples):
    data = samples.encode(
        samples.two_tone((300, 200)), "JPEG", exif=samples.make_exif(orientation=42)
    )

    assert process_photo(data).width == 300


def test_icc_profile__colours_kept_profile_dropped(samples, srgb_icc):
    data = samples.encode(Image.new("RGB", (64, 64), (10, 200, 30)), "PNG", icc_profile=srgb_icc)

    stored = Image.open(io.BytesIO(process_photo(data).stored))

    assert "icc_profile" not in stored.info
    assert stored.getpixel((5, 5)) == pytest.approx((10, 200, 30), abs=2)


def test_broken_icc_profile__photo_still_accepted(samples):
    data = samples.encode(
        Image.new("RGB", (64, 64), (10, 200, 30)), "PNG", icc_profile=b"not a profile" * 10
    )

    stored = Image.open(io.BytesIO(process_photo(data).stored))

    assert "icc_profile" not in stored.info and stored.getpixel((5, 5)) == (10, 200, 30)


def test_transparent_png__stored_keeps_alpha_thumb_is_flat_jpeg(samples):
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, 50, 100))

    result = process_photo(samples.encode(image, "PNG"))

    stored = Image.open(io.BytesIO(result.stored))
    thumb = Image.open(io.BytesIO(result.thumb))
    assert stored.mode == "RGBA" and stored.getpixel((80, 50))[3] == 0
    assert thumb.format == "JPEG" and thumb.mode == "RGB"
    assert thumb.getpixel((80, 50)) == pytest.approx((255, 255, 255), abs=3)


@pytest.mark.parametrize(
    ("mode", "fill", "image_format", "stored_mode"),
    [
        ("P", 3, "PNG", "RGB"),
        ("1", 1, "PNG", "RGB"),
        ("LA", (128, 200), "PNG", "RGBA"),
        ("L", 90, "PNG", "L"),
        ("I;16", 40000, "PNG", "L"),
        ("CMYK", (0, 255, 255, 0), "JPEG", "RGB"),
    ],
)
def test_unusual_modes__stored_in_a_web_mode(samples, mode, fill, image_format, stored_mode):
    data = samples.encode(Image.new(mode, (40, 30), fill), image_format)

    stored = Image.open(io.BytesIO(process_photo(data).stored))

    assert stored.mode == stored_mode


def test_sixteen_bit_grey__scaled_not_clipped(samples):
    data = samples.encode(Image.new("I;16", (40, 30), 40000), "PNG")

    stored = Image.open(io.BytesIO(process_photo(data).stored))

    assert stored.getpixel((1, 1)) == 40000 // 256


def test_animated_webp__first_frame_only(samples):
    frames = [
        Image.new("RGB", (50, 50), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))
    ]
    data = samples.encode(
        frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100, lossless=True
    )
    assert Image.open(io.BytesIO(data)).n_frames == 3

    stored = Image.open(io.BytesIO(process_photo(data).stored))

    assert getattr(stored, "n_frames", 1) == 1
    assert stored.convert("RGB").getpixel((25, 25)) == pytest.approx((255, 0, 0), abs=8)


# --- thumbnail ----------------------------------------------------------------------------------


def test_thumbnail__longest_side_640_aspect_kept(samples):
    data = samples.encode(samples.two_tone((2000, 1000)), "PNG")

    result = process_photo(data)

    thumb = Image.open(io.BytesIO(result.thumb))
    assert thumb.format == "JPEG" and thumb.size == (640, 320)
    assert (result.thumb_width, result.thumb_height) == (640, 320)
    assert result.thumb_content_type == "image/jpeg" and result.thumb_suffix == ".jpg"


def test_thumbnail__small_photo_not_enlarged(samples):
    result = process_photo(samples.encode(samples.two_tone((120, 80)), "WEBP"))

    assert Image.open(io.BytesIO(result.thumb)).size == (120, 80)


# --- refusals -----------------------------------------------------------------------------------


def test_empty_upload__refused():
    assert_refused(b"", "PHOTO_EMPTY")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
        b"<html><body>not a photo.jpg</body></html>",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00 a zip archive renamed photo.jpg",
        bytes(range(256)) * 8,
    ],
)
def test_not_an_image__refused_whatever_it_is_called(data):
    assert_refused(data, "PHOTO_NOT_AN_IMAGE")


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF"])
def test_other_image_format__refused_and_named(samples, image_format):
    error = assert_refused(samples.encode(samples.two_tone(), image_format), "PHOTO_FORMAT")

    assert error.params == {"format": image_format}
    assert image_format in error.message("en") and image_format in error.message("ja")


def test_eleven_megabytes__refused_before_decoding(samples, monkeypatch):
    def no_decoding(*args, **kwargs):
        raise AssertionError("an oversized upload must not reach the decoder")

    monkeypatch.setattr(photos.Image, "open", no_decoding)

    error = assert_refused(b"\xff\xd8\xff" + bytes(11 * 1024 * 1024), "PHOTO_TOO_LARGE")

    assert error.params == {"max_mb": 10}
    assert "10 MB" in error.message("ja") and "10 MB" in error.message("en")


def test_size_limit__exactly_ten_megabytes_accepted_one_byte_more_refused(samples):
    jpeg = samples.encode(samples.two_tone(), "JPEG")
    at_limit = jpeg + bytes(MAX_BYTES - len(jpeg))  # JPEG decoders stop at the end-of-image marker

    assert process_photo(at_limit).format == "JPEG"
    assert_refused(at_limit + b"\x00", "PHOTO_TOO_LARGE")


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_truncated_file__refused_as_corrupt(samples, image_format):
    noise = Image.effect_noise((256, 256), 80).convert("RGB")
    data = samples.encode(noise, image_format, **({"quality": 95} if image_format != "PNG" else {}))

    assert_refused(data[: len(data) // 2], "PHOTO_CORRUPT")


def test_jpeg_cut_inside_its_header__refused_as_corrupt():
    assert_refused(b"\xff\xd8\xff\xe0\x00\x10JFIF", "PHOTO_CORRUPT")


def test_decompression_bomb__header_claiming_400_megapixels_refused(samples):
    error = assert_refused(samples.png_with_size(20_000, 20_000), "PHOTO_TOO_MANY_PIXELS")

    assert error.params == {"max_megapixels": 40}


def test_decompression_bomb__49_megapixels_refused_by_our_own_limit(samples):
    assert_refused(samples.png_with_size(7_000, 7_000), "PHOTO_TOO_MANY_PIXELS")


@pytest.mark.parametrize("action", ["error", "ignore"])
def test_decompression_bomb__pillow_warning_zone_refused_however_warnings_are_set(samples, action):
    with warnings.catch_warnings():
        warnings.simplefilter(action)
        assert_refused(samples.png_with_size(10_000, 9_000), "PHOTO_TOO_MANY_PIXELS")


def test_pixel_limit__can_be_lowered(samples):
    assert_refused(
        samples.encode(samples.two_tone((300, 200)), "JPEG"),
        "PHOTO_TOO_MANY_PIXELS",
        max_pixels=50_000,
    )


def test_every_photo_error_code__has_ja_and_en_text():
    for code in (
        "PHOTO_EMPTY",
        "PHOTO_TOO_LARGE",
        "PHOTO_NOT_AN_IMAGE",
        "PHOTO_FORMAT",
        "PHOTO_CORRUPT",
        "PHOTO_TOO_MANY_PIXELS",
    ):
        assert MESSAGES[code]["ja"] and MESSAGES[code]["en"]
    assert message("PHOTO_TOO_MANY_PIXELS", "en", max_megapixels=40).count("40") == 1


# --- async helpers ------------------------------------------------------------------------------


class FakeUpload:
    def __init__(self, data: bytes) -> None:
        self._stream = io.BytesIO(data)

    async def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)


async def test_read_limited__returns_whole_upload():
    data = bytes(range(256)) * 1000

    assert await read_limited(FakeUpload(data), limit=len(data)) == data


async def test_read_limited__stops_once_over_the_limit():
    with pytest.raises(PhotoError) as caught:
        await read_limited(FakeUpload(bytes(5000)), limit=4096, chunk=1024)

    assert caught.value.code == "PHOTO_TOO_LARGE"


async def test_process_photo_async__same_result_as_sync(samples):
    data = samples.encode(
        samples.two_tone(), "JPEG", exif=samples.make_exif(lat=TOKYO[0], lng=TOKYO[1])
    )

    result = await process_photo_async(data)

    assert result == process_photo(data)
