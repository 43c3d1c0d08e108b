"""The register of people who need help to evacuate: registration with consent (by the
welfare department or by the person), who may see an entry, every view audited, details
sealed at rest, consent withdrawn removes the person."""

from __future__ import annotations

from accounts.models import AuditEntry, Role
from core.sealing import sealer
from disaster.support.models import Supporter, SupportNeededPerson
from tests.disaster.town import (
    PEOPLE,
    PERSON,
    REGISTER,
    UPDATE_PERSON,
    WITHDRAW,
    SupportTown,
    person_input,
)
from tests.support.graphql import error_codes

SECRETS = (
    "安達 トメ",
    "あだち とめ",
    "本町2-3-5",
    "0243-22-0000",
    "車いす",
    "1938-04-02",
    "補聴器",
)


async def test_welfare_registers__details_back__sealed_at_rest(support_town: SupportTown):
    town = support_town
    daughter, neighbour = await town.resident(), await town.resident()
    welfare = await town.welfare()

    person = await town.person_with_supporters(daughter, neighbour)

    assert (person["name"], person["birthDate"], person["sex"]) == (
        "安達 トメ",
        "1938-04-02",
        "FEMALE",
    )
    assert (person["lat"], person["lng"], person["phone"]) == (37.588, 140.438, "0243-22-0000")
    assert (person["consentMethod"], person["consentRecordedBy"]) == (
        "WRITTEN",
        welfare.model.display_name,
    )
    assert person["supporters"] == [
        {
            "residentId": str(daughter.model.public_id),
            "displayName": daughter.model.display_name,
            "relation": "FAMILY",
        },
        {
            "residentId": str(neighbour.model.public_id),
            "displayName": neighbour.model.display_name,
            "relation": "NEIGHBOUR",
        },
    ]
    [row] = await SupportNeededPerson.all().values()
    stored = " ".join(str(value) for value in row.values())
    assert not any(secret in stored for secret in SECRETS)
    opened = sealer(town.settings.data_keys).open(row["sealed"])
    assert opened["name"] == "安達 トメ" and opened["lat"] == 37.588


async def test_who_sees_an_entry__welfare_supporters_the_person__nobody_else(
    support_town: SupportTown,
):
    town = support_town
    supporter, stranger = await town.resident(), await town.resident()
    person = await town.person_with_supporters(supporter)
    variables = {"id": person["id"]}

    for caller in (await town.welfare(), supporter):
        seen = await town.gql.data(PERSON, variables, auth=caller.token)
        assert seen["supportNeededPerson"]["name"] == "安達 トメ"
    assert error_codes(await town.gql(PERSON, variables, auth=stranger.token)) == ["NOT_FOUND"]
    for department, role in (
        ("roads", Role.CLERK),
        ("kikikanri", Role.CLERK),
        ("roads", Role.ADMIN),
    ):
        outsider = await town.staff(department=department, role=role)
        body = await town.gql(PERSON, variables, auth=outsider.token)
        assert error_codes(body) == ["FORBIDDEN"], department
        assert error_codes(await town.gql(PEOPLE, {}, auth=outsider.token)) == ["FORBIDDEN"]
    assert error_codes(await town.gql(PERSON, variables)) == ["UNAUTHENTICATED"]
    assert error_codes(await town.gql(PEOPLE, {}, auth=supporter.token)) == ["FORBIDDEN"]
    for unknown in ("00000000-0000-0000-0000-000000000000", "nope"):
        body = await town.gql(PERSON, {"id": unknown}, auth=(await town.welfare()).token)
        assert error_codes(body) == ["NOT_FOUND"]


async def test_every_view_is_audited__without_the_details(support_town: SupportTown):
    town = support_town
    supporter = await town.resident()
    welfare = await town.welfare()
    person = await town.person_with_supporters(supporter)
    await town.register(welfare, name="岩代 ハナ", lat=37.55, lng=140.56)
    await AuditEntry.all().delete()

    await town.gql.data(PERSON, {"id": person["id"]}, auth=welfare.token)
    await town.gql.data(PERSON, {"id": person["id"]}, auth=supporter.token)
    listed = await town.gql.data(PEOPLE, {}, auth=welfare.token)
    await town.gql.data("{ mySupportees { id } }", auth=supporter.token)
    refused = await town.staff(department="roads")
    await town.gql(PERSON, {"id": person["id"]}, auth=refused.token)

    entries = await AuditEntry.all().order_by("id")
    assert [(e.action, e.staff_id, e.detail.get("viewerResident")) for e in entries] == [
        ("support_needed.viewed", welfare.model.id, None),
        ("support_needed.viewed", None, str(supporter.model.public_id)),
        ("support_needed.listed", welfare.model.id, None),
        ("support_needed.listed", welfare.model.id, None),
        ("support_needed.viewed", None, str(supporter.model.public_id)),
    ]
    assert {e.subject_id for e in entries} == {p["id"] for p in listed["supportNeededPeople"]}
    assert all(e.subject_type == "support_needed_person" for e in entries)
    written = " ".join(str(e.detail) + e.actor_name for e in entries)
    assert not any(secret in written for secret in SECRETS)


