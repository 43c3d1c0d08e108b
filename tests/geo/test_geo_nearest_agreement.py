"""Random points in Japan: nearestShelters and nearestAeds over HTTP agree with a brute-force
geodesic ranking of the source rows (names and distances), for every hazard filter."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from geo_support import (
    HAZARD_FILTERS,
    assert_same_ranking,
    candidates,
    central_angles,
    csv_table,
    csv_text,
    data_path,
    decoded_text,
    exact_distances,
    points_near,
    reference_places,
    write,
)

from geo.availability import AedAvailability
from geo.demo import DEMO_DATA
from geo.readers import read_geo_file

SITE_FILES = [
    "gsi_chiba_121002_emergency.geojson",
    "gsi_sabae_182079_emergency.geojson",
    "gsi_sabae_182079_evacuation.geojson",
    "ichikawa_122033_evacuation_space.sjis.csv",
    "matsuyama_382019_evacuation_space.csv",
    "nanao_shitei_kinkyu_hinanbasho_reference.csv",
    "yaizu_222127_evacuation_space.csv",
    "yaizu_222127_hinanjo.csv",
]
AED_PATHS = [
    lambda: data_path("ichikawa_122033_aed.sjis.csv"),
    lambda: data_path("yaizu_222127_aed.csv"),
    lambda: DEMO_DATA / "nihonmatsu_aeds.csv",
]
K = 5

SHELTERS = """query($lat: Float!, $lng: Float!, $hazard: Hazard, $limit: Int!) {
  nearestShelters(lat: $lat, lng: $lng, hazard: $hazard, limit: $limit) {
    distanceMeters shelter { name hazards lat lng }
  }
}"""
AEDS = """query($lat: Float!, $lng: Float!, $at: DateTime) {
  nearestAeds(lat: $lat, lng: $lng, availableAt: $at) { distanceMeters aed { name placement } }
}"""


def site_rows(paths):
    rows = []
    for path in paths:
        result = read_geo_file(path)
        rows += [(result.dataset, record) for record in result.read_all()]
    return rows


async def check_sites(gql, places, points):
    lats = np.array([p[1] for p in places])
    lngs = np.array([p[2] for p in places])
    masks = np.array([p[3] for p in places])
    for lat, lng in points:
        angles = central_angles(lat, lng, lats, lngs)
        exact = {}
        for hazard in HAZARD_FILTERS:
            allowed = np.ones(len(places), bool) if hazard is None else (masks & hazard.bit) > 0
            reference = []
            for i in candidates(angles, allowed, K):
                if i not in exact:
                    exact[i] = exact_distances(lat, lng, [lats[i]], [lngs[i]])[0]
                reference.append((exact[i], places[i][0]))
            variables = {"lat": lat, "lng": lng, "hazard": hazard and hazard.name, "limit": K}
            hits = (await gql.data(SHELTERS, variables))["nearestShelters"]
            got = [(hit["shelter"]["name"], hit["distanceMeters"]) for hit in hits]
            assert_same_ranking(got, reference, K, (lat, lng, hazard))
            if hazard is not None:
                assert all(hazard.name in hit["shelter"]["hazards"] for hit in hits)


async def test_nearest_shelters__city_and_gsi_files__agree_with_brute_force(gql, import_files):
    paths = [data_path(name) for name in SITE_FILES]
    await import_files(*paths)
    places = reference_places(site_rows(paths))
    await check_sites(gql, places, points_near(places, 40, seed=3))


@pytest.fixture(scope="module")
def nationwide_sample(tmp_path_factory):
    """About one place in 30 of each nationwide file, chosen by name, so that a place's
    evacuation-site and shelter rows are chosen together."""
    directory = tmp_path_factory.mktemp("sample")
    paths = []
    for name in (
        "gsi_shitei_kinkyu_hinanbasho_nationwide.csv",
        "gsi_shitei_hinanjo_nationwide.csv",
    ):
        header, *rows = csv_table(decoded_text(data_path(name)))
        column = header.index("施設・場所名")
        chosen = [row for row in rows if sum(map(ord, row[column])) % 30 == 0]
        paths.append(write(directory / name, csv_text([header, *chosen]), "utf-8"))
    return paths


async def test_nearest_shelters__nationwide_sample__agree_with_brute_force(
    gql, import_files, nationwide_sample
):
    summaries = await import_files(*nationwide_sample)
    assert all(s.inserted > 2000 for s in summaries)
    places = reference_places(site_rows(nationwide_sample))
    assert len(places) < sum(s.inserted for s in summaries)  # some rows are the same place
    await check_sites(gql, places, points_near(places, 30, seed=5, spread=0.05))


def aed_rows():
    return [record for make in AED_PATHS for record in read_geo_file(make()).read_all()]


@pytest.mark.parametrize(
    "when",
    [
        None,
        dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 22, 3, 0),
    ],
    ids=["any time", "tuesday 19:00 JST", "sunday 03:00 JST"],
)
async def test_nearest_aeds__agree_with_brute_force(gql, import_files, when):
    await import_files(*(make() for make in AED_PATHS))
    records = aed_rows()
    moment = (
        when
        if when is None or when.tzinfo
        else when.replace(tzinfo=dt.timezone(dt.timedelta(hours=9)))
    )
    usable = [
        moment is None
        or AedAvailability.parse(r.available_days, r.available_hours, r.availability_notes)
        .usability_at(moment)
        .usable
        for r in records
    ]
    if moment is not None:
        assert not all(usable)  # the demo file has AEDs that are closed at these times
    places = [(r.name, r.lat, r.lng, 0) for r in records]
    for lat, lng in points_near(places, 12, seed=8, spread=0.01):
        distances = exact_distances(lat, lng, [r.lat for r in records], [r.lng for r in records])
        reference = [
            (distance, f"{r.name} {r.placement}")
            for distance, r, ok in zip(distances, records, usable, strict=True)
            if ok
        ]
        variables = {"lat": lat, "lng": lng, "at": when and when.isoformat()}
        hits = (await gql.data(AEDS, variables))["nearestAeds"]
        got = [(f"{h['aed']['name']} {h['aed']['placement']}", h["distanceMeters"]) for h in hits]
        assert_same_ranking(got, reference, K, (lat, lng, when))
