"""Places the fake Nominatim knows, rendered as Nominatim's JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright"
_NOT_IN_DISPLAY_NAME = ("country_code", "ISO3166-2-lvl4", "ISO3166-2-lvl3")
# Rough land box of Japan; reverse lookups outside it find nothing, as at sea.
JAPAN_BOUNDS = (20.0, 46.0, 122.0, 154.0)


@dataclass
class Place:
    """One OSM object: where it is, its address in Japanese (and English)."""

    latitude: float
    longitude: float
    address: dict[str, str]
    address_en: dict[str, str] | None = None
    name: str = ""
    name_en: str = ""
    category: str = "building"
    kind: str = "yes"
    importance: float = 0.1
    place_id: int = 0

    def address_in(self, language: str) -> dict[str, str]:
        if language.startswith("en") and self.address_en:
            return self.address_en
        return self.address

    def name_in(self, language: str) -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name

    def display_name(self, language: str) -> str:
        parts = [v for k, v in self.address_in(language).items() if k not in _NOT_IN_DISPLAY_NAME]
        name = self.name_in(language)
        if name and name not in parts:
            parts.insert(0, name)
        return ", ".join(parts)

    def as_json(
        self, *, language: str, address_details: bool, version2: bool = False
    ) -> dict[str, Any]:
        result: dict[str, Any] = {
            "place_id": self.place_id,
            "licence": LICENCE,
            "osm_type": "way",
            "osm_id": self.place_id * 3,
            "lat": f"{self.latitude:.7f}",
            "lon": f"{self.longitude:.7f}",
            "category" if version2 else "class": self.category,
            "type": self.kind,
            "place_rank": 30,
            "importance": self.importance,
            "addresstype": self.kind if self.category != "building" else "building",
            "name": self.name_in(language),
            "display_name": self.display_name(language),
        }
        if address_details:
            result["address"] = dict(self.address_in(language))
        result["boundingbox"] = [
            f"{self.latitude - 0.0002:.7f}",
            f"{self.latitude + 0.0002:.7f}",
            f"{self.longitude - 0.0002:.7f}",
            f"{self.longitude + 0.0002:.7f}",
        ]
        return result

    def matches(self, query: str) -> bool:
        haystacks = [self.display_name("ja"), self.display_name("en")]
        words = query.replace(",", " ").replace("、", " ").lower().split()
        return bool(words) and any(all(w in h.lower() for w in words) for h in haystacks)


def in_japan(latitude: float, longitude: float) -> bool:
    south, north, west, east = JAPAN_BOUNDS
    return south <= latitude <= north and west <= longitude <= east


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance; exact enough to pick the nearest known place."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def generated_place(latitude: float, longitude: float) -> Place:
    """A plausible address in the fictional city of Madoguchi, stable per ~100 m cell."""
    cell = int(abs(latitude) * 1000) * 7 + int(abs(longitude) * 1000) * 13
    chome = cell % 5 + 1
    banchi = cell % 30 + 1
    postcode = f"100-{cell % 10000:04d}"
    return Place(
        place_id=200_000_000 + cell,
        latitude=latitude,
        longitude=longitude,
        address={
            "house_number": str(banchi),
            "neighbourhood": f"本町{chome}丁目",
            "city": "窓口市",
            "province": "窓口県",
            "postcode": postcode,
            "country": "日本",
            "country_code": "jp",
        },
        address_en={
            "house_number": str(banchi),
            "neighbourhood": f"Honcho {chome}-chome",
            "city": "Madoguchi",
            "province": "Madoguchi Prefecture",
            "postcode": postcode,
            "country": "Japan",
            "country_code": "jp",
        },
    )
