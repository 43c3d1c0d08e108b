"""The two nationwide GSI files: counts as published, flags as counted in their .source.txt."""

from __future__ import annotations

import pytest
from geo_support import data_path

from geo.hazards import Hazard
from geo.readers import read_geo_file

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def emergency():
    result = read_geo_file(data_path("gsi_shitei_kinkyu_hinanbasho_nationwide.csv"))
    return result, result.read_all()


@pytest.fixture(scope="module")
def shelters():
    progress = []
    result = read_geo_file(
        data_path("gsi_shitei_hinanjo_nationwide.csv"), on_progress=lambda *p: progress.append(p)
    )
    return result, result.read_all(), progress


def test_nationwide_emergency__every_row_read(emergency):
    result, records = emergency
    assert result.layout == "gsi_emergency"
    assert result.rows == len(records) == 115_402 and not result.skipped
    assert len({r.source_id for r in records}) == 115_402


def test_nationwide_emergency__hazard_counts_as_published(emergency):
    _, records = emergency
    published = {
        Hazard.FLOOD: 71_977,
        Hazard.LANDSLIDE: 67_294,
        Hazard.STORM_SURGE: 24_884,
        Hazard.EARTHQUAKE: 87_857,
        Hazard.TSUNAMI: 40_505,
        Hazard.LARGE_FIRE: 42_942,
        Hazard.INLAND_FLOOD: 38_503,
        Hazard.VOLCANO: 10_679,
    }
    for hazard, count in published.items():
        assert sum(1 for r in records if r.hazards & hazard.bit) == count, hazard


def test_nationwide_emergency__also_shelter_and_codes(emergency):
    _, records = emergency
    assert sum(r.is_shelter for r in records) == 61_997
    assert all(r.is_evacuation_site for r in records)
    assert all(len(r.municipality_code) == 6 for r in records)
    sapporo = records[0]
    assert (sapporo.municipality_code, sapporo.address) == (
        "011002",
        "北海道札幌市厚別区もみじ台西1-1-1",
    )


def test_nationwide_emergency__newlines_in_fields(emergency):
    _, records = emergency
    assert sum("\n" in r.notes for r in records) >= 1
    assert not any("\n" in r.name for r in records)  # one name had a newline, now a space


def test_nationwide_shelters__every_row_read(shelters):
    result, records, _ = shelters
    assert result.layout == "gsi_shelter"
    assert result.rows == len(records) == 82_557 and not result.skipped
    assert sum(r.is_evacuation_site for r in records) == 56_170
    assert all(r.is_shelter and r.hazards == 0 for r in records)
    assert sum("受入対象者: 要配慮者" in r.notes for r in records) >= 4_507


def test_nationwide__reading_reports_progress(shelters):
    _, records, seen = shelters
    total = data_path("gsi_shitei_hinanjo_nationwide.csv").stat().st_size
    assert len(seen) >= 40
    rows, done = [p[0] for p in seen], [p[1] for p in seen]
    assert rows == sorted(rows) and done == sorted(done)
    assert 0 < done[0] < total
    assert seen[-1] == (len(records), total, total)
    assert all(t == total for *_, t in seen)
