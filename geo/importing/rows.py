"""Published rows as stored: a record's JSON and digest, the place it belongs to, and how the
rows of one place combine into the place's columns."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from geo.readers import AedRecord, SiteRecord

T = TypeVar("T")

_SITE_FIELDS = tuple(field.name for field in dataclasses.fields(SiteRecord))
AED_FIELDS = tuple(field.name for field in dataclasses.fields(AedRecord))


def site_json(record: SiteRecord) -> str:
    return json.dumps(
        {name: getattr(record, name) for name in _SITE_FIELDS},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def site_from_json(text: str) -> SiteRecord:
    return SiteRecord(**json.loads(text))


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def aed_digest(record: AedRecord) -> str:
    values = [getattr(record, name) for name in AED_FIELDS]
    return digest(json.dumps(values, ensure_ascii=False, separators=(",", ":")))


def place_key(record: SiteRecord) -> str:
    """Rows with the same name at the same position (to 1e-6 degree, about 10 cm) are one place."""
    return digest(f"{record.name}|{record.lat:.6f}|{record.lng:.6f}")


def combine(members: Sequence[tuple[str, SiteRecord]]) -> dict[str, Any]:
    """The place's columns from its rows, given as (dataset, record).

    Emergency-site rows come first, then by source id, so the result does not depend on
    the order of imports. Hazards, 'is a site', 'is a shelter' are unions; the capacity is the
    largest stated; text columns take the first non-empty value; notes keep each distinct text.
    """
    if not members:
        raise ValueError("a place has at least one row")
    records = [record for _, record in sorted(members, key=_member_order)]
    first = records[0]
    capacities = [r.capacity for r in records if r.capacity is not None]
    hazards = 0
    for record in records:
        hazards |= record.hazards
    return {
        "source_id": first.source_id,
        "source_ids": " ".join(r.source_id for r in records),
        "name": first.name,
        "kana": _first_text(r.kana for r in records),
        "address": _first_text(r.address for r in records),
        "lat": first.lat,
        "lng": first.lng,
        "hazards": hazards,
        "capacity": max(capacities) if capacities else None,
        "is_evacuation_site": any(r.is_evacuation_site for r in records),
        "is_shelter": any(r.is_shelter for r in records),
        "municipality_code": _first_text(r.municipality_code for r in records),
        "notes": "\n".join(dict.fromkeys(r.notes for r in records if r.notes)),
    }


def _member_order(member: tuple[str, SiteRecord]) -> tuple[bool, str]:
    dataset, record = member
    return dataset != "emergency", record.source_id


def _first_text(values: Iterable[str]) -> str:
    return next((value for value in values if value), "")


def chunks(values: Iterable[T], size: int = 1000) -> Iterator[list[T]]:
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