async def test_resident_registers_themself__updates__withdraws_consent(support_town: SupportTown):
    town = support_town
    resident, helper = await town.resident(), await town.resident()
    supporters = [{"residentId": str(helper.model.public_id), "relation": "FAMILY"}]
    mine = await town.register(resident, supporters=supporters)
    assert (mine["consentMethod"], mine["consentRecordedBy"]) == ("APP", "")
    own = await town.gql.data("{ mySupportRegistration { id } }", auth=resident.token)
    assert own["mySupportRegistration"]["id"] == mine["id"]
    twice = await town.gql(REGISTER, {"input": person_input()}, auth=resident.token)
    assert error_codes(twice) == ["CONFLICT"]

    changed = await town.gql.data(
        UPDATE_PERSON,
        {"id": mine["id"], "input": person_input(phone="090-0000-0000", supporters=[])},
        auth=resident.token,
    )
    assert changed["updateSupportNeeded"]["phone"] == "090-0000-0000"
    assert changed["updateSupportNeeded"]["supporters"] == []
    assert await Supporter.all().count() == 0

    withdrawn = await town.gql.data(WITHDRAW, {"id": mine["id"]}, auth=resident.token)
    assert withdrawn == {"withdrawSupportConsent": True}
    assert await SupportNeededPerson.all().count() == 0
    assert (await town.gql.data("{ mySupportRegistration { id } }", auth=resident.token)) == {
        "mySupportRegistration": None
    }
    welfare = await town.welfare()
    gone = await town.gql(PERSON, {"id": mine["id"]}, auth=welfare.token)
    assert error_codes(gone) == ["NOT_FOUND"]
    actions = (
        await AuditEntry.filter(subject_id=mine["id"])
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "support_needed.registered",
        "support_needed.updated",
        "support_needed.withdrawn",
    ]


async def test_supporters_see_but_do_not_change__welfare_withdraws_for_the_person(
    support_town: SupportTown,
):
    town = support_town
    supporter = await town.resident()
    person = await town.person_with_supporters(supporter)
    refused = await town.gql(
        UPDATE_PERSON, {"id": person["id"], "input": person_input()}, auth=supporter.token
    )
    assert error_codes(refused) == ["FORBIDDEN"]
    assert error_codes(await town.gql(WITHDRAW, {"id": person["id"]}, auth=supporter.token)) == [
        "FORBIDDEN"
    ]
    welfare = await town.welfare()
    assert (await town.gql.data(WITHDRAW, {"id": person["id"]}, auth=welfare.token))[
        "withdrawSupportConsent"
    ] is True
    assert error_codes(await town.gql(PERSON, {"id": person["id"]}, auth=supporter.token)) == [
        "NOT_FOUND"
    ]


async def test_bad_registrations__validation_with_the_field(support_town: SupportTown):
    town = support_town
    welfare = await town.welfare()
    someone = await town.resident()
    one = {"residentId": str(someone.model.public_id), "relation": "FAMILY"}
    cases = [
        ({"consent": False}, "consent"),
        ({"name": "  "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"address": ""}, "address"),
        ({"reason": ""}, "reason"),
        ({"phone": "call me"}, "phone"),
        ({"birthDate": "2150-01-01"}, "birthDate"),
        # Outside the Date scalar's years: refused before the service, on the argument.
        ({"birthDate": "1899-12-31"}, "input"),
        ({"birthDate": "yesterday"}, "input"),
        ({"lat": 35.68, "lng": 139.76}, "lat"),
        ({"lng": 141.5}, "lng"),
        ({"notes": "n" * 501}, "notes"),
        (
            {
                "supporters": [
                    {"residentId": "00000000-0000-0000-0000-000000000000", "relation": "FAMILY"}
                ]
            },
            "supporters[0].residentId",
        ),
        ({"supporters": [one, one]}, "supporters[1].residentId"),
        ({"supporters": [one] * 6}, "supporters"),
    ]
    for overrides, field in cases:
        body = await town.gql(REGISTER, {"input": person_input(**overrides)}, auth=welfare.token)
        assert error_codes(body) == ["VALIDATION"], overrides
        assert body["errors"][0]["extensions"]["field"] == field, overrides
    own = await town.gql(
        REGISTER,
        {
            "input": person_input(
                supporters=[{"residentId": str(someone.model.public_id), "relation": "FAMILY"}]
            )
        },
        auth=someone.token,
    )
    assert error_codes(own) == ["VALIDATION"]  # one's own supporter
    for overrides in ({"sex": "UNKNOWN"}, {"lat": "north"}):
        body = await town.gql(REGISTER, {"input": person_input(**overrides)}, auth=welfare.token)
        assert error_codes(body) == ["BAD_QUERY"], overrides
    roads = await town.staff(department="roads")
    assert error_codes(await town.gql(REGISTER, {"input": person_input()}, auth=roads.token)) == [
        "FORBIDDEN"
    ]
    assert error_codes(await town.gql(REGISTER, {"input": person_input()})) == ["UNAUTHENTICATED"]
    assert await SupportNeededPerson.all().count() == 0


async def test_people_by_area__box_alert_district(support_town: SupportTown):
    town = support_town
    welfare = await town.welfare()
    await town.register(welfare)  # 二本松, near the city hall
    await town.register(welfare, name="岩代 ハナ", kana="いわしろ はな", lat=37.5470, lng=140.5680)
    await town.register(
        welfare, name="東和 ジロウ", kana="とうわ じろう", lat=37.6280, lng=140.5390
    )

    async def names(area) -> list[str]:
        body = await town.gql.data(PEOPLE, {"area": area}, auth=welfare.token)
        return [p["name"] for p in body["supportNeededPeople"]]

    assert await names(None) == ["安達 トメ", "岩代 ハナ", "東和 ジロウ"]  # by kana
    assert await names({"bbox": "140.5,37.5,140.6,37.6"}) == ["岩代 ハナ"]
    assert await names({"district": "towa"}) == ["東和 ジロウ"]
    alert = await town.create(await town.crisis_staff())  # 5 km around the city hall
    assert await names({"alertId": alert["id"]}) == ["安達 トメ"]
    bad = await town.gql(PEOPLE, {"area": {"bbox": "1,2"}}, auth=welfare.token)
    assert error_codes(bad) == ["VALIDATION"]
