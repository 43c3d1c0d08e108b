"""Every file of the shared open data reads with its layout and row count, and sensible values."""

from __future__ import annotations

import pytest
from geo_support import data_path

from geo.hazards import Hazard
from geo.readers import AedRecord, RecordKind, SiteRecord, read_geo_file

SMALL_FILES = {
    # file: (layout, kind, rows as the .source.txt counts them)
    "gsi_sabae_182079_emergency.geojson": ("gsi_emergency", RecordKind.SITE, 57),
    "gsi_sabae_182079_evacuation.geojson": ("gsi_shelter", RecordKind.SITE, 39),
    "gsi_chiba_121002_emergency.geojson": ("gsi_emergency", RecordKind.SITE, 363),
    "ichikawa_122033_evacuation_space.sjis.csv": (
        "standard_evacuation_space",
        RecordKind.SITE,
        121,
    ),
    "ichikawa_122033_evacuation_space.utf8.csv": (
        "standard_evacuation_space",
        RecordKind.SITE,
        121,
    ),
    "ichikawa_122033_aed.sjis.csv": ("standard_aed", RecordKind.AED, 191),
    "ichikawa_122033_aed.utf8.csv": ("standard_aed", RecordKind.AED, 191),
    "matsuyama_382019_evacuation_space.csv": ("standard_evacuation_space", RecordKind.SITE, 390),
    "nanao_shitei_kinkyu_hinanbasho_reference.csv": (
        "standard_evacuation_space",
        RecordKind.SITE,
        112,
    ),
    "yaizu_222127_evacuation_space.csv": ("recommended_v1_evacuation_space", RecordKind.SITE, 31),
    "yaizu_222127_aed.csv": ("recommended_v1_aed", RecordKind.AED, 82),
    "yaizu_222127_hinanjo.csv": ("city_shelter", RecordKind.SITE, 56),
}


def read(name):
    result = read_geo_file(data_path(name))
    return result, result.read_all()


@pytest.mark.parametrize("name", sorted(SMALL_FILES))
def test_open_data__reads_every_row_with_its_layout(name):
    layout, kind, rows = SMALL_FILES[name]
    result, records = read(name)
    assert (result.layout, result.kind) == (layout, kind)
    assert result.rows == rows
    assert len(records) == rows and not result.skipped  # no row lacks a usable position
    assert len({r.source_id for r in records}) == rows
    record_type = SiteRecord if kind is RecordKind.SITE else AedRecord
    assert all(isinstance(r, record_type) and r.name for r in records)


@pytest.mark.parametrize("stem", ["ichikawa_122033_evacuation_space", "ichikawa_122033_aed"])
def test_open_data__shift_jis_original_and_utf8_copy_read_the_same(stem):
    sjis, sjis_records = read(f"{stem}.sjis.csv")
    utf8, utf8_records = read(f"{stem}.utf8.csv")
    assert (sjis.encoding, utf8.encoding) == ("cp932", "utf-8")
    assert sjis_records == utf8_records


def test_ichikawa_evacuation__half_width_kana_and_generated_ids():
    _, records = read("ichikawa_122033_evacuation_space.utf8.csv")
    first = records[0]
    assert first.name == "県立国分高校" and first.kana == "ケンリツコクブンコウコウ"
    assert first.address == "千葉県市川市稲越2丁目2-1"
    assert first.municipality_code == "122033"
    assert first.source_id.startswith("122033-emergency-h")  # the ID column is empty
    assert first.hazards == (
        Hazard.FLOOD.bit
        | Hazard.LANDSLIDE.bit
        | Hazard.STORM_SURGE.bit
        | Hazard.EARTHQUAKE.bit
        | Hazard.TSUNAMI.bit
        | Hazard.INLAND_FLOOD.bit
    )
    assert first.is_evacuation_site and first.is_shelter  # 指定避難所との重複 = 1
    assert not any(r.hazards & (Hazard.LARGE_FIRE.bit | Hazard.VOLCANO.bit) for r in records)


