"""Household members a resident answers for, and family members (residents) the resident
names, who then see the resident's answers; nobody else does."""

from __future__ import annotations

from tests.disaster.town import ADD_MEMBER, SafetyTown
from tests.support.graphql import error_codes

FAMILY = """query($alertId: ID!) { familySafety(alertId: $alertId) {
  residentName answers { personName status note } } }"""
VIEWERS = """mutation($ids: [ID!]!) { setSafetyViewers(residentIds: $ids) { id displayName } }"""
MEMBERS = "{ householdMembers { id name relation } }"
REMOVE = "mutation($id: ID!) { removeHouseholdMember(id: $id) }"


async def test_named_family_see_the_answers__others_do_not(safety_town: SafetyTown):
    town = safety_town
    alert = (await town.create(await town.crisis_staff()))["id"]
    parent, son, stranger = await town.resident(), await town.resident(), await town.resident()
    member = await town.member(parent, "祖父")
    await town.report(parent, alert, "SAFE", note="自宅", members=[member["id"]])

    named = await town.gql.data(
        VIEWERS, {"ids": [str(son.model.public_id), str(parent.model.public_id)]}, auth=parent.token
    )
    assert named["setSafetyViewers"] == [
        {"id": str(son.model.public_id), "displayName": son.model.display_name}
    ]  # naming yourself changes nothing

    seen = (await town.gql.data(FAMILY, {"alertId": alert}, auth=son.token))["familySafety"]
    assert seen == [
        {
            "residentName": parent.model.display_name,
            "answers": [
                {"personName": parent.model.display_name, "status": "SAFE", "note": "自宅"},
                {"personName": "祖父", "status": "SAFE", "note": "自宅"},
            ],
        }
    ]
    nothing = await town.gql.data(FAMILY, {"alertId": alert}, auth=stranger.token)
    assert nothing["familySafety"] == []
    await town.gql.data(VIEWERS, {"ids": []}, auth=parent.token)
    assert (await town.gql.data(FAMILY, {"alertId": alert}, auth=son.token))["familySafety"] == []


async def test_viewers__unknown_refused__limited(safety_town: SafetyTown):
    town = safety_town
    resident = await town.resident()
    unknown = await town.gql(
        VIEWERS, {"ids": ["00000000-0000-0000-0000-000000000000"]}, auth=resident.token
    )
    assert error_codes(unknown) == ["NOT_FOUND"]
    many = [str((await town.resident()).model.public_id) for _ in range(21)]
    body = await town.gql(VIEWERS, {"ids": many}, auth=resident.token)
    assert error_codes(body) == ["VALIDATION"]
    assert error_codes(await town.gql(VIEWERS, {"ids": []})) == ["UNAUTHENTICATED"]


async def test_household_members__add_list_remove__limits(safety_town: SafetyTown):
    town = safety_town
    resident, other = await town.resident(), await town.resident()
    first = await town.member(resident, " 二本松 ウメ ", "祖母")
    assert (first["name"], first["relation"]) == ("二本松 ウメ", "祖母")
    for number in range(9):
        await town.member(resident, f"家族{number}")
    eleventh = await town.gql(ADD_MEMBER, {"name": "11人目"}, auth=resident.token)
    assert error_codes(eleventh) == ["VALIDATION"]
    for bad in ({"name": ""}, {"name": "x" * 101}, {"name": "ok", "relation": "r" * 51}):
        body = await town.gql(ADD_MEMBER, bad, auth=other.token)
        assert error_codes(body) == ["VALIDATION"], bad
    assert error_codes(await town.gql(REMOVE, {"id": first["id"]}, auth=other.token)) == [
        "NOT_FOUND"
    ]
    assert (await town.gql.data(REMOVE, {"id": first["id"]}, auth=resident.token))[
        "removeHouseholdMember"
    ] is True
    listed = (await town.gql.data(MEMBERS, auth=resident.token))["householdMembers"]
    assert len(listed) == 9 and first["id"] not in [m["id"] for m in listed]
