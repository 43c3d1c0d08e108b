"""A person's details as the register keeps them: the legal minimum (災害対策基本法 第49条の10:
name, date of birth, sex, address, contact, why help is needed), the position of the address,
and notes for those who help. Checked on the way in, sealed at rest."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import asdict, dataclass
from enum import StrEnum

from core import clock
from core.errors import invalid
from core.sealing import Sealer
from notifications.alerts.validation import check_text

MAX_NAME = 100
MAX_ADDRESS = 200
MAX_REASON = 500
_PHONE = re.compile(r"[0-9+\-() ]{3,30}")
EARLIEST_BIRTH = dt.date(1900, 1, 1)


class Sex(StrEnum):
    FEMALE = "FEMALE"
    MALE = "MALE"
    OTHER = "OTHER"


@dataclass(frozen=True)
class PersonDetails:
    name: str
    kana: str
    birth_date: dt.date
    sex: Sex
    address: str
    lat: float
    lng: float
    phone: str
    reason: str
    notes: str = ""

    def checked(self, service_area: tuple[float, float, float, float]) -> PersonDetails:
        """Trimmed, or VALIDATION naming the input's field."""
        value = PersonDetails(
            name=self.name.strip(),
            kana=self.kana.strip(),
            birth_date=self.birth_date,
            sex=Sex(self.sex),
            address=self.address.strip(),
            lat=self.lat,
            lng=self.lng,
            phone=self.phone.strip(),
            reason=self.reason.strip(),
            notes=self.notes.strip(),
        )
        for name, limit, needed in (
            ("name", MAX_NAME, True),
            ("kana", MAX_NAME, False),
            ("address", MAX_ADDRESS, True),
            ("reason", MAX_REASON, True),
        ):
            text = getattr(value, name)
            check_text(text, name, limit)
            if needed and not text:
                raise invalid("disaster.support.required", field=name)
        check_text(value.notes, "notes", MAX_REASON, multiline=True)
        if not _PHONE.fullmatch(value.phone):
            raise invalid("disaster.support.bad_phone", field="phone")
        if not EARLIEST_BIRTH <= value.birth_date <= clock.local(clock.now()).date():
            raise invalid("disaster.support.bad_birth_date", field="birthDate")
        _check_in_city(value.lat, value.lng, service_area)
        return value

    def sealed(self, sealer: Sealer) -> str:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat()
        return sealer.seal(data)

    @classmethod
    def opened(cls, sealer: Sealer, token: str) -> PersonDetails:
        data = sealer.open(token)
        data["birth_date"] = dt.date.fromisoformat(data["birth_date"])
        data["sex"] = Sex(data["sex"])
        return cls(**data)


def _check_in_city(lat: float, lng: float, area: tuple[float, float, float, float]) -> None:
    min_lng, min_lat, max_lng, max_lat = area
    if not (math.isfinite(lat) and min_lat <= lat <= max_lat):
        raise invalid("disaster.support.outside_city", field="lat")
    if not (math.isfinite(lng) and min_lng <= lng <= max_lng):
        raise invalid("disaster.support.outside_city", field="lng")
