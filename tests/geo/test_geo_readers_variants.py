"""The same data re-encoded, with other line ends or its columns reordered, reads the same."""

from __future__ import annotations

import json

import pytest
from geo_support import (
    csv_table,
    csv_text,
    data_path,
    decoded_text,
    reend_lines,
    reorder_columns,
    write,
)

from geo.readers import read_geo_file

CSV_FILES = [
    "ichikawa_122033_evacuation_space.sjis.csv",
    "ichikawa_122033_aed.sjis.csv",
    "matsuyama_382019_evacuation_space.csv",
    "nanao_shitei_kinkyu_hinanbasho_reference.csv",
    "yaizu_222127_evacuation_space.csv",
    "yaizu_222127_aed.csv",
    "yaizu_222127_hinanjo.csv",
]
NATIONWIDE = ["gsi_shitei_kinkyu_hinanbasho_nationwide.csv", "gsi_shitei_hinanjo_nationwide.csv"]
GEOJSON_FILES = [
    "gsi_sabae_182079_emergency.geojson",
    "gsi_sabae_182079_evacuation.geojson",
    "gsi_chiba_121002_emergency.geojson",
]
# (encoding, line end, column order seed or None)
VARIANTS = [
    ("utf-8", "\n", None),
    ("utf-8-sig", "\r\n", None),
    ("cp932", "\r\n", None),
    ("cp932", "\r", None),
    ("utf-16", "\n", None),
    ("utf-8", "\n", 1),
    ("cp932", "\r\n", 2),
    ("utf-8-sig", "\r", 3),
]


def records_of(path):
    result = read_geo_file(path)
    return result.layout, result.read_all(), result.skipped


def variant_text(text, line_end, seed):
    if seed is not None:
        # csv.writer quotes only fields holding its own line terminator, so write "\n" first.
        text = csv_text(reorder_columns(csv_table(text), seed))
    return reend_lines(text, line_end)


@pytest.fixture(scope="module")
def nationwide_slices(tmp_path_factory):
    """The first 2,000 rows of each nationwide file and every row with a line break inside a
    field, limited to rows Shift_JIS can encode."""
    slices = {}
    for name in NATIONWIDE:
        header, *rows = csv_table(decoded_text(data_path(name)))
        chosen = rows[:2000] + [row for row in rows[2000:] if any("\n" in cell for cell in row)]
        chosen = [row for row in chosen if _cp932_encodable(row)]
        path = tmp_path_factory.mktemp("slices") / name
        slices[name] = write(path, csv_text([header, *chosen]), "utf-8")
    return slices


def _cp932_encodable(row):
    try:
        "".join(row).encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"{v[0]}-{v[1]!r}-{v[2]}")
@pytest.mark.parametrize("name", CSV_FILES)
def test_csv__rewritten__reads_the_same(name, variant, tmp_path):
    encoding, line_end, seed = variant
    original = data_path(name)
    expected = records_of(original)
    path = write(tmp_path / name, variant_text(decoded_text(original), line_end, seed), encoding)
    assert records_of(path) == expected


@pytest.mark.parametrize("variant", VARIANTS[2:3] + VARIANTS[5:7], ids=str)
@pytest.mark.parametrize("name", NATIONWIDE)
def test_nationwide_slice__rewritten__reads_the_same(name, variant, nationwide_slices, tmp_path):
    encoding, line_end, seed = variant
    original = nationwide_slices[name]
    layout, records, skipped = records_of(original)
    assert len(records) > 2000 and not skipped
    assert any("\n" in record.notes for record in records)
    path = write(tmp_path / name, variant_text(decoded_text(original), line_end, seed), encoding)
    assert records_of(path) == (layout, records, skipped)


@pytest.mark.parametrize("name", GEOJSON_FILES)
def test_geojson__reformatted_with_other_key_order__reads_the_same(name, tmp_path):
    original = data_path(name)
    expected = records_of(original)
    document = json.loads(original.read_text(encoding="utf-8"))
    for feature in document["features"]:
        feature["properties"] = dict(reversed(list(feature["properties"].items())))
        feature["geometry"] = dict(reversed(list(feature["geometry"].items())))
    compact = write(tmp_path / "compact.json", json.dumps(document), "utf-8")
    assert records_of(compact) == expected
    shift_jis = write(
        tmp_path / "sjis.geojson", json.dumps(document, ensure_ascii=False, indent=1), "cp932"
    )
    assert records_of(shift_jis) == expected
    crlf_bom = json.dumps(document, ensure_ascii=False, indent=2).replace("\n", "\r\n")
    assert records_of(write(tmp_path / "bom.geojson", crlf_bom, "utf-8-sig")) == expected


def test_csv__read_twice__same_ids():
    path = data_path("ichikawa_122033_aed.sjis.csv")
    first, second = records_of(path)[1], records_of(path)[1]
    assert [r.source_id for r in first] == [r.source_id for r in second]
