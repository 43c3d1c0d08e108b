"""The disaster Tortoise app: each sub-package's models."""

from __future__ import annotations

from disaster.mode.models import CityModeChange

__all__ = ["CityModeChange"]
