"""An alert's area matcher: one point tested alone answers as the same point among many; its
projection keeps distances from the centre geodesic."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from notifications.alerts.geometry import WGS84, matcher_for, metres_around

CENTRE = (37.5849, 140.4312)
CIRCLE = [
    {"description": "市内", "circles": [{"lat": CENTRE[0], "lng": CENTRE[1], "radiusMeters": 3000}]}
]
RING = [(37.56, 140.40), (37.61, 140.41), (37.60, 140.47), (37.57, 140.45), (37.56, 140.40)]
POLYGON = [{"description": "東部", "polygons": [[{"lat": a, "lng": b} for a, b in RING]]}]

near = st.tuples(
    st.floats(min_value=CENTRE[0] - 0.06, max_value=CENTRE[0] + 0.06),
    st.floats(min_value=CENTRE[1] - 0.08, max_value=CENTRE[1] + 0.08),
)


@settings(max_examples=300, deadline=None)
@given(point=near)
def test_contains__the_same_answer_as_reaches_with_no_radius(point):
    lat, lng = point
    for areas in (CIRCLE, POLYGON):
        matcher = matcher_for(areas)
        among_many = matcher.reaches(np.array([lat, CENTRE[0]]), np.array([lng, 0.0]), np.zeros(2))
        assert matcher.contains(lat, lng) == bool(among_many[0])


def test_contains__inside_outside_and_on_the_edge():
    circle, polygon = matcher_for(CIRCLE), matcher_for(POLYGON)
    assert circle.contains(*CENTRE) and not circle.contains(CENTRE[0] + 0.05, CENTRE[1])
    assert circle.contains(CENTRE[0] + 0.0269, CENTRE[1])  # about 2,985 m north
    assert not circle.contains(CENTRE[0] + 0.0272, CENTRE[1])  # about 3,018 m
    assert polygon.contains(37.585, 140.43) and not polygon.contains(37.62, 140.43)
    assert polygon.contains(*RING[0]), "a corner of the area is in it"


@settings(max_examples=200, deadline=None)
@given(
    centre=st.tuples(
        st.floats(min_value=24.0, max_value=46.0), st.floats(min_value=122.0, max_value=154.0)
    ),
    bearing=st.floats(min_value=0.0, max_value=360.0),
    distance=st.floats(min_value=0.0, max_value=60_000.0),
)
def test_metres_around__a_points_distance_from_the_centre_is_the_geodesic_one(
    centre, bearing, distance
):
    lat, lng = centre
    point_lng, point_lat, _ = WGS84.fwd(lng, lat, bearing, distance)

    x, y = metres_around(lat=lat, lng=lng).transform(point_lng, point_lat)

    assert math.hypot(x, y) == pytest.approx(distance, abs=0.001)


def test_metres_around__the_same_metres_as_the_projection_by_its_crs():
    """The pipeline against pyproj's own construction of the same projection (EPSG:4326 to
    an aeqd CRS on the same centre), which looks both systems up in PROJ's database."""
    rng = np.random.default_rng(7)
    lngs, lats = rng.uniform(139.9, 141.0, 2000), rng.uniform(37.1, 38.1, 2000)
    for lat, lng in (CENTRE, (26.2124, 127.6809), (43.0642, 141.3469)):
        by_crs = Transformer.from_crs(
            "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lng} +datum=WGS84", always_xy=True
        )
        expected = np.column_stack(by_crs.transform(lngs, lats))
        got = np.column_stack(metres_around(lat=lat, lng=lng).transform(lngs, lats))
        assert np.abs(got - expected).max() < 1e-6
