"""Photo intake for issue reports: validate, read GPS, strip metadata, make a thumbnail.

A photo is accepted only if Pillow decodes it as JPEG, PNG or WebP; the file
name and the claimed content type are never trusted.

What is kept and what is not:

* The stored copy is re-encoded from pixels alone, so EXIF (GPS, camera serial
  numbers, time), XMP, IPTC, comments and PNG text chunks are all gone.
* The EXIF orientation is applied first, so the stripped copy still looks right.
* The ICC colour profile is not kept either: a profile names the device and
  software that made it and can help fingerprint a phone. Instead, pixels in
  another colour space (Display P3 from iPhones, Adobe RGB) are converted to
  sRGB before the profile is dropped, so colours stay right in every viewer.
* Only the first frame of an animated PNG or WebP is kept.

Memory is bounded per decode and per process. A JPEG is decoded at a reduced scale
(draft mode: 1/2, 1/4 or 1/8 while decoding) when it is larger than needed; PNG and WebP
cannot be decoded smaller, so they have a lower pixel ceiling; the stored copy is at most
STORED_MAX_SIDE on its long side; and at most DECODE_SLOTS photos decode at once in a
process (a few megapixels each), however many uploads arrive together.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import io
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from reports.errors import PhotoError
from reports.photos.gps import read_gps

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# PNG and WebP decode at full size, WebP through a decoder that keeps two RGBA canvases:
# lower ceilings for them (about 150 MB at the peak of one decode, measured).
MAX_PIXELS_BY_FORMAT = {"PNG": 16_000_000, "WEBP": 8_000_000}
# A JPEG is decoded at the smallest draft scale that keeps both sides at least this long.
DRAFT_SIDE = 2048
STORED_MAX_SIDE = 4096
DECODE_SLOTS = 2
THUMB_MAX_SIDE = 640
STORED_QUALITY = 85
THUMB_QUALITY = 80

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
SUFFIXES = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}

_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)
# Decoding runs on its own few threads: each thread's allocator keeps the memory of its
# largest photo for reuse, so the pool's size bounds that too (the event loop's default
# pool has dozens of threads).
_decoders = ThreadPoolExecutor(max_workers=DECODE_SLOTS, thread_name_prefix="photo-decode")
_BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    """The outcome of :func:`process_photo`; ``stored`` and ``thumb`` carry no metadata.

    ``sha256`` is the digest of the upload as received (to spot the same photo
    sent twice); ``stored_sha256`` is the digest of ``stored``.
    ``width``/``height`` are those of the stored copy, after orientation.
    The thumbnail is always JPEG so that any client (Telegram included) shows it.
    """

    format: str
    width: int
    height: int
    sha256: str
    gps: tuple[float, float] | None
    original_size: int
    stored: bytes
    stored_sha256: str
    thumb: bytes
    thumb_width: int
    thumb_height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def suffix(self) -> str:
        return SUFFIXES[self.format]

    thumb_content_type = CONTENT_TYPES["JPEG"]
    thumb_suffix = SUFFIXES["JPEG"]


class AsyncReadable(Protocol):
    async def read(self, size: int = -1) -> bytes: ...


async def read_limited(
    upload: AsyncReadable, limit: int = MAX_BYTES, chunk: int = 64 * 1024
) -> bytes:
    """Read an upload (e.g. Starlette's ``UploadFile``), refusing it once it passes ``limit``."""
    parts: list[bytes] = []
    total = 0
    while block := await upload.read(chunk):
        total += len(block)
        if total > limit:
            raise _too_large(limit)
        parts.append(block)
    return b"".join(parts)


async def process_photo_async(data: bytes, *, max_pixels: int = MAX_PIXELS) -> ProcessedPhoto:
    """:func:`process_photo` on a decoding thread, so decoding does not block the event loop."""
    loop = asyncio.get_running_loop()
    work = functools.partial(process_photo, data, max_pixels=max_pixels)
    return await loop.run_in_executor(_decoders, work)


def process_photo(data: bytes, *, max_pixels: int = MAX_PIXELS) -> ProcessedPhoto:
    """Validate an uploaded photo and produce its metadata-free stored copy and thumbnail.

    Raises :class:`PhotoError` with code PHOTO_EMPTY, PHOTO_TOO_LARGE,
    PHOTO_NOT_AN_IMAGE, PHOTO_FORMAT, PHOTO_CORRUPT or PHOTO_TOO_MANY_PIXELS.
    """
    if not data:
        raise PhotoError("PHOTO_EMPTY")
    if len(data) > MAX_BYTES:
        raise _too_large(MAX_BYTES)
    with _open_image(data) as image:
        _check_pixels(image, max_pixels)
        if image.format == "JPEG":
            image.draft(None, (DRAFT_SIDE, DRAFT_SIDE))
        _decode(image)
        gps = read_gps(image)
        image_format = image.format or "JPEG"
        try:
            clean = _clean_pixels(image)
        except _DECODE_ERRORS:
            raise PhotoError("PHOTO_CORRUPT") from None
    if max(clean.size) > STORED_MAX_SIDE:
        fitted = _fitted(clean.size, STORED_MAX_SIDE)
        clean = clean.resize(fitted, Image.Resampling.LANCZOS, reducing_gap=3.0)
    stored = _encode(clean, image_format, STORED_QUALITY)
    thumb_image = _thumbnail(clean)
    return ProcessedPhoto(
        format=image_format,
        width=clean.width,
        height=clean.height,
        sha256=hashlib.sha256(data).hexdigest(),
        gps=gps,
        original_size=len(data),
        stored=stored,
        stored_sha256=hashlib.sha256(stored).hexdigest(),
        thumb=_encode(thumb_image, "JPEG", THUMB_QUALITY),
        thumb_width=thumb_image.width,
        thumb_height=thumb_image.height,
    )


def _too_large(limit: int) -> PhotoError:
    return PhotoError("PHOTO_TOO_LARGE", max_mb=limit // (1024 * 1024))


def _open_image(data: bytes) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except _BOMB_ERRORS:
        raise PhotoError("PHOTO_TOO_MANY_PIXELS", max_megapixels=MAX_PIXELS // 1_000_000) from None
    except UnidentifiedImageError:
        raise _unaccepted(data) from None
    except _DECODE_ERRORS:
        raise PhotoError("PHOTO_CORRUPT") from None


def _unaccepted(data: bytes) -> PhotoError:
    """PHOTO_FORMAT if Pillow knows the file as another image format, else PHOTO_NOT_AN_IMAGE."""
    try:
        # Only the header is read: the file is named, never decoded.
        with Image.open(io.BytesIO(data)) as other:
            return PhotoError("PHOTO_FORMAT", format=other.format or "?")
    except Exception:  # noqa: BLE001 - whatever Pillow raises, it is not an image it knows
        return PhotoError("PHOTO_NOT_AN_IMAGE")


def _check_pixels(image: Image.Image, max_pixels: int) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise PhotoError("PHOTO_CORRUPT")
    max_pixels = min(max_pixels, MAX_PIXELS_BY_FORMAT.get(image.format or "", max_pixels))
    if width * height > max_pixels:
        raise PhotoError("PHOTO_TOO_MANY_PIXELS", max_megapixels=max_pixels // 1_000_000)


def _decode(image: Image.Image) -> None:
    try:
        image.load()
    except _BOMB_ERRORS:
        raise PhotoError("PHOTO_TOO_MANY_PIXELS", max_megapixels=MAX_PIXELS // 1_000_000) from None
    except _DECODE_ERRORS:
        raise PhotoError("PHOTO_CORRUPT") from None


def _clean_pixels(image: Image.Image) -> Image.Image:
    """Oriented sRGB pixels in a fresh image that carries no ``info`` and no EXIF.

    A fresh image (a conversion's result, else a copy) takes only ``info`` from its source,
    never the decoder's EXIF: emptying ``info`` leaves pixels alone, with one copy at most.
    """
    oriented = _oriented(image)
    converted = _to_srgb(_normalised_mode(oriented), image.info.get("icc_profile"))
    clean = converted.copy() if converted is image else converted
    clean.info = {}
    return clean


def _oriented(image: Image.Image) -> Image.Image:
    # A broken EXIF block must not cost the resident their photo: keep it as drawn.
    with contextlib.suppress(Exception):
        ImageOps.exif_transpose(image, in_place=True)
    return image


def _normalised_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA", "L"):
        return image
    if image.mode == "LA" or image.has_transparency_data:
        return image.convert("RGBA")
    if image.mode in ("I;16", "I"):
        # Converting 16-bit grey straight to 8 bits clips at 255; scale it down instead.
        return image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    if not icc_profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        target = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(image, source, target, outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _fitted(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size `Image.thumbnail` gives `size` within `side`×`side` (aspect kept, rounded
    to the nearer aspect ratio), so the thumbnail is made without copying the full image."""
    width, height = size
    x, y = min(width, side), min(height, side)
    aspect = width / height
    if x / y >= aspect:
        candidates = (math.floor(y * aspect), math.ceil(y * aspect))
        x = max(min(candidates, key=lambda n: abs(aspect - n / y)), 1)
    else:
        candidates = (math.floor(x / aspect), math.ceil(x / aspect))
        y = max(min(candidates, key=lambda n: 0 if n == 0 else abs(aspect - x / n)), 1)
    return x, y


def _thumbnail(image: Image.Image) -> Image.Image:
    size = _fitted(image.size, THUMB_MAX_SIDE)
    thumb = (
        image
        if size == image.size
        else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    )
    if thumb.mode == "RGBA":
        background = Image.new("RGB", thumb.size, (255, 255, 255))
        background.paste(thumb, mask=thumb.getchannel("A"))
        return background
    return thumb


def _encode(image: Image.Image, image_format: str, quality: int) -> bytes:
    out = io.BytesIO()
    if image_format == "JPEG":
        rgb = image if image.mode in ("RGB", "L") else image.convert("RGB")
        rgb.save(out, "JPEG", quality=quality, optimize=True)
    elif image_format == "WEBP":
        image.save(out, "WEBP", quality=quality, method=4)
    else:
        image.save(out, "PNG")
    return out.getvalue()
