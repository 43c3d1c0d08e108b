"""Random points in Japan: the nationwide index agrees with brute force for every hazard filter."""

from __future__ import annotations

import numpy as np
import pytest
from geo_support import central_angles, nationwide_points, screened_nearest

from geo.hazards import Hazard
from geo.index import NearestIndex

pytestmark = pytest.mark.slow

FILTERS = [0, *(h.bit for h in Hazard)]


@pytest.fixture(scope="module")
def nationwide():
    ids, lats, lngs, masks = nationwide_points()
    return (ids, lats, lngs, masks), NearestIndex.build(ids, lats, lngs, masks)


def query_points(lats, lngs, count, seed):
    rng = np.random.default_rng(seed)
    anywhere = np.column_stack((rng.uniform(24.0, 46.0, count), rng.uniform(123.0, 146.0, count)))
    picks = rng.integers(0, len(lats), count)
    near_sites = np.column_stack((lats[picks], lngs[picks])) + rng.normal(0, 0.02, (count, 2))
    return np.concatenate((anywhere, near_sites))


def test_nationwide__random_points_agree_with_brute_force(nationwide):
    (ids, lats, lngs, masks), index = nationwide
    assert len(index) == 115_402 + 82_557
    for lat, lng in query_points(lats, lngs, 100, seed=11):
        angles = central_angles(lat, lng, lats, lngs)
        for mask in FILTERS:
            allowed = None if mask == 0 else (masks & mask) == mask
            expected = screened_nearest(lat, lng, angles, ids, lats, lngs, 5, allowed)
            got = [(n.id, n.distance_m) for n in index.nearest(lat, lng, 5, hazard_mask=mask)]
            assert [i for i, _ in got] == [i for i, _ in expected], (lat, lng, mask)
            assert all(abs(a - b) <= 1e-6 for (_, a), (_, b) in zip(got, expected, strict=True))


def test_nationwide__max_distance_in_the_sea_far_from_any_site(nationwide):
    _, index = nationwide
    assert index.nearest(30.0, 145.0, 5, max_distance_m=10_000) == []
    assert len(index.nearest(30.0, 145.0, 5)) == 5
