"""Writes one file's evacuation-site and shelter rows.

Rows are upserted by source id. A file is the complete list for each (municipality, dataset)
it has rows for: rows of those that it no longer lists are removed (unless asked to keep them).
Every place a written or removed row belonged to, or now belongs to, is recombined from its
rows (geo.importing.rows.combine); a place left without rows is removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from geo.importing.rows import chunks, combine, digest, place_key, site_from_json, site_json
from geo.models import Shelter, ShelterSource
from geo.readers import SiteRecord

PLACE_COLUMNS = [
    "source_id",
    "source_ids",
    "name",
    "kana",
    "address",
    "lat",
    "lng",
    "hazards",
    "capacity",
    "is_evacuation_site",
    "is_shelter",
    "municipality_code",
    "notes",
    "updated_at",
]
_SOURCE_COLUMNS = ["dataset", "municipality_code", "shelter_id", "digest", "record", "updated_at"]


@dataclass
class Changes:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def any(self) -> bool:
        return bool(self.inserted or self.updated or self.removed)


@dataclass(frozen=True, slots=True)
class _Stored:
    id: int
    shelter_id: int
    digest: str


async def write_sites(records: list[SiteRecord], dataset: str, *, keep_missing: bool) -> Changes:
    """Store one file's site records (the caller holds the transaction)."""
    texts = {record.source_id: site_json(record) for record in records}
    digests = {source_id: digest(text) for source_id, text in texts.items()}
    stored, in_scope = await _stored_sources(
        dataset, {record.municipality_code for record in records}, texts
    )
    changes = Changes()
    written: list[SiteRecord] = []
    for record in records:
        old = stored.get(record.source_id)
        if old is not None and old.digest == digests[record.source_id]:
            changes.unchanged += 1
            continue
        written.append(record)
        if old is None:
            changes.inserted += 1
        else:
            changes.updated += 1
    stale = [] if keep_missing else sorted(in_scope - texts.keys())
    changes.removed = len(stale)
    if not written and not stale:
        return changes
    keys = {record.source_id: place_key(record) for record in written}
    leaving = {record.source_id for record in written if record.source_id in stored} | set(stale)
    place_ids, emptied = await _recombine_places(
        written, keys, dataset, {stored[source_id].shelter_id for source_id in leaving}, set(stale)
    )
    await ShelterSource.bulk_create(
        [
            ShelterSource(
                source_id=record.source_id,
                dataset=dataset,
                municipality_code=record.municipality_code,
                shelter_id=place_ids[keys[record.source_id]],
                digest=digests[record.source_id],
                record=texts[record.source_id],
            )
            for record in written
        ],
        on_conflict=["source_id"],
        update_fields=_SOURCE_COLUMNS,
    )
    for batch in chunks(stored[source_id].id for source_id in stale):
        await ShelterSource.filter(id__in=batch).delete()
    for batch in chunks(emptied):  # their rows have moved or gone by now
        await Shelter.filter(id__in=batch).delete()
    return changes


async def _recombine_places(
    written: list[SiteRecord],
    keys: dict[str, str],
    dataset: str,
    old_place_ids: set[int],
    removed: set[str],
) -> tuple[dict[str, int], list[int]]:
    """Upserts every affected place: (place key -> id, ids of places left without rows)."""
    key_ids = await _ids_of_keys(set(keys.values()))
    id_keys = {place_id: key for key, place_id in key_ids.items()}
    for batch in chunks(old_place_ids - id_keys.keys()):
        for place_id, key in await Shelter.filter(id__in=batch).values_list("id", "place_key"):
            id_keys[place_id] = key
    members: dict[str, list[tuple[str, SiteRecord]]] = {key: [] for key in id_keys.values()}
    changing = {record.source_id for record in written} | removed
    async for source_dataset, record, place_id in _sources_of_places(id_keys):
        if record.source_id not in changing:
            members[id_keys[place_id]].append((source_dataset, record))
    for record in written:
        members.setdefault(keys[record.source_id], []).append((dataset, record))
    last_id = await Shelter.all().order_by("-id").first().values_list("id", flat=True) or 0
    await Shelter.bulk_create(
        [Shelter(place_key=key, **combine(group)) for key, group in members.items() if group],
        on_conflict=["place_key"],
        update_fields=PLACE_COLUMNS,
    )
    new_keys = {key for key, group in members.items() if group and key not in key_ids}
    ids = {**key_ids, **await _new_place_ids(last_id, new_keys)}
    emptied = [place_id for place_id, key in id_keys.items() if not members[key]]
    return ids, emptied


async def _stored_sources(
    dataset: str, municipalities: set[str], source_ids: Iterable[str]
) -> tuple[dict[str, _Stored], set[str]]:
    """Stored rows of these (municipality, dataset) scopes, and any other with these ids."""
    stored: dict[str, _Stored] = {}
    for batch in chunks(sorted(municipalities), 500):
        rows = await ShelterSource.filter(dataset=dataset, municipality_code__in=batch).values_list(
            "source_id", "id", "shelter_id", "digest"
        )
        for source_id, row_id, shelter_id, row_digest in rows:
            stored[source_id] = _Stored(row_id, shelter_id, row_digest)
    in_scope = set(stored)
    for batch in chunks(source_id for source_id in source_ids if source_id not in stored):
        rows = await ShelterSource.filter(source_id__in=batch).values_list(
            "source_id", "id", "shelter_id", "digest"
        )
        for source_id, row_id, shelter_id, row_digest in rows:
            stored[source_id] = _Stored(row_id, shelter_id, row_digest)
    return stored, in_scope


async def _ids_of_keys(keys: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for batch in chunks(sorted(keys)):
        found.update(await Shelter.filter(place_key__in=batch).values_list("place_key", "id"))
    return found


async def _new_place_ids(last_id: int, keys: set[str]) -> dict[str, int]:
    """Ids of the places just inserted: by primary key range, as a search by key in a table
    whose statistics predate the insert can be planned as a scan per batch."""
    found: dict[str, int] = {}
    while len(found) < len(keys):
        rows = (
            await Shelter.filter(id__gt=last_id)
            .order_by("id")
            .limit(20_000)
            .values_list("id", "place_key")
        )
        if not rows:
            break
        found.update((key, place_id) for place_id, key in rows if key in keys)
        last_id = rows[-1][0]
    return found


async def _sources_of_places(id_keys: dict[int, str]):
    for batch in chunks(sorted(id_keys)):
        rows = await ShelterSource.filter(shelter_id__in=batch).values_list(
            "dataset", "record", "shelter_id"
        )
        for source_dataset, text, place_id in rows:
            yield source_dataset, site_from_json(text), place_id
