"""nearestShelters: without a hazard, the alert's; in disaster mode open places first, then
those not opened, full ones, closed ones, each group nearest first (checked against a
brute-force geodesic ranking of the stored places); outside it, by distance alone."""

from __future__ import annotations

from accounts.models import Role
from geo import runtime
from geo.runtime import GeoRuntime
from notifications.alerts.importing import import_document
from tests.alerts.samples import jma_file, needs_samples
from tests.alerts.test_alerts_jma import WARNINGS, _variant
from tests.conftest import make_settings
from tests.disaster.town import CITY_HALL, Town, by_distance

GROUPS = ("OPEN", "NOT_OPENED", "FULL", "CLOSED")


async def expected(point, hazard, statuses: dict[str, str], limit: int) -> list[tuple[str, str]]:
    """(name, status) of the brute-force answer: by status group, then distance, then id."""
    ranked = [(statuses.get(place.name, "NOT_OPENED"), d, i, place.name)
              for d, i, place in await by_distance(point, hazard)]  # fmt: skip
    ranked.sort(key=lambda row: (GROUPS.index(row[0]), row[1], row[2]))
    return [(name, status) for status, _, _, name in ranked[:limit]]


async def arrange(town: Town, field, statuses: dict[str, str]) -> None:
    for name, status in statuses.items():
        if status == "FULL":
            await town.set_status(field, name, "OPEN")
            await town.update(field, name, capacity=50, headcount=50)
        else:
            await town.set_status(field, name, status)


async def test_disaster_mode__open_first_then_not_opened_full_closed(town: Town):
    crisis, field = await town.crisis_staff(), await town.staff(role=Role.FIELD_STAFF)
    statuses = {
        "二本松市立第一中学校": "OPEN",
        "杉田地区体育館": "OPEN",
        "二本松市役所": "CLOSED",
        "二本松市民会館": "FULL",
    }
    await arrange(town, field, statuses)
    await town.create(crisis, severity="SEVERE", hazard="FLOOD")

    for limit in (1, 3, 5, 12):
        hits = await town.nearest(limit=limit)
        got = [(hit["shelter"]["name"], hit["status"]) for hit in hits]
        assert got == await expected(CITY_HALL, "FLOOD", statuses, limit)
        assert all("FLOOD" in hit["shelter"]["hazards"] for hit in hits)
    every = await town.nearest(limit=50)
    assert [hit["status"] for hit in every][-2:] == ["FULL", "CLOSED"]


async def test_outside_disaster_mode__distance_alone__status_still_said(town: Town):
    field = await town.staff(role=Role.FIELD_STAFF)
    statuses = {"杉田地区体育館": "OPEN", "二本松市役所": "CLOSED"}
    await arrange(town, field, statuses)

    hits = await town.nearest(limit=50)

    ranked = await by_distance(CITY_HALL)
    assert [hit["shelter"]["name"] for hit in hits] == [place.name for _, _, place in ranked]
    said = {hit["shelter"]["name"]: hit["status"] for hit in hits}
    assert said["杉田地区体育館"] == "OPEN" and said["二本松市役所"] == "CLOSED"


async def test_no_hazard_given__the_alerts_hazard__a_given_one_wins(town: Town):
    crisis = await town.crisis_staff()
    await town.create(crisis, severity="SEVERE", hazard="LANDSLIDE")

    landslide = await town.nearest(limit=50)
    flood = await town.nearest(limit=50, hazard="FLOOD")

    assert [hit["shelter"]["name"] for hit in landslide] == [
        place.name for _, _, place in await by_distance(CITY_HALL, "LANDSLIDE")
    ]
    assert [hit["shelter"]["name"] for hit in flood] == [
        place.name for _, _, place in await by_distance(CITY_HALL, "FLOOD")
    ]


async def test_full_and_open__seen_by_another_process_after_its_poll(town: Town):
    field = await town.staff(role=Role.FIELD_STAFF)
    other = GeoRuntime()
    await other.load()
    await arrange(town, field, {"二本松市民会館": "FULL", "杉田地区体育館": "OPEN"})
    assert other.shelters.nearest_by_status(*CITY_HALL, 1, 0, None)[0][0].name == "二本松市役所"

    assert await other.refresh() is True

    for process in (other, runtime.current()):
        found = process.shelters.nearest_by_status(*CITY_HALL, 50, 0, None)
        statuses = [
            process.shelters.status(process.shelters.position_of(v.db_id)) for v, _ in found
        ]
        assert found[0][0].name == "杉田地区体育館" and found[-1][0].name == "二本松市民会館"
        assert statuses[0] == "OPEN" and statuses[-1] == "FULL"
        assert set(statuses[1:-1]) == {"NOT_OPENED"}


@needs_samples
async def test_real_jma_warning__home_and_nearest_lead_with_it__cancel_ends_it(
    town: Town, tmp_path, database_url
):
    field = await town.staff(role=Role.FIELD_STAFF)
    sakata = make_settings(tmp_path, database_url, JMA_CITY_CODES="0620400")
    imported = await import_document(jma_file(WARNINGS), sakata)  # 大雨特別警報 (浸水害)
    statuses = {"杉田地区体育館": "OPEN"}
    await arrange(town, field, statuses)

    home = await town.home()

    assert [a["id"] for a in home["alerts"]] == [str(imported.alert.public_id)]
    assert home["alerts"][0]["severity"] == "EXTREME"
    assert (home["disasterMode"], home["hazard"]) == (True, "INLAND_FLOOD")
    hits = await town.nearest(limit=4)
    assert [(h["shelter"]["name"], h["status"]) for h in hits] == await expected(
        CITY_HALL, "INLAND_FLOOD", statuses, 4
    )
    assert hits[0]["shelter"]["name"] == "杉田地区体育館"

    cancel = _variant(
        jma_file(WARNINGS),
        ("<InfoType>発表</InfoType>", "<InfoType>取消</InfoType>"),
        ("<DateTime>2024-07-25T04:05:11Z</DateTime>", "<DateTime>2024-07-25T04:20:00Z</DateTime>"),
    )
    await import_document(cancel, sakata)

    home = await town.home()
    assert (home["alerts"], home["disasterMode"], home["hazard"]) == ([], False, None)
    nearest = [place.name for _, _, place in await by_distance(CITY_HALL)][:4]
    assert [hit["shelter"]["name"] for hit in await town.nearest(limit=4)] == nearest
