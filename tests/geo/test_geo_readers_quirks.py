"""Bad and odd input, written small: skips with reasons, odd headers, encodings, GeoJSON."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.hazards import Hazard
from geo.readers import (
    AedRecord,
    RecordKind,
    SiteRecord,
    SkipReason,
    UnknownLayoutError,
    layouts,
    read_geo_file,
)
from geo.readers.aeds import AedMapper
from geo.readers.sites import SiteMapper

STANDARD_HEADER = (
    "全国地方公共団体コード,ID,名称,名称_カナ,所在地_連結表記,緯度,経度,"
    "災害種別_洪水,災害種別_地震,災害種別_津波,指定避難所との重複,想定収容人数,備考"
)


def write_csv(tmp_path, lines, encoding="utf-8", name="sites.csv"):
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def read(path):
    result = read_geo_file(path)
    return result, result.read_all()


def test_bad_rows__are_skipped_by_reason_and_the_rest_imported(tmp_path):
    path = write_csv(
        tmp_path,
        [
            STANDARD_HEADER,
            "122033,1,良い学校,,千葉県市川市1,35.7,139.9,1,1,,1,100,",
            "122033,2,座標なし,,千葉県市川市2,,139.9,1,,,,,",
            "122033,3,壊れた座標,,千葉県市川市3,北緯35度,139.9,1,,,,,",
            "122033,4,海外,,どこか,0,0,1,,,,,",
            "122033,5,入れ替え,,千葉県市川市5,139.9,35.7,1,,,,,",
            "122033,6,,,名前なし,35.7,139.9,1,,,,,",
            "122033,1,重複,,千葉県市川市1,35.71,139.91,1,,,,,",
            "",
            "122033,7,短い行,,千葉県市川市7,35.72,139.92",
        ],
    )
    result, records = read(path)
    assert [r.name for r in records] == ["良い学校", "短い行"]
    assert result.rows == 8  # the blank line is not a row
    assert result.skipped == Counter(
        {
            SkipReason.MISSING_COORDINATES: 1,
            SkipReason.UNPARSABLE_COORDINATES: 1,
            SkipReason.OUTSIDE_JAPAN: 2,
            SkipReason.MISSING_NAME: 1,
            SkipReason.DUPLICATE_ID: 1,
        }
    )
    school = records[0]
    assert school.source_id == "122033-emergency-1"
    assert school.hazards == Hazard.FLOOD.bit | Hazard.EARTHQUAKE.bit
    assert school.capacity == 100 and school.is_shelter


def test_row_the_csv_parser_rejects__is_skipped_and_reading_goes_on(tmp_path):
    giant = "x" * 200_000
    path = write_csv(
        tmp_path,
        [
            STANDARD_HEADER,
            "122033,1,前,,市川市,35.7,139.9,1,,,,,",
            f'122033,2,巨大,,市川市,35.7,139.9,1,,,,,"{giant}"',
            "122033,3,後,,市川市,35.7,139.9,1,,,,,",
        ],
    )
    result, records = read(path)
    assert [r.name for r in records] == ["前", "後"]
    assert result.skipped == Counter({SkipReason.MALFORMED_ROW: 1})


def test_columns_with_empty_or_repeated_names__first_named_column_counts(tmp_path):
    path = write_csv(
        tmp_path,
        [
            "名称,,緯度,経度,,所在地_連結表記,災害種別_津波,名称,災害種別_地震",
            "本物,x,35.1,139.1,y,静岡県,○,偽物,1.0",
        ],
    )
    _, [record] = read(path)
    assert record.name == "本物"
    assert record.hazards == Hazard.TSUNAMI.bit | Hazard.EARTHQUAKE.bit


def test_quoted_newlines__one_line_fields_joined_notes_kept(tmp_path):
    path = write_csv(
        tmp_path,
        [
            STANDARD_HEADER,
            '122033,1,"体育館\n(別館)",,市川市,35.7,139.9,1,,,,,"2階以上に\n避難"',
        ],
    )
    _, [record] = read(path)
    assert record.name == "体育館 (別館)"
    assert record.notes == "2階以上に\n避難"


def test_tab_separated__is_read_too(tmp_path):
    path = write_csv(
        tmp_path,
        [
            STANDARD_HEADER.replace(",", "\t"),
            "122033\t1\t学校\t\t市川市\t35.7\t139.9\t1\t\t\t\t\t",
        ],
    )
    result, [record] = read(path)
    assert result.layout == "standard_evacuation_space" and record.name == "学校"


def test_euc_jp__is_recognised_by_its_header(tmp_path):
    path = write_csv(
        tmp_path, [STANDARD_HEADER, "122033,1,学校,,市川市,35.7,139.9,1,,,,,"], "euc_jp"
    )
    result, [record] = read(path)
    assert result.encoding == "euc_jp" and record.name == "学校"


def test_unknown_header__is_refused_before_reading(tmp_path):
    path = write_csv(tmp_path, ["品名,価格", "りんご,100"])
    with pytest.raises(UnknownLayoutError):
        read_geo_file(path)


def test_undecodable_bytes__are_refused(tmp_path):
    path = tmp_path / "noise.csv"
    path.write_bytes(b"\x80\xff\xfe\x81\x00" * 50)
    with pytest.raises((UnicodeError, UnknownLayoutError)):
        read_geo_file(path)


def test_json_that_is_no_feature_collection__is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(UnknownLayoutError):
        read_geo_file(path)
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(UnknownLayoutError):
        read_geo_file(path)


def test_geojson__features_without_a_usable_point_are_skipped(tmp_path):
    def feature(name, geometry):
        properties = {
            "共通ID": f"E121000000{name}201",
            "施設・場所名": "場所" if name != "5" else None,
            "住所": "千葉県",
            "洪水": "1",
            "地震": "",
            "津波": "",
            "指定避難所との住所同一": "",
        }
        return {"type": "Feature", "geometry": geometry, "properties": properties}

    point = {"type": "Point", "coordinates": [140.1, 35.6]}
    document = {
        "type": "FeatureCollection",
        "features": [
            feature("1", point),
            feature("2", None),
            feature("3", {"type": "LineString", "coordinates": [[140.1, 35.6], [140.2, 35.7]]}),
            feature("4", {"type": "Point", "coordinates": [-74.0, 40.7]}),
            feature("5", point),
            feature("6", {"type": "Point", "coordinates": "135,35"}),
            feature("7", "garbage"),
            "not a feature",
            {"type": "Feature", "geometry": point, "properties": ["not", "a", "mapping"]},
        ],
    }
    path = tmp_path / "sites.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    result, records = read(path)
    [record] = records
    assert (record.source_id, record.municipality_code) == ("E1210000001201", "121002")
    assert (record.lat, record.lng, record.hazards) == (35.6, 140.1, Hazard.FLOOD.bit)
    assert result.skipped == Counter(
        {
            SkipReason.MISSING_COORDINATES: 1,
            SkipReason.UNPARSABLE_COORDINATES: 3,
            SkipReason.OUTSIDE_JAPAN: 1,
            SkipReason.MISSING_NAME: 3,
        }
    )


def test_aed__availability_columns_and_pediatric(tmp_path):
    path = write_csv(
        tmp_path,
        [
            (
                "全国地方公共団体コード,ID,名称,所在地_連結表記,緯度,経度,設置位置,電話番号,内線番号,"
                "利用可能曜日,開始時間,終了時間,利用可能日時特記事項,小児対応設備の有無,外部利用不可"
            ),
            "122033,A1,市民会館,市川市,35.7,139.9,１階受付,047-000-0000,123,月～金,8:30,17:15,祝日を除く,有,",
            "122033,A2,倉庫,市川市,35.7,139.9,奥,,,,8時,,,無,1",
        ],
        name="aed.csv",
    )
    result, (hall, store) = read(path)
    assert result.layout == "standard_aed"
    assert hall.source_id == "122033-aed-A1"
    assert (hall.placement, hall.phone) == ("1階受付", "047-000-0000 内線123")
    assert (hall.available_days, hall.available_hours) == ("月~金", "08:30-17:15")
    assert hall.availability_notes == "祝日を除く" and hall.pediatric is True
    assert store.available_hours == "8時-" and store.pediatric is False
    assert store.availability_notes == "外部利用不可"


def test_progress__reported_at_the_end_with_the_file_size(tmp_path):
    path = write_csv(tmp_path, [STANDARD_HEADER, "122033,1,学校,,市川市,35.7,139.9,1,,,,,"])
    seen = []
    result = read_geo_file(path, on_progress=lambda *p: seen.append(p))
    assert seen == []  # nothing happens before the records are consumed
    result.read_all()
    size = path.stat().st_size
    assert seen == [(1, size, size)]


def test_standard_shelter_layout__shelter_that_is_also_an_evacuation_site(tmp_path):
    path = write_csv(
        tmp_path,
        [
            (
                "全国地方公共団体コード,ID,名称,所在地_連結表記,緯度,経度,災害種別_地震,"
                "指定緊急避難場所との重複,想定収容人数"
            ),
            "122033,S1,公民館,市川市,35.7,139.9,1,1,200",
        ],
    )
    result, [hall] = read(path)
    assert result.layout == "standard_shelter"
    assert hall.source_id == "122033-shelter-S1"
    assert hall.is_shelter and hall.is_evacuation_site and hall.capacity == 200


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_cell_values__give_a_record_or_a_skip_reason_never_an_error(data):
    layout = data.draw(st.sampled_from(layouts.LAYOUTS))
    header = sorted(layout.required) + ["想定収容人数", "備考", "開始時間", "終了時間", "ID", "NO"]
    cell = st.one_of(st.text(max_size=12), st.sampled_from(["1", "○", "1.0", "35.6", "139.7", ""]))
    row = {name: data.draw(cell) for name in header}
    mapper = (SiteMapper if layout.kind is RecordKind.SITE else AedMapper)(layout, header)
    outcome = mapper(row)
    assert isinstance(outcome, SkipReason | SiteRecord | AedRecord)
