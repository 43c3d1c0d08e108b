"""What one app process holds to answer nearest-site queries without the database: every place
and AED, in compact columns, with the nearest-neighbour index over them.

A snapshot is built from the database (in batches, so building costs little more memory than
the result) and never changes afterwards, except the open/closed flags staff set.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import uuid
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import numpy as np

from geo.availability import AedAvailability
from geo.columns import TextColumn
from geo.hazards import Hazard, hazards_in
from geo.index import NearestIndex
from geo.models import Aed, Shelter
from geo.place_status import GROUP_ORDER, PlaceStatus, place_status

_BATCH = 5_000
_NONE = -1  # in an integer column that may be null


@dataclass(frozen=True, slots=True)
class ShelterView:
    db_id: int
    public_id: str
    name: str
    kana: str
    address: str
    lat: float
    lng: float
    hazards: tuple[Hazard, ...]
    capacity: int | None
    is_evacuation_site: bool
    is_shelter: bool
    is_open: bool
    opened: bool
    full: bool
    source_id: str
    source_ids: tuple[str, ...]
    municipality_code: str
    notes: str


@dataclass(frozen=True, slots=True)
class AedView:
    db_id: int
    public_id: str
    name: str
    address: str
    lat: float
    lng: float
    placement: str
    available_days: str
    available_hours: str
    availability_notes: str
    availability: AedAvailability
    pediatric: bool | None
    phone: str
    source_id: str


@cache
def hazard_tuple(mask: int) -> tuple[Hazard, ...]:
    return tuple(hazards_in(mask))


class _Columns:
    """Rows read from the database in id order, one batch at a time."""

    def __init__(self, text_fields: Sequence[str], number_fields: dict[str, str]) -> None:
        """number_fields: name -> array type code ("" keeps Python values in a list)."""
        self.ids = array("q")
        self.public_ids = bytearray()  # 36 ASCII characters each
        self.texts = {name: TextColumn() for name in text_fields}
        self.numbers: dict[str, array | list] = {
            name: array(code) if code else [] for name, code in number_fields.items()
        }

    def add(self, fields: Sequence[str], rows: list[tuple]) -> None:
        position = {name: index for index, name in enumerate(fields)}
        self.ids.extend(row[0] for row in rows)
        public_id = position["public_id"]
        for row in rows:
            self.public_ids += str(_uuid(row[public_id])).encode("ascii")
        for name, column in self.texts.items():
            index = position[name]
            column.extend(row[index] or "" for row in rows)
        for name, values in self.numbers.items():
            index = position[name]
            if isinstance(values, array) and values.typecode == "q":  # None -> _NONE
                values.extend(_NONE if row[index] is None else row[index] for row in rows)
            else:
                values.extend(row[index] for row in rows)


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def _read(model, fields: Sequence[str], columns: _Columns) -> _Columns:
    """Rows in id order (fields[0] is "id"), a batch at a time."""
    last_id = 0
    while True:
        query = model.filter(id__gt=last_id).order_by("id").limit(_BATCH)
        rows = await query.values_list(*fields)
        if not rows:
            return columns
        columns.add(fields, rows)
        last_id = rows[-1][0]


class ShelterSnapshot:
    _TEXT = ("name", "kana", "address", "source_ids", "municipality_code", "notes")
    _NUMBERS: ClassVar[dict[str, str]] = {
        "lat": "d",
        "lng": "d",
        "hazards": "B",
        "capacity": "q",
        "is_evacuation_site": "B",
        "is_shelter": "B",
        "is_open": "B",
        "opened": "B",
        "full": "B",
    }

    def __init__(self, columns: _Columns) -> None:
        numbers = columns.numbers
        self.ids = columns.ids
        self.public_ids = bytes(columns.public_ids)
        self.texts = {name: column.freeze() for name, column in columns.texts.items()}
        # Per-place reads go to `array` columns (a Python value per read, no numpy scalar); the
        # index reads the coordinates through numpy views of the same memory.
        self.lats: array = numbers["lat"]
        self.lngs: array = numbers["lng"]
        self.hazards: array = numbers["hazards"]
        self.capacities: array = numbers["capacity"]
        self.is_evacuation_site: array = numbers["is_evacuation_site"]
        self.is_shelter: array = numbers["is_shelter"]
        self.is_open: array = numbers["is_open"]
        self.opened: array = numbers["opened"]
        self.full: array = numbers["full"]
        self._special: _SpecialPlaces | None = None
        positions = np.arange(len(self.ids), dtype=np.int64)
        # Index ids are positions, which follow database ids: ties go to the lower id.
        self.index = NearestIndex.build(
            positions,
            np.frombuffer(self.lats, dtype=np.float64) if self.lats else np.empty(0),
            np.frombuffer(self.lngs, dtype=np.float64) if self.lngs else np.empty(0),
            np.frombuffer(self.hazards, dtype=np.uint8) if self.hazards else np.empty(0, np.uint8),
        )

    @classmethod
    async def load(cls) -> ShelterSnapshot:
        fields = ("id", "public_id", *cls._TEXT, *cls._NUMBERS)
        columns = await _read(Shelter, fields, _Columns(cls._TEXT, cls._NUMBERS))
        return await asyncio.to_thread(cls, columns)  # building the trees: off the event loop

    @classmethod
    def empty(cls) -> ShelterSnapshot:
        return cls(_Columns(cls._TEXT, cls._NUMBERS))

    def __len__(self) -> int:
        return len(self.ids)

    def nearest(
        self, lat: float, lng: float, limit: int, hazard_mask: int, max_distance_m: float | None
    ) -> list[tuple[ShelterView, float]]:
        found = self.index.nearest(
            lat, lng, limit, hazard_mask=hazard_mask, max_distance_m=max_distance_m
        )
        return [(self.view(hit.id), hit.distance_m) for hit in found]

    def nearest_by_status(
        self, lat: float, lng: float, limit: int, hazard_mask: int, max_distance_m: float | None
    ) -> list[tuple[ShelterView, float]]:
        """Open places first, then those not opened, full ones, closed ones; nearest first in
        each group, `limit` in all."""
        special = self._special_places()
        found: list[tuple[int, float]] = []
        for status in GROUP_ORDER:
            wanted = limit - len(found)
            if wanted <= 0:
                break
            if status == PlaceStatus.NOT_OPENED:
                accept = None if not special.positions else special.excludes
                hits = self.index.nearest(
                    lat,
                    lng,
                    wanted,
                    hazard_mask=hazard_mask,
                    max_distance_m=max_distance_m,
                    accept=accept,
                )
            else:
                hits = special.nearest(lat, lng, wanted, hazard_mask, max_distance_m, status)
            found.extend((hit.id, hit.distance_m) for hit in hits)
        return [(self.view(position), distance) for position, distance in found]

    def status(self, position: int) -> PlaceStatus:
        return place_status(
            self.is_open[position] == 1, self.opened[position] == 1, self.full[position] == 1
        )

    def _special_places(self) -> _SpecialPlaces:
        """The places whose status is not NOT_OPENED (few: those staff opened or closed)."""
        special = self._special
        if special is None:
            special = self._special = _SpecialPlaces.of(self)
        return special

    def view(self, position: int) -> ShelterView:
        texts = self.texts
        capacity = self.capacities[position]
        source_ids = tuple(texts["source_ids"][position].split())
        return ShelterView(
            db_id=self.ids[position],
            public_id=self.public_ids[position * 36 : position * 36 + 36].decode("ascii"),
            name=texts["name"][position],
            kana=texts["kana"][position],
            address=texts["address"][position],
            lat=self.lats[position],
            lng=self.lngs[position],
            hazards=hazard_tuple(self.hazards[position]),
            capacity=None if capacity == _NONE else capacity,
            is_evacuation_site=self.is_evacuation_site[position] == 1,
            is_shelter=self.is_shelter[position] == 1,
            is_open=self.is_open[position] == 1,
            opened=self.opened[position] == 1,
            full=self.full[position] == 1,
            source_id=source_ids[0] if source_ids else "",
            source_ids=source_ids,
            municipality_code=texts["municipality_code"][position],
            notes=texts["notes"][position],
        )

    def position_of(self, db_id: int) -> int | None:
        position = bisect.bisect_left(self.ids, db_id)
        return position if position < len(self.ids) and self.ids[position] == db_id else None

    def set_open(self, db_id: int, is_open: bool, opened: bool, full: bool) -> None:
        position = self.position_of(db_id)
        if position is not None:
            self.is_open[position] = is_open
            self.opened[position] = opened
            self.full[position] = full
            self._special = None

    def set_flags(self, changed: Sequence[tuple[int, bool, bool, bool]]) -> None:
        """Every place open, not opened for evacuees and not full, except these
        (id, is_open, opened, full)."""
        is_open = array("B", b"\x01" * len(self.ids))
        opened = array("B", bytes(len(self.ids)))
        full = array("B", bytes(len(self.ids)))
        for db_id, place_open, place_opened, place_full in changed:
            position = self.position_of(db_id)
            if position is not None:
                is_open[position], opened[position] = place_open, place_opened
                full[position] = place_full
        self.is_open, self.opened, self.full = is_open, opened, full
        self._special = None

    @property
    def nbytes(self) -> int:
        numbers = (self.ids, self.lats, self.lngs, self.capacities, self.hazards, self.is_open)
        total = sum(column.itemsize * len(column) for column in numbers)
        total += len(self.is_evacuation_site) + len(self.is_shelter) + len(self.opened)
        total += len(self.full)
        total += len(self.public_ids)
        total += sum(column.nbytes for column in self.texts.values())
        return total + self.index.nbytes


class _SpecialPlaces:
    """A small index over the places staff opened or closed, rebuilt when a flag changes."""

    def __init__(self, snapshot: ShelterSnapshot, positions: list[int]) -> None:
        self.snapshot = snapshot
        self.positions = frozenset(positions)
        self.index = NearestIndex.build(
            positions,
            [snapshot.lats[p] for p in positions],
            [snapshot.lngs[p] for p in positions],
            [snapshot.hazards[p] for p in positions],
        )

    @classmethod
    def of(cls, snapshot: ShelterSnapshot) -> _SpecialPlaces:
        is_open, opened = snapshot.is_open, snapshot.opened
        positions = [p for p in range(len(snapshot)) if not is_open[p] or opened[p]]
        return cls(snapshot, positions)

    def excludes(self, position: int) -> bool:
        return position not in self.positions

    def nearest(
        self,
        lat: float,
        lng: float,
        limit: int,
        hazard_mask: int,
        max_distance_m: float | None,
        status: PlaceStatus,
    ) -> list:
        if not self.positions:
            return []
        status_of = self.snapshot.status
        return self.index.nearest(
            lat,
            lng,
            limit,
            hazard_mask=hazard_mask,
            max_distance_m=max_distance_m,
            accept=lambda position: status_of(position) == status,
        )


class AedSnapshot:
    _TEXT = (
        "name",
        "address",
        "placement",
        "available_days",
        "available_hours",
        "availability_notes",
        "phone",
        "source_id",
    )
    _NUMBERS: ClassVar[dict[str, str]] = {"lat": "d", "lng": "d", "pediatric": ""}

    def __init__(self, columns: _Columns) -> None:
        self.ids = columns.ids
        self.public_ids = bytes(columns.public_ids)
        self.texts = {name: column.freeze() for name, column in columns.texts.items()}
        self.lats: array = columns.numbers["lat"]
        self.lngs: array = columns.numbers["lng"]
        self.pediatric: list = columns.numbers["pediatric"]
        self._availability: dict[int, AedAvailability] = {}
        positions = np.arange(len(self.ids), dtype=np.int64)
        self.index = NearestIndex.build(
            positions,
            np.frombuffer(self.lats, dtype=np.float64) if self.lats else np.empty(0),
            np.frombuffer(self.lngs, dtype=np.float64) if self.lngs else np.empty(0),
        )

    @classmethod
    async def load(cls) -> AedSnapshot:
        fields = ("id", "public_id", *cls._TEXT, *cls._NUMBERS)
        columns = await _read(Aed, fields, _Columns(cls._TEXT, cls._NUMBERS))
        return await asyncio.to_thread(cls, columns)

    @classmethod
    def empty(cls) -> AedSnapshot:
        return cls(_Columns(cls._TEXT, cls._NUMBERS))

    def __len__(self) -> int:
        return len(self.ids)

    def nearest(
        self, lat: float, lng: float, limit: int, available_at: dt.datetime | None
    ) -> list[tuple[AedView, float]]:
        accept = None
        if available_at is not None:

            def accept(position: int) -> bool:
                return self.availability(position).usability_at(available_at).usable

        found = self.index.nearest(lat, lng, limit, accept=accept)
        return [(self.view(hit.id), hit.distance_m) for hit in found]

    def availability(self, position: int) -> AedAvailability:
        parsed = self._availability.get(position)
        if parsed is None:
            texts = self.texts
            parsed = AedAvailability.parse(
                texts["available_days"][position],
                texts["available_hours"][position],
                texts["availability_notes"][position],
            )
            self._availability[position] = parsed
        return parsed

    def view(self, position: int) -> AedView:
        texts = self.texts
        return AedView(
            db_id=self.ids[position],
            public_id=self.public_ids[position * 36 : position * 36 + 36].decode("ascii"),
            name=texts["name"][position],
            address=texts["address"][position],
            lat=self.lats[position],
            lng=self.lngs[position],
            placement=texts["placement"][position],
            available_days=texts["available_days"][position],
            available_hours=texts["available_hours"][position],
            availability_notes=texts["availability_notes"][position],
            availability=self.availability(position),
            pediatric=self.pediatric[position],
            phone=texts["phone"][position],
            source_id=texts["source_id"][position],
        )
