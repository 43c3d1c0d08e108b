"""The index returns exactly the brute-force ranking by (geodesic distance, id)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from geo_support import data_path, exhaustive_nearest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.availability import TOKYO, AedAvailability
from geo.geodesy import geodesic_distance_m
from geo.hazards import Hazard
from geo.index import NearestIndex
from geo.readers import read_geo_file

MASKS = [0, *(h.bit for h in Hazard), Hazard.FLOOD.bit | Hazard.TSUNAMI.bit]


def as_pairs(neighbours):
    return [(n.id, n.distance_m) for n in neighbours]


def assert_same_ranking(got, expected):
    assert [i for i, _ in got] == [i for i, _ in expected]
    assert all(abs(a - b) <= 1e-9 for (_, a), (_, b) in zip(got, expected, strict=True))


@pytest.fixture(scope="module")
def clustered():
    """400 points in clusters around Tokyo Bay, with shared positions and shuffled ids."""
    rng = np.random.default_rng(7)
    centres = rng.uniform((35.3, 139.5), (35.8, 140.2), size=(8, 2))
    points = centres[rng.integers(0, 8, 400)] + rng.normal(0, 0.01, (400, 2))
    points[50:60] = points[3]  # ten sites at one position
    points[60:62] = points[4]
    ids = rng.permutation(400) * 7 + 11
    masks = rng.integers(0, 256, 400).astype(np.uint8)
    return ids, points[:, 0], points[:, 1], masks


def test_index__matches_exhaustive_ranking_for_every_hazard_filter(clustered):
    ids, lats, lngs, masks = clustered
    index = NearestIndex.build(ids, lats, lngs, masks)
    rng = np.random.default_rng(8)
    queries = [(lats[3] + 1e-5, lngs[3])] + [
        (rng.uniform(35.2, 35.9), rng.uniform(139.4, 140.3)) for _ in range(30)
    ]
    for lat, lng in queries:
        everyone = exhaustive_nearest(lat, lng, ids, lats, lngs, len(ids))
        mask_of_id = dict(zip(ids.tolist(), masks.tolist(), strict=True))
        for mask in MASKS:
            allowed = [pair for pair in everyone if mask_of_id[pair[0]] & mask == mask]
            for k in (1, 5, 12):
                got = as_pairs(index.nearest(lat, lng, k, hazard_mask=mask))
                assert_same_ranking(got, allowed[:k])


def test_index__ties_are_ordered_by_id(clustered):
    ids, lats, lngs, masks = clustered
    index = NearestIndex.build(ids, lats, lngs, masks)
    got = index.nearest(lats[3], lngs[3], 5)
    tied = sorted(int(i) for i in ids[[3, *range(50, 60)]])
    assert [n.id for n in got] == tied[:5]
    assert all(n.distance_m == 0.0 for n in got)


def test_index__max_distance_and_accept_filter_like_brute_force(clustered):
    ids, lats, lngs, masks = clustered
    index = NearestIndex.build(ids, lats, lngs, masks)
    asked = []

    def odd(id_):
        asked.append(id_)
        return id_ % 2 == 1

    for lat, lng in [(35.5, 139.8), (35.65, 139.95), (35.3, 140.25)]:
        allowed = ids % 2 == 1
        everything = exhaustive_nearest(lat, lng, ids, lats, lngs, 400, allowed)
        expected = [pair for pair in everything if pair[1] <= 5_000][:8]
        got = index.nearest(lat, lng, 8, max_distance_m=5_000, accept=odd)
        assert_same_ranking(as_pairs(got), expected)
    assert len(asked) < 3 * 400  # asked about candidates, not about every point each time


def test_index__accept_rejecting_everything_gives_nothing(clustered):
    index = NearestIndex.build(*clustered)
    assert index.nearest(35.5, 139.8, 5, accept=lambda _: False) == []


def test_index__max_distance_zero_keeps_only_sites_at_the_spot(clustered):
    ids, lats, lngs, masks = clustered
    index = NearestIndex.build(ids, lats, lngs, masks)
    assert len(index.nearest(lats[3], lngs[3], 50, max_distance_m=0)) == 11
    assert index.nearest(lats[3] + 0.001, lngs[3], 5, max_distance_m=1.0) == []


def test_index__real_sites_with_hazards_match_exhaustive_ranking():
    records = []
    for name in ("gsi_chiba_121002_emergency.geojson", "gsi_sabae_182079_emergency.geojson"):
        records += read_geo_file(data_path(name)).read_all()
    ids = np.arange(1, len(records) + 1)
    lats = np.array([r.lat for r in records])
    lngs = np.array([r.lng for r in records])
    masks = np.array([r.hazards for r in records])
    index = NearestIndex.build(ids, lats, lngs, masks)
    rng = np.random.default_rng(9)
    picks = rng.integers(0, len(records), 25)
    for lat, lng in zip(lats[picks] + rng.normal(0, 0.01, 25), lngs[picks], strict=True):
        distances = [geodesic_distance_m(lat, lng, a, b) for a, b in zip(lats, lngs, strict=True)]
        for mask in MASKS:
            allowed = (masks & mask) == mask
            ranked = sorted(
                (d, int(i)) for d, i, ok in zip(distances, ids, allowed, strict=True) if ok
            )
            expected = [(i, d) for d, i in ranked[:5]]
            assert_same_ranking(as_pairs(index.nearest(lat, lng, 5, hazard_mask=mask)), expected)


@pytest.mark.parametrize(
    ("lat", "lng"), [(89.99, 0.0), (-90.0, 0.0), (0.0, 179.999), (0.0, -179.999), (35.0, -40.0)]
)
def test_index__poles_antimeridian_and_far_away_queries(lat, lng):
    rng = np.random.default_rng(10)
    lats = np.concatenate([rng.uniform(-90, 90, 60), [90.0, -89.999, 0.0, 0.0]])
    lngs = np.concatenate([rng.uniform(-180, 180, 60), [0.0, 120.0, 180.0, -180.0]])
    ids = np.arange(len(lats))
    index = NearestIndex.build(ids, lats, lngs)
    expected = exhaustive_nearest(lat, lng, ids, lats, lngs, 6)
    assert_same_ranking(as_pairs(index.nearest(lat, lng, 6)), expected)


@settings(max_examples=60, deadline=None)
@given(
    points=st.lists(
        st.tuples(st.floats(34.0, 34.05), st.floats(135.0, 135.05), st.integers(0, 3)),
        min_size=1,
        max_size=25,
    ),
    query=st.tuples(st.floats(33.9, 34.15), st.floats(134.9, 135.15)),
    k=st.integers(1, 8),
    mask=st.sampled_from([0, 1, 2, 3]),
)
def test_index__property_equals_exhaustive_ranking(points, query, k, mask):
    lats = [p[0] for p in points]
    lngs = [p[1] for p in points]
    masks = [p[2] for p in points]
    ids = list(range(100, 100 + len(points)))
    index = NearestIndex.build(ids, lats, lngs, masks)
    allowed = [(m & mask) == mask for m in masks]
    expected = exhaustive_nearest(*query, ids, lats, lngs, k, allowed)
    assert_same_ranking(as_pairs(index.nearest(*query, k, hazard_mask=mask)), expected)


def test_index__k_larger_than_the_points_returns_them_all_in_order():
    index = NearestIndex.build([3, 1, 2], [35.0, 35.1, 35.2], [139.0, 139.0, 139.0])
    assert [n.id for n in index.nearest(35.0, 139.0, 10)] == [3, 1, 2]


def test_index__empty_or_without_the_hazard_returns_nothing():
    assert NearestIndex.build([], [], []).nearest(35.0, 139.0) == []
    index = NearestIndex.build([1], [35.0], [139.0], [Hazard.FLOOD.bit])
    assert index.nearest(35.0, 139.0, hazard_mask=Hazard.TSUNAMI.bit) == []
    assert [n.id for n in index.nearest(35.0, 139.0, hazard_mask=Hazard.FLOOD.bit)] == [1]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lat": 91.0},
        {"lat": math.nan},
        {"lng": math.inf},
        {"k": 0},
        {"k": True},
        {"k": 2.0},
        {"hazard_mask": 256},
        {"hazard_mask": -1},
        {"max_distance_m": -1.0},
        {"max_distance_m": math.nan},
    ],
)
def test_index__bad_queries_are_refused(kwargs):
    index = NearestIndex.build([1], [35.0], [139.0])
    query = {"lat": 35.0, "lng": 139.0, "k": 5} | kwargs
    with pytest.raises(ValueError):
        index.nearest(**query)


@pytest.mark.parametrize(
    "columns",
    [
        ([1, 1], [35.0, 35.1], [139.0, 139.0], None),  # duplicate ids
        ([1, 2], [35.0], [139.0, 139.0], None),  # lengths differ
        ([1], [95.0], [139.0], None),
        ([1], [math.nan], [139.0], None),
        ([1], [35.0], [139.0], [256]),
        ([1], [35.0], [139.0], [-1]),
    ],
)
def test_index__bad_columns_are_refused(columns):
    with pytest.raises(ValueError):
        NearestIndex.build(*columns)


def test_index__reports_its_size():
    small = NearestIndex.build([1, 2], [35.0, 35.1], [139.0, 139.1], [1, 3])
    assert 100 < small.nbytes < 10_000
    assert len(small) == 2


def test_index__aeds_usable_at_a_time_through_accept():
    texts = ["24時間", "平日 9:00～17:00", "", "土日祝 10:00～16:00", "平日 9:00～17:00"]
    lats = [35.0000, 35.0010, 35.0020, 35.0030, 35.0040]
    ids = [10, 11, 12, 13, 14]
    availability = {i: AedAvailability.parse(notes=t) for i, t in zip(ids, texts, strict=True)}
    index = NearestIndex.build(ids, lats, [139.0] * 5)
    sunday_noon = dt.datetime(2025, 11, 30, 12, tzinfo=TOKYO)

    def usable(id_):
        return availability[id_].usability_at(sunday_noon).usable

    got = index.nearest(35.0, 139.0, 3, accept=usable)
    assert [n.id for n in got] == [10, 12, 13]  # 12 has no hours: counted as usable