def test_ichikawa_aed__placement_width_and_missing_availability():
    _, records = read("ichikawa_122033_aed.sjis.csv")
    gym = next(r for r in records if r.name == "塩浜市民体育館")
    assert gym.placement == "1階ロビー"
    assert gym.phone == "(047)398-2311"
    assert (gym.available_days, gym.available_hours, gym.availability_notes) == ("", "", "")
    assert gym.pediatric is None
    # Two AEDs (school and kindergarten) share one position and keep their own ids.
    shared = [r for r in records if (r.lat, r.lng) == (35.74035838, 139.9252955)]
    assert len({r.source_id for r in shared}) == 2


def test_matsuyama__bom_empty_header_gsi_ids_and_capacity_text():
    result, records = read("matsuyama_382019_evacuation_space.csv")
    assert result.encoding == "utf-8-sig"
    castle = records[0]
    assert castle.source_id == "E3820100602201"
    assert castle.capacity == 50700
    assert castle.address == "愛媛県松山市堀之内"
    assert castle.hazards == (
        Hazard.STORM_SURGE.bit | Hazard.EARTHQUAKE.bit | Hazard.TSUNAMI.bit | Hazard.LARGE_FIRE.bit
    )
    assert sum(r.capacity is not None for r in records) > 300


def test_nanao__float_flags_free_text_capacity_and_newline_in_field():
    _, records = read("nanao_shitei_kinkyu_hinanbasho_reference.csv")
    first = records[0]
    assert first.source_id == "172022-emergency-CC0000000504"
    assert first.hazards == (
        Hazard.FLOOD.bit
        | Hazard.LANDSLIDE.bit
        | Hazard.STORM_SURGE.bit
        | Hazard.EARTHQUAKE.bit
        | Hazard.TSUNAMI.bit
        | Hazard.INLAND_FLOOD.bit
    )
    assert first.capacity == 191
    assert "想定収容人数: 屋内191人/屋外0人(面積の1/2)" in first.notes
    assert first.address == "石川県七尾市一本杉町124"
    assert len(records) == 112  # the embedded newline did not split a row


def test_yaizu_evacuation__circle_flags_and_prefecture_added_to_address():
    _, records = read("yaizu_222127_evacuation_space.csv")
    tower = records[0]
    assert tower.source_id == "222127-emergency-1"
    assert tower.hazards == Hazard.EARTHQUAKE.bit | Hazard.TSUNAMI.bit
    assert tower.address == "静岡県焼津市中港5-463"


def test_yaizu_aed__zero_padded_numbers_and_several_per_building():
    _, records = read("yaizu_222127_aed.csv")
    first, second = records[0], records[1]
    assert (first.source_id, second.source_id) == ("222127-aed-1", "222127-aed-2")
    assert (first.name, first.placement) == ("市役所本館", "2階正面入口")
    assert (second.name, second.placement) == ("市役所本館", "4階管財課")
    assert first.pediatric is True


def test_yaizu_shelters__opening_hazards_from_the_city_columns():
    _, records = read("yaizu_222127_hinanjo.csv")
    first = records[0]
    assert first.is_shelter and not first.is_evacuation_site
    assert first.hazards == (
        Hazard.EARTHQUAKE.bit
        | Hazard.TSUNAMI.bit
        | Hazard.FLOOD.bit
        | Hazard.STORM_SURGE.bit
        | Hazard.INLAND_FLOOD.bit
    )
    assert "避難所面積(㎡): 475" in first.notes


def test_gsi_geojson__position_from_geometry_and_code_from_common_id():
    _, records = read("gsi_sabae_182079_emergency.geojson")
    first = records[0]
    assert (first.lat, first.lng) == (35.951761, 136.24632)
    assert first.municipality_code == "182079"
    assert first.source_id == "E1820700009201"


def test_gsi_shelter_geojson__null_properties_and_admission_notes():
    _, records = read("gsi_sabae_182079_evacuation.geojson")
    first = records[0]
    assert first.is_shelter and first.hazards == 0
    assert first.notes == "受入対象者: 要配慮者"
