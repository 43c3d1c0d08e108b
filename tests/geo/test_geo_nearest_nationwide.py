"""Nationwide GSI data (every designated shelter) through the import service into SQLite,
then random points in Japan over HTTP against a brute-force ranking of the source rows, for
every hazard filter."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from geo_support import (
    HAZARD_FILTERS,
    assert_same_ranking,
    candidates,
    central_angles,
    data_path,
    exact_distances,
    points_near,
    reference_places,
)

from geo.models import Shelter, ShelterSource
from geo.readers import read_geo_file

pytestmark = pytest.mark.slow

# The designated shelters (82,557 rows); the emergency sites file (115,402 more) is read in
# full by test_geo_readers_nationwide and merged with this one in bench/nearest_data.py.
FILES = ("gsi_shitei_hinanjo_nationwide.csv",)
QUERY = """query($lat: Float!, $lng: Float!, $hazard: Hazard) {
  nearestShelters(lat: $lat, lng: $lng, hazard: $hazard) { distanceMeters shelter { name } }
}"""


@pytest.fixture
def database_url(tmp_path, sqlite_template):
    """SQLite only: the PostgreSQL path is covered by the sample in test_geo_nearest_agreement."""
    target = tmp_path / "nationwide.sqlite3"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite://{target}"


async def test_nationwide__imports_and_agrees_with_brute_force(gql, import_files):
    paths = [data_path(name) for name in FILES]
    (shelters,) = await import_files(*paths)
    assert shelters.inserted == 82_557
    assert await ShelterSource.all().count() == 82_557

    rows = []
    for path in paths:
        result = read_geo_file(path)
        rows += [(result.dataset, record) for record in result.read_all()]
    places = reference_places(rows)
    assert await Shelter.all().count() == len(places) > 80_000

    lats, lngs = np.array([p[1] for p in places]), np.array([p[2] for p in places])
    masks = np.array([p[3] for p in places])
    for lat, lng in points_near(places, 30, seed=13, spread=0.03):
        angles = central_angles(lat, lng, lats, lngs)
        for hazard in HAZARD_FILTERS:
            allowed = np.ones(len(places), bool) if hazard is None else (masks & hazard.bit) > 0
            chosen = candidates(angles, allowed, 5)
            distances = exact_distances(lat, lng, lats[chosen], lngs[chosen])
            reference = [(d, places[i][0]) for d, i in zip(distances, chosen, strict=True)]
            body = await gql.data(QUERY, {"lat": lat, "lng": lng, "hazard": hazard and hazard.name})
            got = [(h["shelter"]["name"], h["distanceMeters"]) for h in body["nearestShelters"]]
            assert_same_ranking(got, reference, 5, (lat, lng, hazard))
