"""A small city for disaster tests: the demo city's places, departments, residents and staff
with tokens, and the GraphQL the tests send."""

from __future__ import annotations

from typing import Any

from geo import runtime
from geo.demo import AED_FILES, DEMO_DATA, SITE_FILES
from geo.geodesy import geodesic_distance_m
from geo.importing import import_file
from geo.models import Shelter
from tests.alerts.city import CITY_HALL, Caller, City

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

__all__ = ["CITY_HALL", "Caller", "Town"]


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
