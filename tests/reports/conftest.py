from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from fractions import Fraction

import pytest
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo
from PIL.TiffImagePlugin import IFDRational

SECRET = "SECRET-MARKER"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    f'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="35,41.37N">{SECRET}'
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    """Degrees as the (deg, min, sec) rationals a phone writes."""
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    seconds = Fraction((minutes_full - minutes) * 60).limit_denominator(10_000)
    return (
        IFDRational(degrees, 1),
        IFDRational(minutes, 1),
        IFDRational(seconds.numerator, seconds.denominator),
    )


def make_exif(
    *,
    lat: float | None = None,
    lng: float | None = None,
    lat_ref: str | None = None,
    lng_ref: str | None = None,
    orientation: int | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = SECRET
    exif[ExifTags.Base.Model] = "Phone 15"
    exif[ExifTags.Base.BodySerialNumber] = "SN-0042"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if lat is not None and lng is not None:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef] = lat_ref or ("N" if lat >= 0 else "S")
        gps[ExifTags.GPS.GPSLatitude] = dms(abs(lat))
        gps[ExifTags.GPS.GPSLongitudeRef] = lng_ref or ("E" if lng >= 0 else "W")
        gps[ExifTags.GPS.GPSLongitude] = dms(abs(lng))
    return exif


def two_tone(size: tuple[int, int] = (300, 200), mode: str = "RGB") -> Image.Image:
    """Left half red, right half blue: lets a test see which way the image was turned."""
    image = Image.new(mode, size, (0, 0, 255, 255) if mode == "RGBA" else (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return image


def encode(image: Image.Image, image_format: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **params)
    return out.getvalue()


def noise_jpeg(size: tuple[int, int] = (256, 256)) -> bytes:
    """A JPEG whose entropy-coded data fills most of the file, so truncation bites."""
    return encode(Image.effect_noise(size, 80).convert("RGB"), "JPEG", quality=95)


def png_with_size(width: int, height: int) -> bytes:
    """A small valid PNG whose IHDR then claims ``width`` x ``height`` (a decompression bomb)."""
    data = bytearray(encode(Image.new("1", (8, 8)), "PNG"))
    ihdr_start = 8 + 4  # signature, chunk length
    body = bytearray(data[ihdr_start : ihdr_start + 4 + 13])
    body[4:12] = struct.pack(">II", width, height)
    data[ihdr_start : ihdr_start + 17] = body
    data[ihdr_start + 17 : ihdr_start + 21] = struct.pack(">I", zlib.crc32(bytes(body)))
    return bytes(data)


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of each JPEG segment before the entropy-coded scan."""
    assert data[:2] == b"\xff\xd8"
    position, segments = 2, []
    while position < len(data):
        assert data[position] == 0xFF
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: headers are over
            break
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        segments.append((marker, data[position + 4 : position + 2 + length]))
        position += 2 + length
    return segments


def png_chunk_types(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, types = 8, []
    while position < len(data):
        length = struct.unpack(">I", data[position : position + 4])[0]
        types.append(data[position + 4 : position + 8])
        position += 12 + length
    return types


def webp_chunk_types(data: bytes) -> list[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    position, types = 12, []
    while position < len(data):
        fourcc = data[position : position + 4]
        length = struct.unpack("<I", data[position + 4 : position + 8])[0]
        types.append(fourcc)
        position += 8 + length + (length & 1)
    return types


class Samples:
    """The helpers above, handed to tests through the ``samples`` fixture."""

    secret = SECRET
    xmp = XMP
    dms = staticmethod(dms)
    make_exif = staticmethod(make_exif)
    two_tone = staticmethod(two_tone)
    encode = staticmethod(encode)
    noise_jpeg = staticmethod(noise_jpeg)
    png_with_size = staticmethod(png_with_size)
    jpeg_segments = staticmethod(jpeg_segments)
    png_chunk_types = staticmethod(png_chunk_types)
    webp_chunk_types = staticmethod(webp_chunk_types)


@pytest.fixture
def samples() -> type[Samples]:
    return Samples


@pytest.fixture
def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


@pytest.fixture
def png_text_info() -> Callable[[], PngInfo]:
    def build() -> PngInfo:
        info = PngInfo()
        info.add_text("Comment", SECRET)
        info.add_text("Author", SECRET, zip=True)
        info.add_itxt("XML:com.adobe.xmp", XMP)
        return info

    return build


@pytest.fixture
async def world(client, gql, settings):
    from tests.reports.world import World

    city = World(client, gql, settings)
    await city.seed()
    return city


from tests.bots.conftest import bot  # noqa: F401 - the bot under test, for the /report flow
