"""The demo city's evacuation sites, shelters and AEDs (二本松市), from geo/demo_data.

The files are in the published layouts (GSI CSV, 自治体標準オープンデータセット) and go through
the same import as real data. They are imported only into a database without sites or AEDs:
once a city imports its own data, seeding never touches it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from geo.importing import import_file
from geo.models import Aed, Shelter

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
SITE_FILES = ("nihonmatsu_emergency_sites.csv", "nihonmatsu_shelters.csv")
AED_FILES = ("nihonmatsu_aeds.csv",)


async def seed(report: Callable[[str], None]) -> None:
    if not await Shelter.exists():
        for name in SITE_FILES:
            await import_file(DEMO_DATA / name)
        report(f"geo: {await Shelter.all().count()} demo evacuation sites and shelters")
    if not await Aed.exists():
        for name in AED_FILES:
            await import_file(DEMO_DATA / name)
        report(f"geo: {await Aed.all().count()} demo AEDs")
