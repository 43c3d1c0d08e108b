"""How published rows become places: the same name at the same position is one place, a file
is the complete list for its municipalities, ids from other layouts update the same rows."""

from __future__ import annotations

import pytest

from geo.hazards import Hazard
from geo.importing import import_file
from geo.models import GeoState, Shelter, ShelterSource

EMERGENCY = (
    "NO,共通ID,都道府県名及び市町村名,施設・場所名,住所,洪水,崖崩れ、土石流及び地滑り,高潮,地震,津波,"
    "大規模な火事,内水氾濫,火山現象,指定避難所との住所同一,緯度,経度,備考,団体コード"
)
SHELTERS = (
    "NO,共通ID,都道府県名及び市町村名,施設・場所名,住所,指定緊急避難場所との住所同一,"
    "その他市町村長が必要と認める事項,受入対象者,緯度,経度,備考,団体コード"
)
STANDARD = (
    "全国地方公共団体コード,ID,名称,所在地_連結表記,緯度,経度,災害種別_洪水,災害種別_崖崩れ、土石流及び地滑り,"
    "災害種別_高潮,災害種別_地震,災害種別_津波,災害種別_大規模な火事,災害種別_内水氾濫,災害種別_火山現象,"
    "指定避難所との重複,想定収容人数"
)
FLOOD_QUAKE = "1,,,1,,,,"  # 洪水 and 地震
TSUNAMI = ",,,,1,,,"


def emergency(common_id, name, lat, lng, hazards=FLOOD_QUAKE, code="072109", notes=""):
    return f"1,{common_id},福島県二本松市,{name},福島県二本松市金色1,{hazards},1,{lat},{lng},{notes},{code}"


def shelter(common_id, name, lat, lng, code="072109", notes=""):
    return f"1,{common_id},福島県二本松市,{name},福島県二本松市金色1,1,,,{lat},{lng},{notes},{code}"


def standard(ident, name, lat, lng, hazards=FLOOD_QUAKE, capacity="", code="382019"):
    return f"{code},{ident},{name},愛媛県松山市堀之内,{lat},{lng},{hazards},1,{capacity}"


def csv_file(tmp_path, name, header, *rows):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


async def places():
    return {p.name: p for p in await Shelter.all()}


async def test_emergency_site_and_shelter_rows__same_name_and_position__one_place(app, tmp_path):
    sites = csv_file(
        tmp_path,
        "e.csv",
        EMERGENCY,
        emergency("E0721000000201", "北小学校", 37.5923, 140.43495),
        emergency("E0721000000202", "南公園", 37.5781, 140.42723, hazards=",,,1,,1,,"),
    )
    shelters = csv_file(
        tmp_path,
        "s.csv",
        SHELTERS,
        shelter("E0721000000111", "北小学校", 37.5923, 140.43495, notes="2階以上に避難"),
        shelter("E0721000000112", "北小学校", 37.5930, 140.43495),  # elsewhere: another place
    )
    await import_file(shelters)
    await import_file(sites)

    found = await places()
    school = await Shelter.get(name="北小学校", lat=37.5923)
    assert len(found) == 2 and await Shelter.filter(name="北小学校").count() == 2
    assert await ShelterSource.all().count() == 4
    assert school.is_evacuation_site and school.is_shelter
    assert school.hazards == Hazard.FLOOD.bit | Hazard.EARTHQUAKE.bit
    assert school.source_id == "E0721000000201"  # the evacuation-site row comes first
    assert school.source_ids.split() == ["E0721000000201", "E0721000000111"]
    assert school.notes == "2階以上に避難"


async def test_place__same_whichever_file_comes_first(app, tmp_path):
    sites = csv_file(
        tmp_path, "e.csv", EMERGENCY, emergency("E0721000000201", "北小学校", 37.5923, 140.43495)
    )
    shelters = csv_file(
        tmp_path, "s.csv", SHELTERS, shelter("E0721000000111", "北小学校", 37.5923, 140.43495)
    )
    await import_file(sites)
    await import_file(shelters)
    forward = await Shelter.get(name="北小学校").values(
        "source_ids", "hazards", "is_evacuation_site", "is_shelter"
    )
    await import_file(
        csv_file(
            tmp_path, "e2.csv", EMERGENCY, emergency("E0721000000209", "別の場所", 37.6, 140.4)
        )
    )
    await import_file(sites)  # the school's site row was removed above, and comes back
    again = await Shelter.get(name="北小学校").values(
        "source_ids", "hazards", "is_evacuation_site", "is_shelter"
    )
    assert again == forward


