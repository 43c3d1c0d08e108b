"""Nearest places by status (disaster mode), on random places and random states: open first,
then not opened, full, closed, each group nearest first, equal to a brute-force geodesic
ranking, with hazards, limits and a maximum distance; flags set one by one or all at once."""

from __future__ import annotations

import uuid

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.geodesy import geodesic_distance_m
from geo.hazards import ALL_HAZARDS_MASK
from geo.place_status import GROUP_ORDER, place_status
from geo.snapshot import ShelterSnapshot, _Columns

CENTRE = (37.5849, 140.4312)
FIELDS = ("id", "public_id", *ShelterSnapshot._TEXT, *ShelterSnapshot._NUMBERS)


def snapshot(rows: list[dict]) -> ShelterSnapshot:
    columns = _Columns(ShelterSnapshot._TEXT, ShelterSnapshot._NUMBERS)
    columns.add(FIELDS, [tuple(row.get(name, "") for name in FIELDS) for row in rows])
    return ShelterSnapshot(columns)


def places(seed: int, count: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for number in range(count):
        rows.append(
            {
                "id": number + 1,
                "public_id": uuid.UUID(int=number + 1),
                "name": f"place {number}",
                "lat": float(CENTRE[0] + rng.normal(0, 0.05)),
                "lng": float(CENTRE[1] + rng.normal(0, 0.05)),
                "hazards": int(rng.integers(0, ALL_HAZARDS_MASK + 1)),
                "capacity": None,
                "is_evacuation_site": 1,
                "is_shelter": 0,
                "is_open": int(rng.random() > 0.1),
                "opened": int(rng.random() < 0.15),
                "full": int(rng.random() < 0.3),
            }
        )
    return rows


def brute_force(rows, lat, lng, limit, mask, max_m):
    ranked = []
    for row in rows:
        if mask and row["hazards"] & mask != mask:
            continue
        distance = geodesic_distance_m(lat, lng, row["lat"], row["lng"])
        if max_m is not None and distance > max_m:
            continue
        status = place_status(bool(row["is_open"]), bool(row["opened"]), bool(row["full"]))
        ranked.append((GROUP_ORDER.index(status), distance, row["id"]))
    return [(db_id, round(d, 6)) for _, d, db_id in sorted(ranked)[:limit]]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    limit=st.integers(1, 30),
    bit=st.sampled_from([0, 1, 2, 8, 16, 64]),
    max_m=st.one_of(st.none(), st.floats(100, 20_000)),
    dlat=st.floats(-0.05, 0.05),
    dlng=st.floats(-0.05, 0.05),
)
def test_by_status__equals_brute_force(seed, limit, bit, max_m, dlat, dlng):
    rows = places(seed, 120)
    shelters = snapshot(rows)
    shelters.set_flags(
        [(r["id"], bool(r["is_open"]), bool(r["opened"]), bool(r["full"])) for r in rows]
    )
    lat, lng = CENTRE[0] + dlat, CENTRE[1] + dlng

    found = shelters.nearest_by_status(lat, lng, limit, bit, max_m)

    assert [(v.db_id, round(d, 6)) for v, d in found] == brute_force(
        rows, lat, lng, limit, bit, max_m
    )


def test_flags_set_one_by_one__same_answer_as_all_at_once():
    rows = places(7, 80)
    one_by_one, at_once = snapshot(rows), snapshot(rows)
    at_once.set_flags(
        [(r["id"], bool(r["is_open"]), bool(r["opened"]), bool(r["full"])) for r in rows]
    )
    one_by_one.nearest_by_status(*CENTRE, 5, 0, None)  # builds the small index, then changes
    for row in rows:
        one_by_one.set_open(row["id"], bool(row["is_open"]), bool(row["opened"]), bool(row["full"]))
    for limit in (1, 7, 80):
        assert [v.db_id for v, _ in one_by_one.nearest_by_status(*CENTRE, limit, 0, None)] == [
            v.db_id for v, _ in at_once.nearest_by_status(*CENTRE, limit, 0, None)
        ]


def test_nothing_opened_or_closed__the_plain_ranking():
    rows = [{**row, "is_open": 1, "opened": 0, "full": 0} for row in places(3, 60)]
    shelters = snapshot(rows)
    assert [v.db_id for v, _ in shelters.nearest_by_status(*CENTRE, 20, 0, None)] == [
        v.db_id for v, _ in shelters.nearest(*CENTRE, 20, 0, None)
    ]
