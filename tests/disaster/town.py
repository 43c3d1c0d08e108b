"""A small city for disaster tests: the demo city's places, departments, residents and staff
with tokens, and the GraphQL the tests send."""

from __future__ import annotations

from typing import Any

from geo import runtime
from geo.demo import AED_FILES, DEMO_DATA, SITE_FILES
from geo.geodesy import geodesic_distance_m
from geo.importing import import_file
from geo.models import Shelter
from tests.alerts.city import CITY_HALL, Caller, City, alert_input

HOME = """query($lat: Float!, $lng: Float!, $limit: Int! = 3) {
  home(lat: $lat, lng: $lng, shelterLimit: $limit) {
    alerts { id headline hazard severity }
    disasterMode mode modeLabel hazard
    shelters { status distanceMeters shelter { id name status } }
    aeds { aed { name } }
    geoAttribution
  }
}"""
NEAREST = """query($lat: Float!, $lng: Float!, $hazard: Hazard, $limit: Int! = 5) {
  nearestShelters(lat: $lat, lng: $lng, hazard: $hazard, limit: $limit) {
    status distanceMeters shelter { id name hazards status isOpen }
  }
}"""
SET_STATUS = """mutation($id: ID!, $status: ShelterStatus!) {
  setShelterStatus(id: $id, status: $status) { id status }
}"""
UPDATE = """mutation($id: ID!, $capacity: Int, $headcount: Int, $offers: [ShelterOffer!]) {
  updateShelterStatus(id: $id, capacity: $capacity, headcount: $headcount, offers: $offers) {
    shelter { id name } status statusLabel capacity headcount crowding crowdingLabel
    offers offerLabels updatedAt
  }
}"""
BOARD = """query($bbox: String, $statuses: [ShelterHitStatus!]) {
  shelterStatus(areaBbox: $bbox, statuses: $statuses) {
    shelter { id name lat lng } status capacity headcount crowding offers updatedAt
  }
}"""
SET_MODE = """mutation($mode: CityMode!, $hazard: Hazard, $note: String! = "") {
  setCityMode(mode: $mode, hazard: $hazard, note: $note) { mode hazard note since }
}"""
CANCEL = """mutation($id: ID!) { cancelAlert(id: $id) { id isActive } }"""

__all__ = ["CITY_HALL", "Caller", "Town", "alert_input"]


class Town(City):
    async def seed(self) -> None:
        await super().seed()
        for name in (*SITE_FILES, *AED_FILES):
            await import_file(DEMO_DATA / name)
        await runtime.current().refresh()

    async def shelter(self, name: str) -> Shelter:
        return await Shelter.get(name=name)

    async def shelter_id(self, name: str) -> str:
        return str((await self.shelter(name)).public_id)

    async def set_status(self, staff: Caller, name: str, status: str) -> None:
        variables = {"id": await self.shelter_id(name), "status": status}
        await self.gql.data(SET_STATUS, variables, auth=staff.token)

    async def update(self, staff: Caller, name: str, **values: Any) -> dict:
        variables = {"id": await self.shelter_id(name), **values}
        return (await self.gql.data(UPDATE, variables, auth=staff.token))["updateShelterStatus"]

    async def home(self, point=CITY_HALL, **variables: Any) -> dict:
        body = await self.gql.data(HOME, {"lat": point[0], "lng": point[1], **variables})
        return body["home"]

    async def nearest(self, point=CITY_HALL, **variables: Any) -> list[dict]:
        body = await self.gql.data(NEAREST, {"lat": point[0], "lng": point[1], **variables})
        return body["nearestShelters"]

    async def set_mode(self, staff: Caller, mode: str, **variables: Any) -> dict:
        body = await self.gql.data(SET_MODE, {"mode": mode, **variables}, auth=staff.token)
        return body["setCityMode"]


async def by_distance(point, hazard: str | None = None) -> list[tuple[float, int, Shelter]]:
    """Every stored place for the hazard, by geodesic distance from the point (then by id)."""
    from geo.hazards import Hazard

    bit = Hazard[hazard].bit if hazard else 0
    places = [s for s in await Shelter.all() if not bit or s.hazards & bit]
    ranked = [(geodesic_distance_m(*point, s.lat, s.lng), s.id, s) for s in places]
    return sorted(ranked, key=lambda row: (row[0], row[1]))


