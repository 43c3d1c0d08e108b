"""Who hears of an alert: each resident whose watch area or day-old shared location the alert
area reaches, and the whole-city subscribers when it touches the city; each of them once.

Candidates come from SQL by bounding box; the exact test runs on them all at once in metres
(notifications.alerts.geometry).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import shapely
from shapely.geometry import box
from tortoise import connections

from core import clock, database
from notifications.alerts.geometry import AreaMatcher, matcher_for, shape_of
from notifications.alerts.models import (
    Alert,
    AlertStatus,
    AlertSubscription,
    SharedLocation,
    WatchArea,
)

SHARED_LOCATION_LIFETIME = timedelta(hours=24)
EXERCISE_STATUSES = (AlertStatus.TEST, AlertStatus.EXERCISE)


async def select_recipients(
    alert: Alert,
    *,
    service_area: tuple[float, float, float, float],
    now: datetime | None = None,
) -> list[int]:
    """Resident ids, ascending, without repeats."""
    now = now or clock.now()
    chosen: set[int] = set()
    matcher = matcher_for(alert.areas)
    if matcher is not None:
        chosen |= await _watch_area_hits(alert, matcher)
        chosen |= await _shared_location_hits(alert, matcher, now)
    if touches_city(alert, service_area):
        chosen |= set(
            await AlertSubscription.filter(city_wide=True).values_list("resident_id", flat=True)
        )
    if alert.status in EXERCISE_STATUSES and chosen:
        testers = await AlertSubscription.filter(exercises=True).values_list(
            "resident_id", flat=True
        )
        chosen &= set(testers)
    return sorted(chosen)


def touches_city(alert: Alert, service_area: tuple[float, float, float, float]) -> bool:
    shape = shape_of(alert.areas)
    return shape is not None and bool(shapely.intersects(shape, box(*service_area)))


async def _watch_area_hits(alert: Alert, matcher: AreaMatcher) -> set[int]:
    # Plain SQL: for the tens of thousands of rows a city-sized alert reads, building
    # Tortoise's value tuples costs more than the query.
    marks = ("?",) * 4 if database.dialect() == "sqlite" else ("$1", "$2", "$3", "$4")
    sql = (
        f"SELECT resident_id, lat, lng, radius_m FROM {WatchArea._meta.db_table} "
        f"WHERE max_lat >= {marks[0]} AND min_lat <= {marks[1]} "
        f"AND max_lng >= {marks[2]} AND min_lng <= {marks[3]}"
    )
    bounds = [alert.min_lat, alert.max_lat, alert.min_lng, alert.max_lng]
    _, rows = await connections.get("default").execute_query(sql, bounds)
    return _hits([tuple(row) for row in rows], matcher)


async def _shared_location_hits(alert: Alert, matcher: AreaMatcher, now: datetime) -> set[int]:
    rows = await SharedLocation.filter(
        shared_at__gt=now - SHARED_LOCATION_LIFETIME,
        lat__gte=alert.min_lat,
        lat__lte=alert.max_lat,
        lng__gte=alert.min_lng,
        lng__lte=alert.max_lng,
    ).values_list("resident_id", "lat", "lng")
    return _hits([(*row, 0.0) for row in rows], matcher)


def _hits(rows: list[tuple], matcher: AreaMatcher) -> set[int]:
    if not rows:
        return set()
    table = np.array(rows, dtype=float)
    reached = matcher.reaches(table[:, 1], table[:, 2], table[:, 3])
    return set(table[reached, 0].astype(np.int64).tolist())
