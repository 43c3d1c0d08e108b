"""Which district a point is in: the one whose office is nearest (geodesic), within the city."""

from __future__ import annotations

from disaster.districts.models import District
from geo.geodesy import geodesic_distance_m


def contains(area: tuple[float, float, float, float], lat: float, lng: float) -> bool:
    min_lng, min_lat, max_lng, max_lat = area
    return min_lat <= lat <= max_lat and min_lng <= lng <= max_lng


async def district_at(
    lat: float | None, lng: float | None, service_area: tuple[float, float, float, float]
) -> District | None:
    """None without a position, outside the city, or when the city has no districts."""
    if lat is None or lng is None or not contains(service_area, lat, lng):
        return None
    districts = await District.all()
    if not districts:
        return None
    return min(districts, key=lambda d: (geodesic_distance_m(lat, lng, d.lat, d.lng), d.id))


def name_of(district: District, language: str) -> str:
    return district.name_en if language == "en" else district.name_ja
