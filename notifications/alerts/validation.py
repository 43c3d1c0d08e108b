"""The rules an alert's content must meet before anyone is messaged (staff input, imports)."""

from __future__ import annotations

import math
import re
from datetime import datetime

from core.errors import invalid
from notifications.alerts.content import AlertContent

MAX_EVENT = 200
MAX_HEADLINE = 500
MAX_TEXT = 10_000
MAX_AREAS = 20
MAX_SHAPES = 50
MAX_POLYGON_POINTS = 1_000
MIN_RADIUS_M = 10.0
MAX_RADIUS_M = 500_000.0
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(value: str, field: str, max_length: int, *, multiline: bool = False) -> None:
    if len(value) > max_length:
        raise invalid("alerts.too_long", field=field, max=max_length)
    if _CONTROL.search(value) or (not multiline and ("\n" in value or "\r" in value)):
        raise invalid("alerts.control_characters", field=field)


def check_position(lat: float, lng: float, field: str) -> None:
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise invalid("alerts.bad_latitude", field=f"{field}.lat")
    if not (math.isfinite(lng) and -180 <= lng <= 180):
        raise invalid("alerts.bad_longitude", field=f"{field}.lng")


def check_radius(radius_m: float, field: str, low: float = MIN_RADIUS_M) -> None:
    if not (math.isfinite(radius_m) and low <= radius_m <= MAX_RADIUS_M):
        raise invalid("alerts.bad_radius", field=field, low=int(low), high=int(MAX_RADIUS_M))


def _check_polygon(points: list[dict], field: str) -> None:
    if not 3 <= len(points) <= MAX_POLYGON_POINTS:
        raise invalid("alerts.bad_polygon", field=field, max=MAX_POLYGON_POINTS)
    for index, point in enumerate(points):
        check_position(point["lat"], point["lng"], f"{field}[{index}]")


def check_areas(areas: list[dict], *, need_geometry: bool) -> None:
    if not areas or len(areas) > MAX_AREAS:
        raise invalid("alerts.bad_area_count", field="areas", max=MAX_AREAS)
    shapes = 0
    for index, area in enumerate(areas):
        field = f"areas[{index}]"
        check_text(area.get("description", ""), f"{field}.description", MAX_HEADLINE)
        if not area.get("description", "").strip():
            raise invalid("alerts.required", field=f"{field}.description")
        for number, circle in enumerate(area.get("circles", ())):
            check_position(circle["lat"], circle["lng"], f"{field}.circles[{number}]")
            check_radius(circle["radiusMeters"], f"{field}.circles[{number}].radiusMeters")
        for number, polygon in enumerate(area.get("polygons", ())):
            _check_polygon(polygon, f"{field}.polygons[{number}]")
        shapes += len(area.get("circles", ())) + len(area.get("polygons", ()))
    if shapes > MAX_SHAPES:
        raise invalid("alerts.too_many_shapes", field="areas", max=MAX_SHAPES)
    if need_geometry and shapes == 0:
        raise invalid("alerts.no_geometry", field="areas")


def check_content(content: AlertContent, *, now: datetime, need_geometry: bool = True) -> None:
    """Raises VALIDATION (with the input's field) for the first thing wrong."""
    check_text(content.event, "event", MAX_EVENT)
    if not content.event.strip():
        raise invalid("alerts.required", field="event")
    check_text(content.headline, "headline", MAX_HEADLINE)
    check_text(content.description, "description", MAX_TEXT, multiline=True)
    check_text(content.instruction, "instruction", MAX_TEXT, multiline=True)
    if content.expires is not None:
        if content.expires <= content.effective:
            raise invalid("alerts.expires_before_effective", field="expires")
        if content.expires <= now:
            raise invalid("alerts.expires_in_past", field="expires")
    check_areas(content.areas, need_geometry=need_geometry)
