"""Whether to go to a place now: what a nearest-site answer says about each hit.

Staff set a place's state (geo.service.ShelterStatus: opened for evacuees, not opened,
closed); its headcount reaching its capacity (geo.operation) makes an opened place FULL.
In disaster mode the answer lists places by status in `GROUP_ORDER`, nearest first in each.
"""

from __future__ import annotations

from enum import StrEnum


class PlaceStatus(StrEnum):
    OPEN = "OPEN"
    NOT_OPENED = "NOT_OPENED"
    FULL = "FULL"
    CLOSED = "CLOSED"


GROUP_ORDER = (PlaceStatus.OPEN, PlaceStatus.NOT_OPENED, PlaceStatus.FULL, PlaceStatus.CLOSED)


def place_status(is_open: bool, opened: bool, full: bool) -> PlaceStatus:
    if not is_open:
        return PlaceStatus.CLOSED
    if not opened:
        return PlaceStatus.NOT_OPENED
    return PlaceStatus.FULL if full else PlaceStatus.OPEN
