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


def area_topics(shape: BaseGeometry, language: str) -> list[str]:
    """A watch area's topics: its fine cells, or its coarse cells when it is wide."""
    fine = _cells(shape, FINE_DEGREES)
    if len(fine) <= FINE_CELLS_MAX:
        return _names(fine, "f", language)
    return _names(_cells(shape, COARSE_DEGREES), "k", language)


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
