"""Writes one file's AED rows: upserted by source id; rows of the file's municipalities that it
no longer lists are removed (unless asked to keep them)."""

from __future__ import annotations

from geo.importing.rows import AED_FIELDS, aed_digest, chunks
from geo.importing.sites import Changes
from geo.models import Aed
from geo.readers import AedRecord

_COLUMNS = [*(name for name in AED_FIELDS if name != "source_id"), "digest", "updated_at"]


async def write_aeds(records: list[AedRecord], *, keep_missing: bool) -> Changes:
    """Store one file's AED records (the caller holds the transaction)."""
    digests = {record.source_id: aed_digest(record) for record in records}
    stored, in_scope = await _stored(
        {record.municipality_code for record in records}, list(digests)
    )
    changes = Changes()
    written = []
    for record in records:
        old = stored.get(record.source_id)
        if old is not None and old[1] == digests[record.source_id]:
            changes.unchanged += 1
            continue
        written.append(record)
        if old is None:
            changes.inserted += 1
        else:
            changes.updated += 1
    stale = [] if keep_missing else sorted(in_scope - digests.keys())
    changes.removed = len(stale)
    await Aed.bulk_create(
        [
            Aed(
                **{name: getattr(record, name) for name in AED_FIELDS},
                digest=digests[record.source_id],
            )
            for record in written
        ],
        on_conflict=["source_id"],
        update_fields=_COLUMNS,
    )
    for batch in chunks(stored[source_id][0] for source_id in stale):
        await Aed.filter(id__in=batch).delete()
    return changes


async def _stored(
    municipalities: set[str], source_ids: list[str]
) -> tuple[dict[str, tuple[int, str]], set[str]]:
    stored: dict[str, tuple[int, str]] = {}
    for batch in chunks(sorted(municipalities), 500):
        rows = await Aed.filter(municipality_code__in=batch).values_list(
            "source_id", "id", "digest"
        )
        stored.update((source_id, (row_id, row_digest)) for source_id, row_id, row_digest in rows)
    in_scope = set(stored)
    for batch in chunks(source_id for source_id in source_ids if source_id not in stored):
        rows = await Aed.filter(source_id__in=batch).values_list("source_id", "id", "digest")
        stored.update((source_id, (row_id, row_digest)) for source_id, row_id, row_digest in rows)
    return stored, in_scope
