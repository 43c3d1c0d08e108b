"""A small city for report tests: departments, the demo categories, residents and staff with tokens."""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from PIL import Image

from accounts.demo import DEPARTMENTS
from accounts.models import Department, Resident, Role, StaffMember
from core import security
from core.settings import Settings
from reports.demo import seed_categories
from tests.support.graphql import GraphQL

CITY_HALL = (37.5849, 140.4312)
AT_SEA = (37.70, 141.20)  # off the Fukushima coast, outside the service area

SUBMIT = """
mutation Submit($input: SubmitReportInput!) {
  submitReport(input: $input) {
    report { id receiptNumber status lat lng address description isMine
             category { code } photos { id url thumbUrl width height } }
    duplicates { distanceM report { id receiptNumber } }
  }
}
"""


@dataclass
class Caller:
    token: str
    model: Any

    @property
    def id(self) -> str:
        return str(self.model.public_id)


def jpeg(size: tuple[int, int] = (64, 48), color=(200, 30, 30), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", **save)
    return out.getvalue()


class World:
    def __init__(self, client: httpx.AsyncClient, gql: GraphQL, settings: Settings) -> None:
        self.client = client
        self.gql = gql
        self.settings = settings

    async def seed(self) -> None:
        for code, name_ja, name_en in DEPARTMENTS:
            await Department.get_or_create(
                code=code, defaults={"name_ja": name_ja, "name_en": name_en}
            )
        await seed_categories()

    def _token(self, subject: str) -> str:
        return security.issue_access_token(self.settings.secret_key, subject, 60)

    async def resident(
        self, *, language: str = "ja", name: str | None = None, email: bool = True
    ) -> Caller:
        number = uuid.uuid4().hex[:8]
        resident = await Resident.create(
            email=f"r{number}@example.jp" if email else None,
            display_name=name or f"住民{number}",
            language=language,
        )
        return Caller(self._token(f"r:{resident.public_id}"), resident)

    async def staff(
        self, *, role: Role = Role.CLERK, department: str = "roads", name: str = "職員 一郎"
    ) -> Caller:
        member = await StaffMember.create(
            email=f"s{uuid.uuid4().hex[:8]}@city.example.jp",
            password_hash="-",
            display_name=name,
            department=await Department.get(code=department),
            role=role,
        )
        return Caller(self._token(f"s:{member.public_id}"), member)

    async def submit(self, caller: Caller | None, **fields: Any) -> dict[str, Any]:
        report_input = {
            "categoryCode": "road_damage",
            "description": "穴があります",
            "lat": CITY_HALL[0],
            "lng": CITY_HALL[1],
            **fields,
        }
        return await self.gql(
            SUBMIT, {"input": report_input}, auth=caller.token if caller else None
        )

    async def submitted(self, caller: Caller, **fields: Any) -> dict[str, Any]:
        body = await self.submit(caller, **fields)
        assert not body.get("errors"), body
        return body["data"]["submitReport"]

    async def upload(
        self, caller: Caller, files: list[tuple[str, bytes, str]], **fields: Any
    ) -> httpx.Response:
        """submitReport as a GraphQL multipart request (the spec Apollo clients follow)."""
        report_input = {"categoryCode": "road_damage", "description": "写真つき", **fields}
        report_input["photos"] = [None] * len(files)
        operations = {"query": SUBMIT, "variables": {"input": report_input}}
        mapping = {str(i): [f"variables.input.photos.{i}"] for i in range(len(files))}
        multipart = {
            str(i): (name, data, content_type) for i, (name, data, content_type) in enumerate(files)
        }
        return await self.client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps(mapping)},
            files=multipart,
            headers={"Authorization": f"Bearer {caller.token}", "Apollo-Require-Preflight": "true"},
        )
