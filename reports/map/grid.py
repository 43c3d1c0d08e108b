"""A fixed grid over the globe, so the map's box queries use a plain b-tree index on both engines.

Each report stores the number of the grid cell it lies in. A box query asks for the
few cells that cover the box (``cell IN (...)``), then checks lat/lng exactly. A cell is
0.005° on each side: about 550 m north-south and 440 m east-west in Fukushima, so a
2 km × 2 km viewport touches 20–30 cells and reads little more than it returns.
"""

from __future__ import annotations

import math

from geopy.distance import geodesic

from reports.map.bbox import BBox

CELL_DEGREES = 0.005
_ROWS = round(180 / CELL_DEGREES)
_COLUMNS = round(360 / CELL_DEGREES)
MAX_CELLS = 400  # larger boxes are read by lat/lng range instead
METRES_PER_DEGREE_LAT = 111_320.0


def _row(lat: float) -> int:
    return min(_ROWS - 1, max(0, math.floor((lat + 90) / CELL_DEGREES)))


def _column(lng: float) -> int:
    return min(_COLUMNS - 1, max(0, math.floor((lng + 180) / CELL_DEGREES)))


def cell_of(lat: float, lng: float) -> int:
    return _row(lat) * _COLUMNS + _column(lng)


def cells_covering(box: BBox, max_cells: int = MAX_CELLS) -> list[int] | None:
    """Every cell the box touches, or ``None`` when there are more than ``max_cells``."""
    rows = range(_row(box.min_lat), _row(box.max_lat) + 1)
    columns = range(_column(box.min_lng), _column(box.max_lng) + 1)
    if len(rows) * len(columns) > max_cells:
        return None
    return [row * _COLUMNS + column for row in rows for column in columns]


def box_around(lat: float, lng: float, radius_m: float) -> BBox:
    """A box that holds every point within ``radius_m`` of (lat, lng)."""
    dlat = radius_m / METRES_PER_DEGREE_LAT
    dlng = radius_m / (METRES_PER_DEGREE_LAT * max(0.01, math.cos(math.radians(lat))))
    return BBox(
        max(-180.0, lng - dlng),
        max(-90.0, lat - dlat),
        min(180.0, lng + dlng),
        min(90.0, lat + dlat),
    )


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Ellipsoid distance in metres between two (lat, lng) points."""
    return geodesic(a, b).meters


def box_size_m(box: BBox) -> tuple[float, float]:
    """(width, height) of a box in metres, measured along its middle."""
    middle_lat = (box.min_lat + box.max_lat) / 2
    middle_lng = (box.min_lng + box.max_lng) / 2
    width = distance_m((middle_lat, box.min_lng), (middle_lat, box.max_lng))
    height = distance_m((box.min_lat, middle_lng), (box.max_lat, middle_lng))
    return width, height
