"""The demo city's districts: 二本松市 and the three towns that joined it in 2005, each at
its office (positions written for the demo)."""

from __future__ import annotations

from collections.abc import Callable

from disaster.districts.models import District

DISTRICTS = [
    ("nihonmatsu", "二本松地区", "Nihonmatsu", 37.5849, 140.4312),
    ("adachi", "安達地区", "Adachi", 37.6206, 140.4519),
    ("iwashiro", "岩代地区", "Iwashiro", 37.5466, 140.5683),
    ("towa", "東和地区", "Towa", 37.6283, 140.5390),
]


async def seed(report: Callable[[str], None]) -> None:
    if await District.exists():
        return
    for code, name_ja, name_en, lat, lng in DISTRICTS:
        await District.create(code=code, name_ja=name_ja, name_en=name_en, lat=lat, lng=lng)
    report(f"disaster: {len(DISTRICTS)} demo districts")
