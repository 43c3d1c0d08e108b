"""Which geo hazard an alert is about, from its CAP category and event words."""

from __future__ import annotations

from geo.hazards import Hazard
from notifications.alerts.models import Category

# Checked in order: the first word found in the event decides.
_WORDS: list[tuple[tuple[str, ...], Hazard]] = [
    (("tsunami", "津波"), Hazard.TSUNAMI),
    (("earthquake", "地震", "震度"), Hazard.EARTHQUAKE),
    (("volcan", "噴火", "火山"), Hazard.VOLCANO),
    (("storm surge", "hurricane", "typhoon", "高潮"), Hazard.STORM_SURGE),
    (("landslide", "mudslide", "debris", "土砂", "がけ崩れ"), Hazard.LANDSLIDE),
    (("inland flood", "浸水", "内水"), Hazard.INLAND_FLOOD),
    (("flood", "洪水", "氾濫", "大雨", "reservoir", "水庫"), Hazard.FLOOD),
    (("fire", "火災", "火事"), Hazard.LARGE_FIRE),
]


def guess_hazard(category: Category, event: str) -> str | None:
    """The hazard's stored value (geo.hazards.Hazard.value), or None when it is none of them."""
    words = event.lower()
    for keys, hazard in _WORDS:
        if any(key in words for key in keys):
            return hazard.value
    if category == Category.FIRE:
        return Hazard.LARGE_FIRE.value
    return None
