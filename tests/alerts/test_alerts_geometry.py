"""An alert's area matcher: one point tested alone answers as the same point among many."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.alerts.geometry import matcher_for

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
