"""The status board as open data and as a page: GeoJSON features and page rows, in the
caller's language. Shared by the GeoJSON route and the HTML page."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from core.clock import local
from core.i18n import t
from geo.operation.service import BoardEntry
from geo.place_status import PlaceStatus
from geo.service import attribution, map_url
from geo.snapshot import hazard_tuple

CONTENT_TYPE = "application/geo+json"


def _labels(entry: BoardEntry, language: str) -> dict[str, Any]:
    return {
        "statusLabel": t(f"geo.status.{entry.status.value}", language),
        "crowdingLabel": t(f"geo.crowding.{entry.crowding.value}", language),
        "offerLabels": [t(f"geo.offer.{offer.value}", language) for offer in entry.offers],
    }


def feature(entry: BoardEntry, language: str) -> dict[str, Any]:
    shelter = entry.shelter
    updated = local(entry.updated_at).isoformat() if entry.updated_at else None
    return {
        "type": "Feature",
        "id": str(shelter.public_id),
        "geometry": {"type": "Point", "coordinates": [shelter.lng, shelter.lat]},
        "properties": {
            "name": shelter.name,
            "address": shelter.address,
            "status": entry.status.value,
            "capacity": entry.capacity,
            "headcount": entry.headcount,
            "crowding": entry.crowding.value,
            "offers": [offer.value for offer in entry.offers],
            "hazards": [hazard.name for hazard in hazard_tuple(shelter.hazards)],
            "isShelter": shelter.is_shelter,
            "isEvacuationSite": shelter.is_evacuation_site,
            "updatedAt": updated,
            **_labels(entry, language),
        },
    }


def geojson(entries: list[BoardEntry], language: str) -> bytes:
    collection = {
        "type": "FeatureCollection",
        "attribution": attribution(language),
        "features": [feature(entry, language) for entry in entries],
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """RFC 9110 weak comparison: any listed tag (W/ or not) equal to ours, or `*`."""
    if not if_none_match:
        return False
    listed = [part.strip() for part in if_none_match.split(",")]
    return "*" in listed or any(part.removeprefix("W/") == tag for part in listed)


def last_update(entries: list[BoardEntry]) -> str:
    times = [entry.updated_at for entry in entries if entry.updated_at]
    return local(max(times)).strftime("%Y/%m/%d %H:%M") if times else ""


def row(entry: BoardEntry, language: str) -> dict[str, Any]:
    """What the page shows of one place."""
    shelter = entry.shelter
    return {
        "name": shelter.name,
        "address": shelter.address,
        "status": entry.status.value,
        "opened": entry.status in (PlaceStatus.OPEN, PlaceStatus.FULL),
        "capacity": entry.capacity,
        "headcount": entry.headcount,
        "crowding": entry.crowding.value,
        "updated": local(entry.updated_at).strftime("%m/%d %H:%M") if entry.updated_at else "",
        "map_url": map_url(shelter.lat, shelter.lng),
        **_labels(entry, language),
    }
