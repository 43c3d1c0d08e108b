"""nearestAeds: usable at a time (unknown hours count as usable and say so), texts in the
caller's language, pediatric pads, and the demo city's AEDs."""

from __future__ import annotations

import pytest
from geo_support import data_path

from geo.demo import DEMO_DATA, seed
from geo.models import Aed, Shelter

QUERY = """query($at: DateTime) {
  nearestAeds(lat: 37.5849, lng: 140.4312, limit: 50, availableAt: $at) {
    distanceMeters mapUrl aed {
      name placement availability hoursKnown availableDays availableHours availabilityNotes
      pediatric phone
    }
  }
}"""
TUESDAY_MORNING = "2026-11-24T10:00:00+09:00"
SUNDAY_NIGHT = "2026-11-22T03:00:00+09:00"


@pytest.fixture
async def demo_aeds(import_files):
    await import_files(DEMO_DATA / "nihonmatsu_aeds.csv")


async def aeds(gql, at=None, language="ja"):
    body = await gql(QUERY, {"at": at}, headers={"Accept-Language": language})
    assert not body.get("errors"), body
    return {hit["aed"]["name"]: hit for hit in body["data"]["nearestAeds"]}


async def test_availability_texts__known_unknown_and_unreadable(gql, demo_aeds):
    found = await aeds(gql)
    assert len(found) == 7
    city_hall = found["二本松市役所"]["aed"]
    assert city_hall["availability"] == "利用時間: 月~金 08:30-17:15 祝日・年末年始を除く"
    assert city_hall["hoursKnown"] is True and city_hall["pediatric"] is True
    assert (city_hall["availableDays"], city_hall["availableHours"]) == ("月~金", "08:30-17:15")
    assert city_hall["availabilityNotes"] == "祝日・年末年始を除く"
    gym = found["二本松市総合体育館"]["aed"]
    assert gym["hoursKnown"] is False and gym["pediatric"] is False
    assert gym["availability"].startswith("利用できる曜日・時間は公表されていません")
    library = found["二本松市立図書館"]["aed"]
    assert library["hoursKnown"] is False
    assert library["availability"].startswith(
        "利用時間: 開館時間内(休館日を除く)（時間を読み取れないため"
    )
    assert found["二本松駅"]["aed"]["pediatric"] is None
    english = (await aeds(gql, language="en"))["二本松市総合体育館"]["aed"]["availability"]
    assert english.startswith("Opening days and hours are not published")


async def test_available_at__keeps_the_usable_and_the_unknown(gql, demo_aeds):
    tuesday = await aeds(gql, TUESDAY_MORNING)
    sunday_night = await aeds(gql, SUNDAY_NIGHT)
    assert set(tuesday) == {
        "二本松市役所",
        "二本松市民会館",
        "二本松駅",
        "コンビニエンスストア二本松本町店",
        "二本松市立二本松北小学校",
        "二本松市総合体育館",
        "二本松市立図書館",
    }
    assert set(sunday_night) == {
        "コンビニエンスストア二本松本町店",
        "二本松市総合体育館",
        "二本松市立図書館",
    }
    distances = [hit["distanceMeters"] for hit in sunday_night.values()]
    assert distances == sorted(distances)


async def test_available_at__without_offset_is_japan_time(gql, demo_aeds):
    local = await aeds(gql, "2026-11-22T03:00:00")
    utc = await aeds(gql, "2026-11-21T18:00:00Z")
    assert set(local) == set(utc) == set(await aeds(gql, SUNDAY_NIGHT))


async def test_holiday__city_hall_closed(gql, demo_aeds):
    labour_thanksgiving = await aeds(gql, "2026-11-23T10:00:00+09:00")  # a Monday, 勤労感謝の日
    assert "二本松市役所" not in labour_thanksgiving
    assert "二本松市民会館" in labour_thanksgiving


async def test_demo_seed__only_into_an_empty_database(app, import_files):
    await import_files(data_path("gsi_sabae_182079_emergency.geojson"))
    await seed(lambda line: None)
    assert not await Shelter.filter(municipality_code="072109").exists()
    assert await Aed.all().count() == 7  # there were no AEDs
    await seed(lambda line: None)
    assert await Aed.all().count() == 7
