"""The eight hazard kinds of the Japanese standard for designated emergency evacuation sites.

Each hazard has one bit, so the hazards a site is designated for fit in a small integer mask
(stored in the database, used by the nearest-neighbour index).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Hazard(enum.Enum):
    FLOOD = "flood"
    LANDSLIDE = "landslide"
    STORM_SURGE = "storm_surge"
    EARTHQUAKE = "earthquake"
    TSUNAMI = "tsunami"
    LARGE_FIRE = "large_fire"
    INLAND_FLOOD = "inland_flood"
    VOLCANO = "volcano"

    @property
    def bit(self) -> int:
        return _BITS[self]

    @property
    def label_ja(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]

    def label(self, language: str) -> str:
        return self.label_ja if language == "ja" else self.label_en


# Order of the standard (災害対策基本法施行令 / 推奨データセット column order); never reorder,
# the bits are stored.
_BITS = {hazard: 1 << position for position, hazard in enumerate(Hazard)}

_LABELS = {
    Hazard.FLOOD: ("洪水", "Flood"),
    Hazard.LANDSLIDE: ("崖崩れ、土石流及び地滑り", "Landslide, debris flow"),
    Hazard.STORM_SURGE: ("高潮", "Storm surge"),
    Hazard.EARTHQUAKE: ("地震", "Earthquake"),
    Hazard.TSUNAMI: ("津波", "Tsunami"),
    Hazard.LARGE_FIRE: ("大規模な火事", "Large-scale fire"),
    Hazard.INLAND_FLOOD: ("内水氾濫", "Inland flooding"),
    Hazard.VOLCANO: ("火山現象", "Volcanic phenomena"),
}

ALL_HAZARDS_MASK = sum(_BITS.values())


def mask_of(hazards: Iterable[Hazard]) -> int:
    mask = 0
    for hazard in hazards:
        mask |= hazard.bit
    return mask


def hazards_in(mask: int) -> list[Hazard]:
    """The hazards whose bit is set, in the standard's order."""
    if mask < 0 or mask & ~ALL_HAZARDS_MASK:
        raise ValueError(f"not a hazard mask: {mask!r}")
    return [hazard for hazard in Hazard if mask & hazard.bit]


def hazard_by_label_ja(label: str) -> Hazard | None:
    """The hazard named by the standard's Japanese label, e.g. '津波' -> TSUNAMI."""
    return _BY_LABEL_JA.get(label)


_BY_LABEL_JA = {labels[0]: hazard for hazard, labels in _LABELS.items()}
