"""The ``bbox`` query parameter shared by the GeoJSON feed and the Open311 requests list.

Order as in RFC 7946 §5: ``minLng,minLat,maxLng,maxLat`` (west, south, east,
north). A box crossing the antimeridian (west > east) is refused: a city's
issue map never needs one, and refusing keeps the database filter simple.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.validation import FieldError, ValidationFailed, parse_decimal


@dataclass(frozen=True, slots=True)
class BBox:
    min_lng: float
    min_lat: float
    max_lng: float
    max_lat: float

    def contains(self, lat: float, lng: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_lng <= lng <= self.max_lng

    def as_list(self) -> list[float]:
        """``[west, south, east, north]``, the GeoJSON ``bbox`` member."""
        return [self.min_lng, self.min_lat, self.max_lng, self.max_lat]


def parse_bbox(value: str, field: str = "bbox") -> BBox:
    """Parse ``"minLng,minLat,maxLng,maxLat"``; raises :class:`ValidationFailed` naming ``field``."""
    error = bbox_error(value, field)
    numbers = _numbers(value)
    if error is not None or numbers is None:
        raise ValidationFailed([error or FieldError(field, "BBOX_INVALID")])
    min_lng, min_lat, max_lng, max_lat = numbers
    return BBox(min_lng, min_lat, max_lng, max_lat)


def bbox_error(value: str, field: str = "bbox") -> FieldError | None:
    """The problem with a bbox parameter, or ``None`` if it is valid."""
    numbers = _numbers(value)
    if numbers is None:
        return FieldError(field, "BBOX_INVALID")
    min_lng, min_lat, max_lng, max_lat = numbers
    if not all(-180 <= lng <= 180 for lng in (min_lng, max_lng)) or not all(
        -90 <= lat <= 90 for lat in (min_lat, max_lat)
    ):
        return FieldError(field, "BBOX_OUT_OF_RANGE")
    if min_lng > max_lng or min_lat > max_lat:
        return FieldError(field, "BBOX_REVERSED")
    return None


def _numbers(value: str) -> list[float] | None:
    parts = value.split(",") if isinstance(value, str) else []
    if len(parts) != 4:
        return None
    numbers = [number for part in parts if (number := parse_decimal(part)) is not None]
    return numbers if len(numbers) == 4 else None
