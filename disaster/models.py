"""The disaster Tortoise app: each sub-package's models."""

from __future__ import annotations

from disaster.districts.models import District
from disaster.mode.models import CityModeChange
from disaster.safety.models import HouseholdMember, SafetyAnswer, SafetyViewer
from disaster.support.models import SupportCheck, Supporter, SupportNeededPerson, SupportNotice

__all__ = [
    "CityModeChange",
    "District",
    "HouseholdMember",
    "SafetyAnswer",
    "SafetyViewer",
    "SupportCheck",
    "SupportNeededPerson",
    "SupportNotice",
    "Supporter",
]
