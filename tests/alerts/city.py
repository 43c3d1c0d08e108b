"""A small city for alert tests: departments, residents and staff with tokens, GraphQL helpers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from accounts.demo import DEPARTMENTS
from accounts.models import Department, Resident, Role, StaffMember
from core import security
from core.settings import Settings
from tests.support.graphql import GraphQL

CITY_HALL = (37.5849, 140.4312)
ALERT_FIELDS = """id identifier sender sent status msgType references source category event
  urgency severity certainty headline description instruction effective expires hazard note
  isActive capUrl areas { description circles { lat lng radiusMeters } polygons { lat lng }
  geocodes { valueName value } }"""

CREATE = f"""mutation($input: AlertInput!) {{ createAlert(input: $input) {{ {ALERT_FIELDS} }} }}"""
UPDATE = f"""mutation($id: ID!, $input: AlertInput!) {{
  updateAlert(id: $id, input: $input) {{ {ALERT_FIELDS} }} }}"""
CANCEL = f"""mutation($id: ID!, $note: String) {{
  cancelAlert(id: $id, note: $note) {{ {ALERT_FIELDS} }} }}"""
ALERTS = f"""query($active: Boolean) {{ alerts(active: $active) {{ {ALERT_FIELDS} }} }}"""
ACTIVE = f"""query($lat: Float!, $lng: Float!) {{
  activeAlerts(lat: $lat, lng: $lng) {{ {ALERT_FIELDS} }} }}"""
DELIVERY = """query($id: ID!) { alertDelivery(id: $id) {
  targeted sent delivered failed byChannel { channel targeted sent delivered failed } } }"""
SET_WATCH = """mutation($areas: [WatchAreaInput!]!) {
  setWatchAreas(areas: $areas) { id label lat lng radiusMeters } }"""
SUBSCRIBE = """mutation($cityWide: Boolean!, $exercises: Boolean) {
  setAlertSubscription(cityWide: $cityWide, exercises: $exercises) { cityWide exercises } }"""


@dataclass
class Caller:
    token: str
    model: Any


def alert_input(**overrides: Any) -> dict[str, Any]:
    lat, lng = CITY_HALL
    value: dict[str, Any] = {
        "status": "ACTUAL",
        "msgType": "ALERT",
        "category": "MET",
        "event": "大雨",
        "urgency": "IMMEDIATE",
        "severity": "SEVERE",
        "certainty": "LIKELY",
        "headline": "阿武隈川が氾濫危険水位に達しました",
        "description": "市内を流れる阿武隈川の水位が上昇しています。",
        "instruction": "川沿いの方は直ちに避難してください。",
        "hazard": "FLOOD",
        "areas": [
            {
                "description": "二本松市役所周辺",
                "circles": [{"lat": lat, "lng": lng, "radiusMeters": 5000}],
            }
        ],
    }
    value.update(overrides)
    return value


class City:
    def __init__(self, gql: GraphQL, settings: Settings) -> None:
        self.gql = gql
        self.settings = settings

    async def seed(self) -> None:
        for code, name_ja, name_en in DEPARTMENTS:
            await Department.get_or_create(
                code=code, defaults={"name_ja": name_ja, "name_en": name_en}
            )

    def _token(self, subject: str) -> str:
        return security.issue_access_token(self.settings.secret_key, subject, 60)

    def token_for(self, resident: Resident) -> str:
        return self._token(f"r:{resident.public_id}")

    async def resident(self, *, language: str = "ja") -> Caller:
        number = uuid.uuid4().hex[:8]
        resident = await Resident.create(
            email=f"r{number}@example.jp", display_name=f"住民{number}", language=language
        )
        return Caller(self._token(f"r:{resident.public_id}"), resident)

    async def staff(self, *, role: Role = Role.CLERK, department: str = "kikikanri") -> Caller:
        member = await StaffMember.create(
            email=f"s{uuid.uuid4().hex[:8]}@city.example.jp",
            password_hash="-",
            display_name="危機 管理",
            department=await Department.get(code=department),
            role=role,
        )
        return Caller(self._token(f"s:{member.public_id}"), member)

    async def crisis_staff(self) -> Caller:
        return await self.staff(role=Role.CLERK, department="kikikanri")

    async def create(self, caller: Caller, **overrides: Any) -> dict[str, Any]:
        data = await self.gql.data(CREATE, {"input": alert_input(**overrides)}, auth=caller.token)
        return data["createAlert"]

    async def watch(self, caller: Caller, *areas: tuple[float, float, float]) -> None:
        value = [
            {"label": f"場所{i}", "lat": lat, "lng": lng, "radiusMeters": radius}
            for i, (lat, lng, radius) in enumerate(areas)
        ]
        await self.gql.data(SET_WATCH, {"areas": value}, auth=caller.token)
