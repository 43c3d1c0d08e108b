"""The bounds the index relies on hold for the real ellipsoid."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from geo import geodesy


def test_geodesic__one_degree_of_the_equator():
    assert geodesy.geodesic_distance_m(0, 0, 0, 1) == pytest.approx(111_319.490793, abs=1e-6)
    assert geodesy.geodesic_distance_m(35.0, 139.0, 35.0, 139.0) == 0.0


def test_scale__falls_from_the_equator_to_the_poles_and_stays_above_the_floor():
    latitudes = np.radians(np.linspace(0, 90, 9001))
    scales = [geodesy.scale_m(phi) for phi in latitudes]
    assert scales[0] == pytest.approx(geodesy.EQUATORIAL_RADIUS_M)
    assert all(a >= b for a, b in itertools.pairwise(scales))
    assert min(scales) >= 6_356_799.0
    assert geodesy.scale_m(-0.6) == geodesy.scale_m(0.6)


def test_unit_vectors__are_unit_length_and_agree_with_the_scalar_version():
    lats = np.array([-90.0, -45.0, 0.0, 35.7, 89.999, 90.0])
    lngs = np.array([0.0, -170.0, 180.0, 139.7, 10.0, 0.0])
    vectors = geodesy.unit_vectors(lats, lngs)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    for vector, lat, lng in zip(vectors, lats, lngs, strict=True):
        assert np.allclose(vector, geodesy.unit_vector(lat, lng), atol=1e-15)


@pytest.mark.parametrize("spread_deg", [0.001, 0.05, 2.0])
def test_bounds__contain_the_geodesic_for_random_pairs(spread_deg):
    rng = np.random.default_rng(int(spread_deg * 1000))
    for _ in range(300):
        lat1, lng1 = rng.uniform(-85, 85), rng.uniform(-180, 180)
        lat2 = float(np.clip(lat1 + rng.normal(0, spread_deg), -90, 90))
        lng2 = lng1 + rng.normal(0, spread_deg)
        chord = float(
            np.linalg.norm(geodesy.unit_vector(lat1, lng1) - geodesy.unit_vector(lat2, lng2))
        )
        angle = geodesy.chord_to_angle(chord)
        low, high = geodesy.scale_bounds(lat1, angle * geodesy.LATITUDE_SPREAD * (1 + 1e-8))
        lower, upper = geodesy.distance_bounds_m(angle, low, high)
        exact = geodesy.geodesic_distance_m(lat1, lng1, lat2, lng2)
        assert lower <= exact <= upper
        assert upper - lower <= max(1e-5 * exact, 1e-5) * max(1.0, spread_deg * 100)


def test_max_angle_for_distance__no_closer_point_lies_farther_on_the_sphere():
    for lat in (0.0, 35.0, 80.0):
        distance = geodesy.geodesic_distance_m(lat, 139.0, lat + 0.01, 139.01)
        vector_gap = np.linalg.norm(
            geodesy.unit_vector(lat, 139.0) - geodesy.unit_vector(lat + 0.01, 139.01)
        )
        assert geodesy.chord_to_angle(float(vector_gap)) <= geodesy.max_angle_for_distance(distance)
        assert math.isclose(geodesy.angle_to_chord(geodesy.chord_to_angle(0.5)), 0.5)


def test_geodesic__agrees_with_geographiclib_to_the_millimetre():
    from geographiclib.geodesic import Geodesic

    rng = np.random.default_rng(7)
    pairs = [
        *((rng.uniform(20, 46), rng.uniform(122, 154), 0.05) for _ in range(2000)),
        *((rng.uniform(-90, 90), rng.uniform(-180, 180), 90.0) for _ in range(500)),
    ]
    worst = 0.0
    for lat, lng, spread in pairs:
        other_lat = float(np.clip(lat + rng.normal(0, spread), -90, 90))
        other_lng = lng + rng.normal(0, spread)
        reference = Geodesic.WGS84.Inverse(lat, lng, other_lat, other_lng, Geodesic.DISTANCE)["s12"]
        got = geodesy.geodesic_distance_m(lat, lng, other_lat, other_lng)
        worst = max(worst, abs(got - reference))
    assert worst < 1e-3
    # Nearly antipodal points, where the inverse problem is hardest.
    reference = Geodesic.WGS84.Inverse(0.5, 0.0, -0.5, 179.7, Geodesic.DISTANCE)["s12"]
    assert abs(geodesy.geodesic_distance_m(0.5, 0.0, -0.5, 179.7) - reference) < 1e-3
