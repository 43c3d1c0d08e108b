"""Staff report a shelter's capacity, headcount and offers; 空き / 混雑 / 満 is derived; every
change is time-stamped and attributed; the public board lists places opened ones first."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import time_machine

from accounts.models import Role
from core import clock
from geo.operation import service
from geo.operation.models import ShelterLogEntry
from tests.disaster.town import BOARD, UPDATE, Town
from tests.support.graphql import error_codes

HALL = "二本松市民会館"
LOG = """query($id: ID!) { shelterLog(id: $id) {
  at staffName status capacity headcount offers } }"""


async def test_update__crowding_derived_from_capacity_and_headcount(town: Town):
    field = await town.staff(role=Role.FIELD_STAFF)
    await town.set_status(field, HALL, "OPEN")
    levels = []
    for headcount in (0, 79, 80, 99, 100, 130):
        entry = await town.update(field, HALL, capacity=100, headcount=headcount)
        levels.append((entry["crowding"], entry["crowdingLabel"], entry["status"]))
    assert levels == [
        ("AVAILABLE", "空き", "OPEN"),
        ("AVAILABLE", "空き", "OPEN"),
        ("CROWDED", "混雑", "OPEN"),
        ("CROWDED", "混雑", "OPEN"),
        ("FULL", "満", "FULL"),
        ("FULL", "満", "FULL"),
    ]
    entry = await town.update(field, HALL, capacity=200)  # more room: the headcount stays
    assert (entry["headcount"], entry["crowding"], entry["status"]) == (130, "AVAILABLE", "OPEN")


async def test_update__offers_in_a_fixed_order_once__left_out_values_stay(town: Town):
    field = await town.staff(role=Role.FIELD_STAFF)
    first = await town.update(
        field, HALL, capacity=300, headcount=12, offers=["PETS", "WATER", "PETS", "CHARGING"]
    )
    assert first["offers"] == ["WATER", "CHARGING", "PETS"]
    assert first["offerLabels"] == ["給水", "充電", "ペット可"]
    second = await town.update(field, HALL, headcount=40)
    assert (second["capacity"], second["headcount"]) == (300, 40)
    assert second["offers"] == ["WATER", "CHARGING", "PETS"]
    cleared = await town.update(field, HALL, offers=[])
    assert cleared["offers"] == [] and cleared["headcount"] == 40
    assert cleared["status"] == "NOT_OPENED"  # counts do not open a shelter


async def test_update__not_opened_shelter_is_never_full(town: Town):
    field = await town.staff(role=Role.FIELD_STAFF)
    entry = await town.update(field, HALL, capacity=10, headcount=10)
    assert (entry["crowding"], entry["status"]) == ("FULL", "NOT_OPENED")
    await town.set_status(field, HALL, "OPEN")
    board = await town.gql.data(BOARD, {"statuses": ["FULL"]})
    assert [row["shelter"]["name"] for row in board["shelterStatus"]] == [HALL]


async def test_every_change__time_stamped_and_attributed__in_the_log(town: Town):
    field = await town.staff(role=Role.FIELD_STAFF)
    other = await town.staff(role=Role.CLERK, department="disaster")
    moment = (clock.now() + timedelta(minutes=5)).replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        await town.set_status(field, HALL, "OPEN")
        entry = await town.update(other, HALL, capacity=50, headcount=5, offers=["FOOD"])
    assert datetime.fromisoformat(entry["updatedAt"]) == moment

    body = await town.gql.data(LOG, {"id": await town.shelter_id(HALL)}, auth=other.token)

    log = body["shelterLog"]
    assert [datetime.fromisoformat(entry.pop("at")) for entry in log] == [moment, moment]
    assert log == [
        {
            "staffName": other.model.display_name,
            "status": "OPEN",
            "capacity": 50,
            "headcount": 5,
            "offers": ["FOOD"],
        },
        {
            "staffName": field.model.display_name,
            "status": "OPEN",
            "capacity": None,
            "headcount": None,
            "offers": [],
        },
    ]
    assert await ShelterLogEntry.filter(staff_id=other.model.id).count() == 1


async def test_only_staff_update__anyone_reads_the_board__staff_read_the_log(town: Town):
    resident = await town.resident()
    shelter_id = await town.shelter_id(HALL)
    variables = {"id": shelter_id, "headcount": 3}
    assert error_codes(await town.gql(UPDATE, variables)) == ["UNAUTHENTICATED"]
    assert error_codes(await town.gql(UPDATE, variables, auth=resident.token)) == ["FORBIDDEN"]
    assert error_codes(await town.gql(LOG, {"id": shelter_id}, auth=resident.token)) == [
        "FORBIDDEN"
    ]
    board = await town.gql.data(BOARD)
    assert HALL in [row["shelter"]["name"] for row in board["shelterStatus"]]


async def test_bad_input__validation_with_the_field(town: Town):
    field = await town.staff(role=Role.FIELD_STAFF)
    shelter_id = await town.shelter_id(HALL)
    cases = [
        ({"capacity": 0}, "capacity"),
        ({"capacity": 100_001}, "capacity"),
        ({"headcount": -1}, "headcount"),
        ({"headcount": 100_001}, "headcount"),
        ({}, "headcount"),
    ]
    for values, name in cases:
        body = await town.gql(UPDATE, {"id": shelter_id, **values}, auth=field.token)
        assert error_codes(body) == ["VALIDATION"], values
        assert body["errors"][0]["extensions"]["field"] == name
    wrong_types = [{"headcount": "many"}, {"headcount": 1.5}, {"offers": ["SPA"]}]
    for values in wrong_types:
        body = await town.gql(UPDATE, {"id": shelter_id, **values}, auth=field.token)
        assert error_codes(body) == ["BAD_QUERY"], values
    for unknown in ("00000000-0000-0000-0000-000000000000", "x" * 300):
        body = await town.gql(UPDATE, {"id": unknown, "headcount": 1}, auth=field.token)
        assert error_codes(body) == ["NOT_FOUND"]
    assert await ShelterLogEntry.all().count() == 0


async def test_concurrent_reports__each_applied_whole__one_row(town: Town):
    field = await town.staff(role=Role.FIELD_STAFF)
    shelter_id = await town.shelter_id(HALL)
    reports = [
        town.gql(UPDATE, {"id": shelter_id, "capacity": 100, "headcount": n}, auth=field.token)
        for n in range(1, 9)
    ]
    bodies = await asyncio.gather(*reports)
    assert all(not body.get("errors") for body in bodies)
    entry = await service.entry_of(shelter_id)
    assert entry.capacity == 100 and 1 <= entry.headcount <= 8
    assert await ShelterLogEntry.all().count() == 8


async def test_board__opened_first__by_area__by_status(town: Town):
    field = await town.staff(role=Role.FIELD_STAFF)
    await town.set_status(field, "杉田地区体育館", "OPEN")
    await town.set_status(field, HALL, "OPEN")
    await town.update(field, HALL, capacity=5, headcount=5)
    await town.set_status(field, "二本松市役所", "CLOSED")

    rows = (await town.gql.data(BOARD))["shelterStatus"]

    statuses = [row["status"] for row in rows]
    assert statuses[:2] == ["OPEN", "FULL"] and statuses[-1] == "CLOSED"
    assert set(statuses[2:-1]) == {"NOT_OPENED"}
    assert rows[0]["shelter"]["name"] == "杉田地区体育館"
    hall = rows[1]
    box = f"{hall['shelter']['lng'] - 0.001},{hall['shelter']['lat'] - 0.001},"
    box += f"{hall['shelter']['lng'] + 0.001},{hall['shelter']['lat'] + 0.001}"
    small = (await town.gql.data(BOARD, {"bbox": box}))["shelterStatus"]
    assert [row["shelter"]["name"] for row in small] == [HALL]
    opened = await town.gql.data(BOARD, {"statuses": ["OPEN", "FULL"]})
    assert [row["status"] for row in opened["shelterStatus"]] == ["OPEN", "FULL"]


async def test_board__bad_or_too_large_area(town: Town, monkeypatch):
    for bbox in ("1,2,3", "a,b,c,d", "140,38,139,37", "140,37,141,91", "nan,37,141,38"):
        body = await town.gql(BOARD, {"bbox": bbox})
        assert error_codes(body) == ["VALIDATION"], bbox
        assert body["errors"][0]["extensions"]["field"] == "areaBbox"
    monkeypatch.setattr(service, "MAX_BOARD", 3)
    assert error_codes(await town.gql(BOARD)) == ["VALIDATION"]
