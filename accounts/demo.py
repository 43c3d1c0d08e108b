"""The demo city's departments, one member of staff and a few residents."""

from __future__ import annotations

import secrets

from accounts.models import Department, Resident, Role, StaffMember
from core import security

DEPARTMENTS = [
    ("citizens", "市民課", "Citizens Affairs"),
    ("roads", "土木課", "Roads and Public Works"),
    ("parks", "都市計画課", "Parks and Urban Planning"),
    ("environment", "生活環境課", "Environment"),
    ("sports", "生涯学習課", "Lifelong Learning and Sports"),
    ("disaster", "防災課", "Disaster Management"),
    ("kikikanri", "危機管理課", "Crisis Management"),
    ("welfare", "こども福祉課", "Child Welfare"),
    ("fukushi", "福祉課", "Welfare"),
    ("insurance", "保険年金課", "Health Insurance and Pensions"),
]

RESIDENTS = [
    ("taro@example.jp", "二本松 太郎", "ja"),
    ("hanako@example.jp", "安達 花子", "ja"),
    ("alex@example.com", "Alex Smith", "en"),
]

STAFF_EMAIL = "staff@nihonmatsu.example.jp"


async def seed(report) -> None:
    for code, name_ja, name_en in DEPARTMENTS:
        await Department.get_or_create(code=code, defaults={"name_ja": name_ja, "name_en": name_en})
    if not await StaffMember.exists(email=STAFF_EMAIL):
        password = secrets.token_urlsafe(12)
        await StaffMember.create(
            email=STAFF_EMAIL,
            password_hash=security.hash_password(password),
            display_name="窓口 担当",
            department=await Department.get(code="roads"),
            role=Role.ADMIN,
        )
        report(f"staff log-in: {STAFF_EMAIL} / {password}  (shown once; keep it)")
    for email, name, language in RESIDENTS:
        await Resident.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "language": language,
                "password_hash": security.hash_password(secrets.token_urlsafe(16)),
            },
        )
