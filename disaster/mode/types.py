"""GraphQL types of disaster mode and the app's home screen."""

from __future__ import annotations

import datetime as dt

import strawberry

import geo.schema  # noqa: F401 - registers the Hazard enum
from disaster.mode.models import CityMode
from disaster.mode.situation import CityState
from geo.hazards import Hazard

strawberry.enum(
    CityMode,
    name="CityMode",
    description="NORMAL; DISASTER: the app and bot lead with the emergency; RECOVERY: the "
    "emergency is over, support for those affected continues.",
)


@strawberry.type(name="CityModeState", description="The city's mode as crisis staff set it.")
class CityModeType:
    mode: CityMode
    hazard: Hazard | None
    note: str
    since: dt.datetime | None

    @classmethod
    def of(cls, state: CityState) -> CityModeType:
        return cls(
            mode=state.mode.value,
            hazard=state.hazard.value if state.hazard else None,
            note=state.note,
            since=state.at,
        )
