"""Issue reports as a GeoJSON FeatureCollection (RFC 7946) for the public map.

Only whitelisted, public properties are copied: whatever else a report dict
carries (reporter, e-mail, phone, staff notes, assignee) never reaches the feed.

A report dict has the keys ``id`` (the public id), ``lat``, ``lng``, ``status``
(internal status), ``service_code``, ``service_name``, ``description``,
``address``, ``created_at``, ``updated_at`` (aware datetimes), ``media_url``
and ``thumb_url``; missing keys become ``null``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from reports.map.bbox import BBox
from reports.times import w3_datetime
from reports.workflow import open311_status

CONTENT_TYPE = "application/geo+json"
COORDINATE_DECIMALS = 6  # about 0.1 m, as RFC 7946 §11.2 suggests

PUBLIC_PROPERTIES = (
    "status",
    "public_status",
    "service_code",
    "service_name",
    "description",
    "address",
    "requested_datetime",
    "updated_datetime",
    "media_url",
    "thumb_url",
)


def feature_collection(
    reports: Iterable[Mapping[str, Any]],
    *,
    properties: Iterable[str] = PUBLIC_PROPERTIES,
) -> dict[str, Any]:
    """A FeatureCollection of the reports that have a position, with its ``bbox``.

    ``properties`` may narrow the public set (e.g. leave out ``description``),
    never widen it.
    """
    chosen = _checked_properties(properties)
    features = [
        found for report in reports if (found := feature(report, properties=chosen)) is not None
    ]
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if features:
        collection["bbox"] = _bounds(features).as_list()
    return collection


def feature(
    report: Mapping[str, Any], *, properties: Iterable[str] = PUBLIC_PROPERTIES
) -> dict[str, Any] | None:
    """One Point Feature, or ``None`` when the report has no usable position."""
    position = _position(report)
    if position is None:
        return None
    lat, lng = position
    public = _public_values(report)
    return {
        "type": "Feature",
        "id": str(report["id"]),
        "geometry": {"type": "Point", "coordinates": [lng, lat]},
        "properties": {name: public[name] for name in _checked_properties(properties)},
    }


def _checked_properties(properties: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(properties)
    unknown = set(chosen) - set(PUBLIC_PROPERTIES)
    if unknown:
        raise ValueError(f"not public properties: {sorted(unknown)}")
    return chosen


def _public_values(report: Mapping[str, Any]) -> dict[str, Any]:
    status = report.get("status")
    return {
        "status": status and str(status),
        "public_status": open311_status(status) if status else None,
        "service_code": report.get("service_code"),
        "service_name": report.get("service_name"),
        "description": report.get("description"),
        "address": report.get("address"),
        "requested_datetime": _datetime(report.get("created_at")),
        "updated_datetime": _datetime(report.get("updated_at")),
        "media_url": report.get("media_url"),
        "thumb_url": report.get("thumb_url"),
    }


def _position(report: Mapping[str, Any]) -> tuple[float, float] | None:
    lat, lng = _as_float(report.get("lat")), _as_float(report.get("lng"))
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return round(lat, COORDINATE_DECIMALS), round(lng, COORDINATE_DECIMALS)


def _as_float(value: Any) -> float | None:
    """Numbers as the database hands them over (float, int, Decimal); anything else is no position."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _datetime(value: datetime | None) -> str | None:
    return w3_datetime(value) if value is not None else None


def _bounds(features: list[dict[str, Any]]) -> BBox:
    lngs = [item["geometry"]["coordinates"][0] for item in features]
    lats = [item["geometry"]["coordinates"][1] for item in features]
    return BBox(min(lngs), min(lats), max(lngs), max(lats))
