"""Import published files of evacuation sites, shelters and AEDs into the database.

    summary = await import_file(path, on_progress=..., keep_missing=False)

The file is read first (geo.readers: layout from the header, bad rows skipped and counted),
then written in one transaction, so a failed import changes nothing and can simply be run
again; importing the same file again changes nothing. Every import that changes rows bumps
`GeoState.data_version`, which tells the running app processes to rebuild their index.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tortoise import connections
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core import database
from geo.importing.aeds import write_aeds
from geo.importing.sites import Changes, write_sites
from geo.models import GeoState
from geo.readers import Progress, RecordKind, SkipReason, read_geo_file


@dataclass
class ImportSummary:
    path: Path
    kind: RecordKind
    layout: str
    encoding: str
    rows: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: Counter[SkipReason] = field(default_factory=Counter)


async def import_file(
    path: str | Path, *, on_progress: Progress | None = None, keep_missing: bool = False
) -> ImportSummary:
    """Read and store one file. Raises UnknownLayoutError or UnicodeError for a file that
    cannot be read at all; never for single bad rows.

    keep_missing: keep rows of the file's municipalities that the file no longer lists.
    """
    result = read_geo_file(path, on_progress=on_progress)
    records = result.read_all()
    async with in_transaction():
        if result.kind is RecordKind.SITE:
            changes = await write_sites(records, result.dataset, keep_missing=keep_missing)
        else:
            changes = await write_aeds(records, keep_missing=keep_missing)
        if changes.any:
            await bump_data_version()
        if changes.inserted + changes.updated + changes.removed >= _ANALYZE_AFTER:
            await _refresh_statistics()
    return _summary(result, changes)


_ANALYZE_AFTER = 5_000


async def _refresh_statistics() -> None:
    """PostgreSQL plans the next import's look-ups with statistics from before this one unless
    told (autovacuum gets to it only later)."""
    if database.dialect() == "postgres":
        await connections.get("default").execute_script(
            "ANALYZE geo_shelter, geo_shelter_source, geo_aed"
        )


async def bump_data_version() -> None:
    await GeoState.filter(id=1).update(data_version=F("data_version") + 1)


def _summary(result, changes: Changes) -> ImportSummary:
    return ImportSummary(
        path=result.path,
        kind=result.kind,
        layout=result.layout,
        encoding=result.encoding,
        rows=result.rows,
        inserted=changes.inserted,
        updated=changes.updated,
        unchanged=changes.unchanged,
        removed=changes.removed,
        skipped=result.skipped,
    )
