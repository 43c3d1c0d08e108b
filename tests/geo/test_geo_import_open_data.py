"""Every file of the shared open data imports through the service, and a second import of the
same file (or of a rewritten copy of it) changes nothing."""

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

from geo.importing import import_file
from geo.importing.rows import place_key
from geo.models import Aed, Shelter, ShelterSource
from geo.readers import RecordKind, read_geo_file

FILES = {
    # file: (kind, rows)
    "gsi_sabae_182079_emergency.geojson": (RecordKind.SITE, 57),
    "gsi_sabae_182079_evacuation.geojson": (RecordKind.SITE, 39),
    "gsi_chiba_121002_emergency.geojson": (RecordKind.SITE, 363),
    "ichikawa_122033_evacuation_space.sjis.csv": (RecordKind.SITE, 121),
    "ichikawa_122033_evacuation_space.utf8.csv": (RecordKind.SITE, 121),
    "ichikawa_122033_aed.sjis.csv": (RecordKind.AED, 191),
    "ichikawa_122033_aed.utf8.csv": (RecordKind.AED, 191),
    "matsuyama_382019_evacuation_space.csv": (RecordKind.SITE, 390),
    "nanao_shitei_kinkyu_hinanbasho_reference.csv": (RecordKind.SITE, 112),
    "yaizu_222127_evacuation_space.csv": (RecordKind.SITE, 31),
    "yaizu_222127_aed.csv": (RecordKind.AED, 82),
    "yaizu_222127_hinanjo.csv": (RecordKind.SITE, 56),
}


async def stored_counts() -> tuple[int, int, int]:
    return await Shelter.all().count(), await ShelterSource.all().count(), await Aed.all().count()


async def stored_rows() -> dict:
    shelters = await Shelter.all().order_by("place_key").values()
    aeds = await Aed.all().order_by("source_id").values()
    for row in (*shelters, *aeds):
        for volatile in ("id", "public_id", "updated_at"):
            row.pop(volatile)
    return {"shelters": shelters, "aeds": aeds}


@pytest.mark.parametrize("name", sorted(FILES))
async def test_import__every_file__counts_then_second_import_changes_nothing(app, name):
    kind, rows = FILES[name]
    records = read_geo_file(data_path(name)).read_all()

    first = await import_file(data_path(name))

    assert (first.kind, first.rows, first.inserted) == (kind, rows, rows)
    assert (first.updated, first.unchanged, first.removed, sum(first.skipped.values())) == (
        0,
        0,
        0,
        0,
    )
    places, sources, aeds = await stored_counts()
    if kind is RecordKind.SITE:
        assert sources == rows and aeds == 0
        assert places == len({place_key(record) for record in records})
    else:
        assert (places, sources, aeds) == (0, 0, rows)
    before = await stored_rows()

    second = await import_file(data_path(name))

    assert (second.inserted, second.updated, second.removed, second.unchanged) == (0, 0, 0, rows)
    assert await stored_counts() == (places, sources, aeds)
    assert await stored_rows() == before


def _rewritten(name, tmp_path, encoding, line_end, seed):
    text = decoded_text(data_path(name))
    if seed is not None:
        text = csv_text(reorder_columns(csv_table(text), seed))
    return write(tmp_path / f"copy-{name}", reend_lines(text, line_end), encoding)


@pytest.mark.parametrize(
    ("name", "encoding", "line_end", "seed"),
    [
        ("ichikawa_122033_evacuation_space.sjis.csv", "utf-8-sig", "\n", 4),
        ("matsuyama_382019_evacuation_space.csv", "cp932", "\r\n", 5),
        ("nanao_shitei_kinkyu_hinanbasho_reference.csv", "utf-16", "\r", 6),
        ("yaizu_222127_hinanjo.csv", "cp932", "\n", None),
        ("yaizu_222127_aed.csv", "utf-8", "\r", 7),
    ],
)
async def test_import__re_encoded_re_ended_reordered_copy__same_rows(
    app, tmp_path, name, encoding, line_end, seed
):
    original = await import_file(data_path(name))
    before = await stored_rows()

    copy = await import_file(_rewritten(name, tmp_path, encoding, line_end, seed))

    assert (copy.inserted, copy.updated, copy.removed) == (0, 0, 0)
    assert copy.unchanged == original.inserted
    assert await stored_rows() == before


async def test_import__geojson_reformatted_in_shift_jis__same_rows(app, tmp_path):
    name = "gsi_chiba_121002_emergency.geojson"
    await import_file(data_path(name))
    before = await stored_rows()
    document = json.loads(data_path(name).read_text(encoding="utf-8"))
    for feature in document["features"]:
        feature["properties"] = dict(reversed(list(feature["properties"].items())))
    text = json.dumps(document, ensure_ascii=False, indent=1).replace("\n", "\r\n")

    copy = await import_file(write(tmp_path / "chiba.geojson", text, "cp932"))

    assert (copy.inserted, copy.updated, copy.unchanged) == (0, 0, 363)
    assert await stored_rows() == before


async def test_import__not_a_known_layout__raises_and_stores_nothing(app, tmp_path):
    from geo.readers import UnknownLayoutError

    path = write(tmp_path / "other.csv", "a,b,c\n1,2,3\n", "utf-8")
    with pytest.raises(UnknownLayoutError):
        await import_file(path)
    assert await stored_counts() == (0, 0, 0)
