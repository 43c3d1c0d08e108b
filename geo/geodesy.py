"""Exact WGS84 distances, and the conformal sphere the nearest-neighbour index searches on.

The index places every point on the unit sphere at its *conformal* latitude. The map from
the ellipsoid to that sphere is conformal, so a path's length on the ellipsoid is the integral
of one isotropic scale m(latitude) along its image: for any two points,

    min(m) * sphere_angle  <=  geodesic distance  <=  max(m) * sphere_angle,

with min/max taken over the latitudes the paths can reach. m falls monotonically from the
equatorial radius a (at the equator) to about 6,356.80 km (at the poles), and over the few
kilometres between a query and its neighbours it varies by parts per million. These are
the bounds that let the index compute exact geodesics for the results only.
"""

from __future__ import annotations

import math

import numpy as np
from geographiclib.geodesic import Geodesic
from pyproj import Geod

_WGS84 = Geodesic.WGS84
# PROJ's C port of the same Karney algorithm: the same distances (to nanometres) at about a
# fiftieth of the cost of a call to the pure-Python geographiclib.
_GEOD = Geod(ellps="WGS84")
_inverse = _GEOD.inv
EQUATORIAL_RADIUS_M = _WGS84.a
_E2 = _WGS84.f * (2 - _WGS84.f)
_E = math.sqrt(_E2)

# Smallest meridional radius of curvature: a geodesic of length s moves at most s / this
# (radians) in latitude.
MIN_MERIDIONAL_RADIUS_M = EQUATORIAL_RADIUS_M * (1 - _E2)
# Bound on d(geodetic latitude)/d(sphere angle) and on distance / (MIN_MERIDIONAL_RADIUS * angle):
# m / M <= a / (a (1 - e^2)).
LATITUDE_SPREAD = EQUATORIAL_RADIUS_M / MIN_MERIDIONAL_RADIUS_M * (1 + 1e-12)

_POLAR_CAP_RAD = math.radians(89.9)
# m at the poles is about 6,356,799.64 m; this is below it with room for rounding.
_SCALE_FLOOR_M = 6_356_799.0

_RELATIVE_SLACK = 1e-9
_ABSOLUTE_SLACK_M = 1e-6


def geodesic_distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Distance on the WGS84 ellipsoid in metres (Karney's algorithm, accurate to nanometres)."""
    return _inverse(lng1, lat1, lng2, lat2, return_back_azimuth=False)[2]


def conformal_latitude(phi: float) -> float:
    """Conformal latitude (radians) of the geodetic latitude phi (radians)."""
    if abs(phi) >= math.pi / 2:
        return math.copysign(math.pi / 2, phi)
    s = math.sin(phi)
    return math.asin(math.tanh(math.atanh(s) - _E * math.atanh(_E * s)))


def unit_vector(lat: float, lng: float) -> np.ndarray:
    chi = conformal_latitude(math.radians(lat))
    lam = math.radians(lng)
    cos_chi = math.cos(chi)
    return np.array((cos_chi * math.cos(lam), cos_chi * math.sin(lam), math.sin(chi)))


def unit_vectors(lats: np.ndarray, lngs: np.ndarray) -> np.ndarray:
    """(n, 3) points on the conformal unit sphere for arrays of degrees."""
    s = np.sin(np.radians(np.asarray(lats, dtype=np.float64)))
    with np.errstate(divide="ignore"):  # atanh(+-1) at the poles is +-inf, which is right
        chi = np.arcsin(np.tanh(np.arctanh(s) - _E * np.arctanh(_E * s)))
    lam = np.radians(np.asarray(lngs, dtype=np.float64))
    cos_chi = np.cos(chi)
    return np.column_stack((cos_chi * np.cos(lam), cos_chi * np.sin(lam), np.sin(chi)))


def chord_to_angle(chord: float) -> float:
    return 2.0 * math.asin(min(1.0, chord / 2.0))


def angle_to_chord(angle: float) -> float:
    return 2.0 * math.sin(min(math.pi, angle) / 2.0)


def scale_m(phi: float) -> float:
    """Ellipsoid metres per radian of the conformal sphere at geodetic latitude phi (radians)."""
    phi = abs(phi)
    if phi >= _POLAR_CAP_RAD:
        return _SCALE_FLOOR_M
    s = math.sin(phi)
    prime_vertical_radius = EQUATORIAL_RADIUS_M / math.sqrt(1 - _E2 * s * s)
    return prime_vertical_radius * math.cos(phi) / math.cos(conformal_latitude(phi))


def scale_bounds(lat: float, spread: float) -> tuple[float, float]:
    """(min, max) of the scale over geodetic latitudes within `spread` radians of lat (degrees)."""
    phi = math.radians(lat)
    low, high = phi - spread, phi + spread
    nearest_to_equator = 0.0 if low <= 0.0 <= high else min(abs(low), abs(high))
    farthest_from_equator = min(max(abs(low), abs(high)), math.pi / 2)
    return scale_m(farthest_from_equator), scale_m(nearest_to_equator)


def distance_bounds_m(angle: float, scale_low: float, scale_high: float) -> tuple[float, float]:
    """Bounds on the geodesic distance between points `angle` radians apart on the sphere."""
    lower = scale_low * angle * (1 - _RELATIVE_SLACK) - _ABSOLUTE_SLACK_M
    upper = scale_high * angle * (1 + _RELATIVE_SLACK) + _ABSOLUTE_SLACK_M
    return lower, upper


def max_angle_within(distance_m: float, scale_low: float) -> float:
    """Largest sphere angle whose lower distance bound (see distance_bounds_m) is <= distance_m."""
    return (distance_m + _ABSOLUTE_SLACK_M) / (scale_low * (1 - _RELATIVE_SLACK)) * (1 + 1e-15)


def max_angle_for_distance(distance_m: float) -> float:
    """No two points closer than distance_m on the ellipsoid are farther apart on the sphere."""
    return distance_m / _SCALE_FLOOR_M * (1 + _RELATIVE_SLACK) + 1e-15
