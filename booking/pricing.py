"""Usage fees (使用料) in integer yen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from booking.errors import BookingError, BookingErrorCode

ONE_SECOND = timedelta(seconds=1)
SECONDS_PER_HOUR = 3600


class PriceUnit(StrEnum):
    PER_SLOT = "PER_SLOT"
    PER_HOUR = "PER_HOUR"


@dataclass(frozen=True, slots=True)
class Pricing:
    """Rates for residents (市民) and everyone else (市外), per slot or per hour."""

    unit: PriceUnit
    resident_yen: int
    non_resident_yen: int

    def __post_init__(self) -> None:
        for rate in (self.resident_yen, self.non_resident_yen):
            if not isinstance(rate, int) or isinstance(rate, bool) or rate < 0:
                raise ValueError(f"rates are non-negative whole yen, got {rate!r}")

    @classmethod
    def free(cls) -> Pricing:
        return cls(PriceUnit.PER_SLOT, 0, 0)

    @property
    def is_free(self) -> bool:
        return self.resident_yen == 0 and self.non_resident_yen == 0


def price_for(pricing: Pricing, start: datetime, end: datetime, is_resident: bool) -> int:
    """The fee for [start, end): the slot rate, or the hourly rate pro rata by the second,
    rounded down to whole yen."""
    if end <= start:
        raise BookingError(BookingErrorCode.INVALID_RANGE)
    rate = pricing.resident_yen if is_resident else pricing.non_resident_yen
    if pricing.unit is PriceUnit.PER_SLOT:
        return rate
    seconds = (end - start) // ONE_SECOND
    return rate * seconds // SECONDS_PER_HOUR
