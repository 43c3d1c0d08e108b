"""Read the GPS position a camera wrote into a photo's EXIF block.

Phones write GPSLatitude/GPSLongitude as three rationals (degrees, minutes,
seconds) and the hemisphere in GPSLatitudeRef ("N"/"S") and GPSLongitudeRef
("E"/"W"). Anything missing, malformed or out of range yields ``None``: the
position is only a suggestion for the map pin, never a reason to refuse a photo.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from PIL import ExifTags, Image

_COORDINATE_DECIMALS = 7


def read_gps(image: Image.Image) -> tuple[float, float] | None:
    """``(lat, lng)`` in WGS84 decimal degrees from the image's EXIF, or ``None``."""
    try:
        gps_ifd = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        return gps_from_ifd(gps_ifd)
    except Exception:  # noqa: BLE001
        # EXIF parsers raise many kinds of errors on hostile input; no position then.
        return None


def gps_from_ifd(gps_ifd: Mapping[int, Any]) -> tuple[float, float] | None:
    """``(lat, lng)`` from an already-parsed GPS IFD (tag number → value), or ``None``."""
    lat = _coordinate(
        gps_ifd.get(ExifTags.GPS.GPSLatitude),
        gps_ifd.get(ExifTags.GPS.GPSLatitudeRef),
        "N",
        "S",
        90.0,
    )
    lng = _coordinate(
        gps_ifd.get(ExifTags.GPS.GPSLongitude),
        gps_ifd.get(ExifTags.GPS.GPSLongitudeRef),
        "E",
        "W",
        180.0,
    )
    if lat is None or lng is None:
        return None
    if lat == 0.0 and lng == 0.0:
        # Cameras without a fix often write zeros; "Null Island" is never a real report.
        return None
    return (lat, lng)


def _coordinate(value: Any, ref: Any, positive: str, negative: str, limit: float) -> float | None:
    degrees = _degrees(value)
    hemisphere = _ref_letter(ref)
    if degrees is None or hemisphere not in (positive, negative) or degrees > limit:
        return None
    signed = -degrees if hemisphere == negative else degrees
    return round(signed, _COORDINATE_DECIMALS)


def _degrees(value: Any) -> float | None:
    """Degrees from (deg, min, sec), (deg, min) or (deg,) rationals."""
    if not isinstance(value, (tuple, list)) or not 1 <= len(value) <= 3:
        return None
    parts = [_number(part) for part in value]
    numbers = [part for part in parts if part is not None and part >= 0]
    if len(numbers) != len(parts) or any(part >= 60 for part in numbers[1:]):
        return None
    total = sum(part / 60**index for index, part in enumerate(numbers))
    return total if math.isfinite(total) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _ref_letter(ref: Any) -> str | None:
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if not isinstance(ref, str):
        return None
    return ref.strip("\x00 ").upper() or None
