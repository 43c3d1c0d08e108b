"""GraphQL types of disaster mode and the app's home screen."""

from __future__ import annotations

import datetime as dt

import strawberry

import geo.schema  # noqa: F401 - registers the Hazard enum
from disaster.mode.models import CityMode
from disaster.mode.situation import CityState
from disaster.safety.types import SafetyCheck
from geo.hazards import Hazard
from geo.schema import AedHit, ShelterHit
from notifications.alerts.types import AlertType

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


@strawberry.type(description="What the app opens with at a place: the emergency first.")
class Home:
    alerts: list[AlertType] = strawberry.field(
        description="The real alerts in force here, gravest first, then newest."
    )
    disaster_mode: bool = strawberry.field(
        description="A real Severe or Extreme alert covers the place, or the city is in "
        "disaster mode."
    )
    mode: CityMode
    mode_label: str
    hazard: Hazard | None = strawberry.field(description="What to evacuate from, if known.")
    shelters: list[ShelterHit] = strawberry.field(
        description="Nearest places for the hazard; in disaster mode open ones first."
    )
    aeds: list[AedHit] = strawberry.field(description="Nearest AEDs usable now.")
    geo_attribution: str
    safety_check: SafetyCheck | None = strawberry.field(
        description="Signed in, in disaster mode from an alert: its safety check (answer it "
        "with reportSafety)."
    )