REPORT = """mutation($alertId: ID!, $status: SafetyStatus!, $shelterId: ID, $note: String! = "",
  $lat: Float, $lng: Float, $members: [ID!], $includeSelf: Boolean! = true) {
  reportSafety(alertId: $alertId, status: $status, shelterId: $shelterId, note: $note,
    lat: $lat, lng: $lng, members: $members, includeSelf: $includeSelf) {
    id personName member { id name } status statusLabel shelter { name } note lat lng answeredAt
  }
}"""
MY_SAFETY = """query($alertId: ID!) { mySafety(alertId: $alertId) {
  personName member { name } status shelter { name } note } }"""
ADD_MEMBER = """mutation($name: String!, $relation: String! = "") {
  addHouseholdMember(name: $name, relation: $relation) { id name relation } }"""
SUMMARY = """query($alertId: ID!) { safetySummary(alertId: $alertId) {
  safe atShelter needHelp total
  byDistrict { districtCode name safe atShelter needHelp }
  byShelter { shelter { name } atShelter } } }"""
HELP = """query($alertId: ID!) { safetyHelpNeeded(alertId: $alertId) {
  id personName answeredBy note lat lng mapUrl districtCode answeredAt handledAt handledBy } }"""


class SafetyTown(Town):
    async def report(self, caller: Caller, alert_id: str, status: str, **values: Any) -> list:
        variables = {"alertId": alert_id, "status": status, **values}
        return (await self.gql.data(REPORT, variables, auth=caller.token))["reportSafety"]

    async def member(self, caller: Caller, name: str, relation: str = "") -> dict:
        variables = {"name": name, "relation": relation}
        body = await self.gql.data(ADD_MEMBER, variables, auth=caller.token)
        return body["addHouseholdMember"]

    async def summary(self, staff: Caller, alert_id: str) -> dict:
        body = await self.gql.data(SUMMARY, {"alertId": alert_id}, auth=staff.token)
        return body["safetySummary"]


PERSON_FIELDS = """id name kana birthDate sex address lat lng phone reason notes consentMethod
  consentAt consentRecordedBy supporters { residentId displayName relation }
  checks { alertId supporterName status statusLabel note at }"""
REGISTER = f"""mutation($input: SupportNeededInput!) {{
  registerSupportNeeded(input: $input) {{ {PERSON_FIELDS} }} }}"""
UPDATE_PERSON = f"""mutation($id: ID!, $input: SupportNeededInput!) {{
  updateSupportNeeded(id: $id, input: $input) {{ {PERSON_FIELDS} }} }}"""
PERSON = f"""query($id: ID!) {{ supportNeededPerson(id: $id) {{ {PERSON_FIELDS} }} }}"""
PEOPLE = f"""query($area: SupportAreaInput) {{
  supportNeededPeople(area: $area) {{ {PERSON_FIELDS} }} }}"""
WITHDRAW = "mutation($id: ID!) { withdrawSupportConsent(id: $id) }"
MARK = """mutation($personId: ID!, $alertId: ID!, $status: SupportCheckStatus!, $note: String! = "") {
  markSupportCheck(personId: $personId, alertId: $alertId, status: $status, note: $note) {
    alertId supporterName status statusLabel note at } }"""
# 二本松市民会館's neighbourhood, 600 m from the city hall.
TOME_HOME = (37.5880, 140.4380)


def person_input(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "name": "安達 トメ",
        "kana": "あだち とめ",
        "birthDate": "1938-04-02",
        "sex": "FEMALE",
        "address": "福島県二本松市本町2-3-5",
        "lat": TOME_HOME[0],
        "lng": TOME_HOME[1],
        "phone": "0243-22-0000",
        "reason": "歩行が困難（車いす）、一人暮らし",
        "notes": "補聴器を使用",
        "supporters": [],
        "consent": True,
    }
    value.update(overrides)
    return value


class SupportTown(SafetyTown):
    async def welfare(self) -> Caller:
        return await self.staff(department="fukushi")

    async def register(self, caller: Caller, **overrides: Any) -> dict:
        body = await self.gql.data(
            REGISTER, {"input": person_input(**overrides)}, auth=caller.token
        )
        return body["registerSupportNeeded"]

    async def person_with_supporters(self, *supporters: Caller, **overrides: Any) -> dict:
        chosen = [
            {"residentId": str(s.model.public_id), "relation": relation}
            for s, relation in zip(supporters, ("FAMILY", "NEIGHBOUR", "MINSEI_IIN"), strict=False)
        ]
        return await self.register(await self.welfare(), supporters=chosen, **overrides)
