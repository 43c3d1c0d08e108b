"""Alert topics: a device follows the grid cells its watch areas cover (and the city, when
it subscribed to the whole city), one set per language; an alert goes to the cells its area
covers, five topics to a request (an FCM `condition`).

Two grids: fine cells of 0.02° (about 2.2 × 1.8 km here) for ordinary watch areas, coarse
cells of 0.2° for a wide one (more than FINE_CELLS_MAX fine cells), so no device follows more
than a few hundred topics (FCM allows 2,000). An alert names both grids' cells, so a device
hears of every alert that reaches its areas, and of some that pass close by: a cell is the
precision of push by topic."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from core.i18n import LANGUAGES

FINE_DEGREES = 0.02
COARSE_DEGREES = 0.2
FINE_CELLS_MAX = 16
CONDITION_TOPICS = 5  # FCM's limit for one condition
METRES_PER_DEGREE = 111_320.0
PREFIX = "alert"


def city_topic(language: str) -> str:
    return f"{PREFIX}-{language}-city"


def _cells(shape: BaseGeometry, size: float) -> list[tuple[int, int]]:
    min_lng, min_lat, max_lng, max_lat = shape.bounds
    rows = range(math.floor(min_lat / size), math.floor(max_lat / size) + 1)
    cols = range(math.floor(min_lng / size), math.floor(max_lng / size) + 1)
    pairs = [(i, j) for i in rows for j in cols]
    boxes = shapely.box(
        *np.array([(j * size, i * size, (j + 1) * size, (i + 1) * size) for i, j in pairs]).T
    )
    hit = shapely.intersects(boxes, shape)
    return [pair for pair, inside in zip(pairs, hit, strict=True) if inside]


def _names(cells: Iterable[tuple[int, int]], grid: str, language: str) -> list[str]:
    return [f"{PREFIX}-{language}-{grid}{i}-{j}" for i, j in cells]


def _circle_cells(lat: float, lng: float, radius_m: float, size: float) -> list[tuple[int, int]]:
    """Cells a circle reaches: the nearest point of each cell in its bounding box within the
    radius, in local metres (a little generous, as a watch area's bounds are)."""
    reach = radius_m * 1.01 + 10
    per_lat = METRES_PER_DEGREE
    per_lng = METRES_PER_DEGREE * math.cos(math.radians(lat))
    d_lat, d_lng = reach / per_lat, reach / per_lng
    cells = []
    for i in range(math.floor((lat - d_lat) / size), math.floor((lat + d_lat) / size) + 1):
        near_lat = min(max(lat, i * size), (i + 1) * size)
        for j in range(math.floor((lng - d_lng) / size), math.floor((lng + d_lng) / size) + 1):
            near_lng = min(max(lng, j * size), (j + 1) * size)
            if math.hypot((near_lat - lat) * per_lat, (near_lng - lng) * per_lng) <= reach:
                cells.append((i, j))
    return cells


def area_topics(lat: float, lng: float, radius_m: float, language: str) -> list[str]:
    """A watch area's topics: its fine cells, or its coarse cells when it is wide."""
    fine = _circle_cells(lat, lng, radius_m, FINE_DEGREES)
    if len(fine) <= FINE_CELLS_MAX:
        return _names(fine, "f", language)
    return _names(_circle_cells(lat, lng, radius_m, COARSE_DEGREES), "k", language)


def alert_topics(shape: BaseGeometry | None, city: bool, language: str) -> list[str]:
    """Every topic whose devices an alert over `shape` must reach (both grids)."""
    topics = [city_topic(language)] if city else []
    if shape is not None and not shape.is_empty:
        topics += _names(_cells(shape, FINE_DEGREES), "f", language)
        topics += _names(_cells(shape, COARSE_DEGREES), "k", language)
    return topics


def conditions(topics: Sequence[str]) -> list[list[str]]:
    """The topics in groups of five, one FCM request each."""
    return [
        list(topics[start : start + CONDITION_TOPICS])
        for start in range(0, len(topics), CONDITION_TOPICS)
    ]


def condition_text(topics: Sequence[str]) -> str:
    return " || ".join(f"'{topic}' in topics" for topic in topics)


def languages() -> tuple[str, ...]:
    return tuple(LANGUAGES)
