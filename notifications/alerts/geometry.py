"""Alert areas as shapes, and which circles (watch areas) or points they reach.

Circles are geodesic: their rings are computed on the WGS84 ellipsoid, never as a buffer in
degrees (a degree of longitude is 88 km here but 111 km at the equator). Matching happens in
metres, in an azimuthal equidistant projection centred on the alert area, where a resident's
circle of radius r reaches the area exactly when its centre is within r of it; over a city the
projection's distortion is far below a metre.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

WGS84 = Geod(ellps="WGS84")
RING_POINTS = 256


def circle_ring(lat: float, lng: float, radius_m: float) -> list[tuple[float, float]]:
    """The geodesic circle as (lng, lat) points, closed."""
    azimuths = np.linspace(0.0, 360.0, RING_POINTS, endpoint=False)
    lngs, lats, _ = WGS84.fwd(
        np.full(RING_POINTS, lng),
        np.full(RING_POINTS, lat),
        azimuths,
        np.full(RING_POINTS, radius_m),
    )
    points = list(zip(lngs.tolist(), lats.tolist(), strict=True))
    return [*points, points[0]]


def circle_bounds(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, min_lng, max_lat, max_lng) of a geodesic circle, a little generous."""
    lngs, lats, _ = WGS84.fwd([lng] * 4, [lat] * 4, [0, 90, 180, 270], [radius_m * 1.001 + 1] * 4)
    return (min(lats), min(lngs), max(lats), max(lngs))


def _polygon(points: Sequence[dict]) -> BaseGeometry:
    ring = [(float(p["lng"]), float(p["lat"])) for p in points]
    return shapely.make_valid(Polygon(ring))


def shape_of(areas: Iterable[dict]) -> BaseGeometry | None:
    """The union of every circle and polygon of the areas (lng/lat), or None without any."""
    parts: list[BaseGeometry] = []
    for area in areas:
        for circle in area.get("circles", ()):
            parts.append(Polygon(circle_ring(circle["lat"], circle["lng"], circle["radiusMeters"])))
        for polygon in area.get("polygons", ()):
            parts.append(_polygon(polygon))
    if not parts:
        return None
    return shapely.union_all(parts)


def bounds_of(areas: list[dict]) -> tuple[float, float, float, float] | None:
    """(min_lat, min_lng, max_lat, max_lng) of the areas' geometry."""
    boxes = []
    for area in areas:
        for circle in area.get("circles", ()):
            boxes.append(circle_bounds(circle["lat"], circle["lng"], circle["radiusMeters"]))
        for polygon in area.get("polygons", ()):
            lats = [float(p["lat"]) for p in polygon]
            lngs = [float(p["lng"]) for p in polygon]
            boxes.append((min(lats), min(lngs), max(lats), max(lngs)))
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def metres_around(*, lat: float, lng: float) -> Transformer:
    """(lng, lat) in degrees to metres in the azimuthal equidistant projection centred on the
    point, on WGS84: a point's distance from the centre is its geodesic one.

    Written as a PROJ pipeline: `Transformer.from_crs` first looks both systems up in PROJ's
    database, 10 to 30 ms on the event loop for every new alert area; the pipeline is built in
    a tenth of a millisecond and gives the same coordinates."""
    return Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj=aeqd +lat_0={float(lat)!r} +lon_0={float(lng)!r} +ellps=WGS84"
    )


@dataclass(frozen=True)
class AreaMatcher:
    """An alert's area in local metres, to test many circles or points against at once."""

    to_metres: Transformer
    area: BaseGeometry
    # A lone circle is matched by distance from its centre (where the projection is
    # centred, so the distance is the geodesic one), without its polygon.
    circle_radius_m: float | None = None

    @classmethod
    def of(cls, shape: BaseGeometry, circle: dict | None = None) -> AreaMatcher:
        centre = (circle["lng"], circle["lat"]) if circle else (shape.centroid.x, shape.centroid.y)
        to_metres = metres_around(lat=centre[1], lng=centre[0])
        area = shapely.transform(shape, lambda xy: np.column_stack(to_metres.transform(*xy.T)))
        shapely.prepare(area)
        radius = circle["radiusMeters"] if circle else None
        return cls(to_metres=to_metres, area=area, circle_radius_m=radius)

    def reaches(self, lats: np.ndarray, lngs: np.ndarray, radii_m: np.ndarray) -> np.ndarray:
        """For each circle (centre, radius in metres): does it touch the area?"""
        if len(lats) == 0:
            return np.zeros(0, dtype=bool)
        xs, ys = self.to_metres.transform(np.asarray(lngs), np.asarray(lats))
        radii = np.asarray(radii_m, dtype=float)
        if self.circle_radius_m is not None:
            return np.hypot(xs, ys) <= self.circle_radius_m + radii
        return shapely.dwithin(self.area, shapely.points(xs, ys), radii)

    def contains(self, lat: float, lng: float) -> bool:
        """`reaches` for one point with no radius, without its arrays (a request in disaster
        mode asks this of every alert in force: 2.5 µs instead of 15 for a circle)."""
        x, y = self.to_metres.transform(lng, lat)
        if self.circle_radius_m is not None:
            return math.hypot(x, y) <= self.circle_radius_m
        return bool(shapely.intersects_xy(self.area, x, y))


@lru_cache(maxsize=256)
def _matcher(areas_json: str) -> AreaMatcher | None:
    areas = json.loads(areas_json)
    shape = shape_of(areas)
    if shape is None or shape.is_empty:
        return None
    circles = [c for a in areas for c in a.get("circles", ())]
    polygons = [p for a in areas for p in a.get("polygons", ())]
    return AreaMatcher.of(shape, circles[0] if len(circles) == 1 and not polygons else None)


def matcher_for(areas: list[dict]) -> AreaMatcher | None:
    """A matcher for an alert's areas (None when they have no geometry), cached by content."""
    return _matcher(json.dumps(areas, sort_keys=True))
