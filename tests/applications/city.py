"""The demo city for application tests: departments, the shipped catalogue, the citizens'
counter, residents and clerks, and the answers a moving-in bundle needs."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from accounts.demo import DEPARTMENTS
from accounts.models import Department, Resident, Role, StaffMember
from applications.catalogue.service import import_directory
from applications.demo import seed_counter
from core.settings import Settings
from tests.booking.factories import token_for
from tests.support.graphql import GraphQL

UPLOAD = """mutation($applicationId: ID!, $fieldKey: String!, $file: Upload!) {
  uploadAttachment(applicationId: $applicationId, fieldKey: $fieldKey, file: $file) {
    id fieldKey filename contentType size sha256 url } }"""

ADDRESS_NEW = {
    "postalCode": "964-8601",
    "prefecture": "福島県",
    "city": "二本松市",
    "rest": "金色403-1",
}
ADDRESS_OLD = {
    "postalCode": "100-0001",
    "prefecture": "東京都",
    "city": "千代田区",
    "rest": "千代田1-1",
}


def moving_in_answers() -> dict[str, Any]:
    """Answers to 転入届 + 国民健康保険 + 児童手当: 24 values, each shared question once (the
    moving-out certificate, a file, makes 25)."""
    return {
        "resident.name": "二本松 花子",
        "resident.nameKana": "ニホンマツ ハナコ",
        "resident.birthDate": "1990-04-01",
        "resident.sex": "female",
        "contact.phone": "0243-55-1111",
        "contact.email": "hanako@example.jp",
        "address.previous": ADDRESS_OLD,
        "address.new": ADDRESS_NEW,
        "tennyu.moveInDate": "2025-04-01",
        "tennyu.reason": "work",
        "household.members": [
            {"name": "二本松 一郎", "birthDate": "1988-02-02", "relationship": "spouse"},
            {"name": "二本松 さくら", "birthDate": "2019-05-05", "relationship": "child"},
        ],
        "tennyu.isHeadOfHousehold": False,
        "tennyu.headName": "二本松 一郎",
        "kokuho.previousInsurance": "workplace",
        "kokuho.coverageEndDate": "2025-03-31",
        "kokuho.employerName": "株式会社みほん",
        "jido.children": [{"name": "二本松 さくら", "birthDate": "2019-05-05"}],
        "jido.bankName": "東邦銀行",
        "jido.bankBranch": "二本松支店",
        "jido.accountType": "ordinary",
        "jido.accountNumber": "1234567",
        "jido.accountHolder": "ニホンマツ ハナコ",
        "jido.hasSpouse": True,
        "jido.spouseIncomeHigher": False,
    }


JUMINHYO = {
    "resident.name": "安達 太郎",
    "resident.birthDate": "1980-01-01",
    "contact.phone": "0243-55-2222",
    "juminhyo.copies": 2,
    "juminhyo.scope": "self",
    "juminhyo.includeHonseki": False,
    "juminhyo.purpose": "employment",
}


@dataclass
class Person:
    model: Any
    token: str


@dataclass
class City:
    client: httpx.AsyncClient
    gql: GraphQL
    settings: Settings

    async def seed(self) -> None:
        for code, name_ja, name_en in DEPARTMENTS:
            await Department.get_or_create(
                code=code, defaults={"name_ja": name_ja, "name_en": name_en}
            )
        await import_directory()
        await seed_counter("citizens", "市民課 窓口", "Citizens Affairs counter")

    async def resident(self, name: str = "二本松 花子", language: str = "ja") -> Person:
        person = await Resident.create(
            display_name=name, language=language, email=f"{uuid.uuid4().hex[:10]}@example.jp"
        )
        return Person(person, token_for(self.settings, person))

    async def clerk(self, department: str, role: Role = Role.CLERK) -> Person:
        member = await StaffMember.create(
            email=f"{department}-{uuid.uuid4().hex[:8]}@city.example.jp",
            password_hash="unused",
            display_name=f"{department} 係",
            department=await Department.get(code=department),
            role=role,
        )
        return Person(member, token_for(self.settings, member))

    async def ok(self, name: str, who: Person | None = None, **variables: Any) -> dict[str, Any]:
        body = await self.gql.op(name, auth=who.token if who else None, **variables)
        assert not body.get("errors"), body
        return body["data"]

    async def draft(self, who: Person, codes: list[str], answers: dict | None = None) -> dict:
        application = (await self.ok("StartApplication", who, procedureCodes=codes))[
            "startApplication"
        ]
        if answers:
            saved = await self.ok(
                "SaveAnswers", who, applicationId=application["id"], answers=answers
            )
            application = saved["saveAnswers"]
        return application

    async def submitted(self, who: Person, codes: list[str], answers: dict) -> dict:
        application = await self.draft(who, codes, answers)
        return (await self.ok("SubmitApplication", who, applicationId=application["id"]))[
            "submitApplication"
        ]

    async def upload(
        self,
        who: Person,
        application_id: str,
        field_key: str,
        data: bytes,
        filename: str = "plan.pdf",
        content_type: str = "application/pdf",
    ) -> dict:
        operations = {
            "query": UPLOAD,
            "variables": {"applicationId": application_id, "fieldKey": field_key, "file": None},
        }
        response = await self.client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.file"]}),
            },
            files={"0": (filename, data, content_type)},
            headers={"Authorization": f"Bearer {who.token}", "Apollo-Require-Preflight": "true"},
        )
        assert response.status_code == 200, response.text
        return response.json()


def pdf_bytes(size: int = 2000) -> bytes:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    return body + b"%" + b"x" * max(0, size - len(body) - 8) + b"\n%%EOF\n"