async def test_file__complete_list_for_its_municipality__missing_rows_removed(app, tmp_path):
    first = csv_file(
        tmp_path,
        "e.csv",
        EMERGENCY,
        emergency("E0721000000201", "北小学校", 37.5923, 140.43495),
        emergency("E0721000000202", "南公園", 37.5781, 140.42723),
        emergency("E0120200000201", "函館の公園", 41.9, 140.9, code="012025"),
    )
    shelters = csv_file(
        tmp_path, "s.csv", SHELTERS, shelter("E0721000000111", "北小学校", 37.5923, 140.43495)
    )
    await import_file(first)
    await import_file(shelters)
    version = (await GeoState.get(id=1)).data_version
    # The city's next file lists 南公園 only: 北小学校 stays a shelter, and Hakodate is untouched.
    second = csv_file(
        tmp_path, "e2.csv", EMERGENCY, emergency("E0721000000202", "南公園", 37.5781, 140.42723)
    )

    summary = await import_file(second)

    assert (summary.inserted, summary.updated, summary.unchanged, summary.removed) == (0, 0, 1, 1)
    found = await places()
    assert set(found) == {"北小学校", "南公園", "函館の公園"}
    school = found["北小学校"]
    assert school.hazards == 0 and school.is_shelter
    assert school.source_ids == "E0721000000111"
    assert (await GeoState.get(id=1)).data_version == version + 1


async def test_keep_missing__keeps_rows_the_file_no_longer_lists(app, tmp_path):
    await import_file(
        csv_file(
            tmp_path,
            "e.csv",
            EMERGENCY,
            emergency("E0721000000201", "北小学校", 37.5923, 140.43495),
            emergency("E0721000000202", "南公園", 37.5781, 140.42723),
        )
    )
    summary = await import_file(
        csv_file(
            tmp_path, "e2.csv", EMERGENCY, emergency("E0721000000202", "南公園", 37.5781, 140.42723)
        ),
        keep_missing=True,
    )
    assert summary.removed == 0
    assert set(await places()) == {"北小学校", "南公園"}


async def test_row_without_id__renamed_by_the_city__replaced_not_duplicated(app, tmp_path):
    before = csv_file(tmp_path, "a.csv", STANDARD, standard("", "堀之内公園", 33.8458, 132.7655))
    after = csv_file(
        tmp_path, "b.csv", STANDARD, standard("", "城山公園（堀之内地区）", 33.8458, 132.7655)
    )
    await import_file(before)

    summary = await import_file(after)

    assert (summary.inserted, summary.removed) == (1, 1)
    assert set(await places()) == {"城山公園(堀之内地区)"}
    assert await ShelterSource.all().count() == 1


async def test_city_file_with_gsi_ids__updates_the_nationwide_rows(app, tmp_path):
    nationwide = csv_file(
        tmp_path,
        "gsi.csv",
        EMERGENCY,
        emergency("E3820100602201", "城山公園", 33.8458, 132.7655, code="382019"),
        emergency("E3820100602202", "堀之内公園", 33.8438, 132.7620, code="382019"),
    )
    city = csv_file(
        tmp_path,
        "matsuyama.csv",
        STANDARD,
        standard(
            "E3820100602201", "城山公園", 33.8458, 132.7655, hazards=TSUNAMI, capacity='"50,700 "'
        ),
        standard("E3820100602202", "堀之内公園（南）", 33.8438, 132.7620),
    )
    await import_file(nationwide)
    park = await Shelter.get(name="城山公園")
    park.is_open = False  # staff closed it
    await park.save()

    summary = await import_file(city)

    assert (summary.inserted, summary.updated, summary.removed) == (0, 2, 0)
    found = await places()
    assert set(found) == {"城山公園", "堀之内公園(南)"}
    assert found["城山公園"].hazards == Hazard.TSUNAMI.bit and found["城山公園"].capacity == 50_700
    assert found["城山公園"].id == park.id and found["城山公園"].public_id == park.public_id
    assert found["城山公園"].is_open is False  # an import never reopens a site
    assert await ShelterSource.all().count() == 2


@pytest.mark.parametrize("bad", ["", "abc", "91.0", "200"])
async def test_rows_without_usable_position__skipped_with_reason(app, tmp_path, bad):
    path = csv_file(
        tmp_path,
        "e.csv",
        EMERGENCY,
        emergency("E0721000000201", "北小学校", 37.5923, 140.43495),
        emergency("E0721000000202", "どこか", bad, 140.4),
    )
    summary = await import_file(path)
    assert summary.inserted == 1 and sum(summary.skipped.values()) == 1
    assert set(await places()) == {"北小学校"}
