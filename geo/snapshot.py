"""What one app process holds to answer nearest-site queries without the database: every place
and AED, in compact columns, with the nearest-neighbour index over them.

A snapshot is built from the database (in batches, so building costs little more memory than
the result) and never changes afterwards, except the open/closed flags staff set.
"""

from __future__ import annotations

import datetime as dt
import uuid
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from geo.availability import AedAvailability
from geo.columns import TextColumn
from geo.hazards import Hazard, hazards_in
from geo.index import NearestIndex
from geo.models import Aed, Shelter

_BATCH = 20_000
_NO_CAPACITY = -1


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

    def __init__(self, text_fields: Sequence[str], number_fields: Sequence[str]) -> None:
        self.ids = array("q")
        self.public_ids = bytearray()  # 16 bytes each
        self.texts = {name: TextColumn() for name in text_fields}
        self.numbers: dict[str, list] = {name: [] for name in number_fields}

    def add(self, rows: list[dict]) -> None:
        self.ids.extend(row["id"] for row in rows)
        for row in rows:
            self.public_ids += _uuid(row["public_id"]).bytes
        for name, column in self.texts.items():
            column.extend(row[name] or "" for row in rows)
        for name, values in self.numbers.items():
            values.extend(row[name] for row in rows)


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def _read(model, fields: Sequence[str], columns: _Columns) -> _Columns:
    last_id = 0
    while True:
        rows = await model.filter(id__gt=last_id).order_by("id").limit(_BATCH).values(*fields)
        if not rows:
            return columns
        columns.add(rows)
        last_id = rows[-1]["id"]


class ShelterSnapshot:
    _TEXT = ("name", "kana", "address", "source_ids", "municipality_code", "notes")
    _NUMBERS = ("lat", "lng", "hazards", "capacity", "is_evacuation_site", "is_shelter", "is_open")

    def __init__(self, columns: _Columns) -> None:
        numbers = columns.numbers
        self.ids = columns.ids
        self.public_ids = bytes(columns.public_ids)
        self.texts = {name: column.freeze() for name, column in columns.texts.items()}
        self.lats = np.asarray(numbers["lat"], dtype=np.float64)
        self.lngs = np.asarray(numbers["lng"], dtype=np.float64)
        self.hazards = np.asarray(numbers["hazards"], dtype=np.uint8)
        self.capacities = np.asarray(
            [_NO_CAPACITY if c is None else c for c in numbers["capacity"]], dtype=np.int64
        )
        self.is_evacuation_site = np.asarray(numbers["is_evacuation_site"], dtype=bool)
        self.is_shelter = np.asarray(numbers["is_shelter"], dtype=bool)
        self.is_open = np.asarray(numbers["is_open"], dtype=bool)
        positions = np.arange(len(self.ids), dtype=np.int64)
        # Index ids are positions, which follow database ids: ties go to the lower id.
        self.index = NearestIndex.build(positions, self.lats, self.lngs, self.hazards)

    @classmethod
    async def load(cls) -> ShelterSnapshot:
        fields = ("id", "public_id", *cls._TEXT, *cls._NUMBERS)
        return cls(await _read(Shelter, fields, _Columns(cls._TEXT, cls._NUMBERS)))

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

    def view(self, position: int) -> ShelterView:
        texts = self.texts
        capacity = int(self.capacities[position])
        return ShelterView(
            db_id=self.ids[position],
            public_id=str(uuid.UUID(bytes=self.public_ids[position * 16 : position * 16 + 16])),
            name=texts["name"][position],
            kana=texts["kana"][position],
            address=texts["address"][position],
            lat=float(self.lats[position]),
            lng=float(self.lngs[position]),
            hazards=hazard_tuple(int(self.hazards[position])),
            capacity=None if capacity == _NO_CAPACITY else capacity,
            is_evacuation_site=bool(self.is_evacuation_site[position]),
            is_shelter=bool(self.is_shelter[position]),
            is_open=bool(self.is_open[position]),
            source_id=texts["source_ids"][position].split(" ", 1)[0],
            source_ids=tuple(texts["source_ids"][position].split()),
            municipality_code=texts["municipality_code"][position],
            notes=texts["notes"][position],
        )

    def position_of(self, db_id: int) -> int | None:
        ids = np.frombuffer(self.ids, dtype=np.int64) if len(self.ids) else np.empty(0, np.int64)
        position = int(np.searchsorted(ids, db_id))
        return position if position < len(ids) and ids[position] == db_id else None

    def set_open(self, db_id: int, is_open: bool) -> None:
        position = self.position_of(db_id)
        if position is not None:
            self.is_open[position] = is_open

    def set_closed(self, closed_ids: Sequence[int]) -> None:
        """Every place open except these (database ids)."""
        flags = np.ones(len(self.ids), dtype=bool)
        ids = np.frombuffer(self.ids, dtype=np.int64) if len(self.ids) else np.empty(0, np.int64)
        closed = np.asarray(closed_ids, dtype=np.int64)
        flags[np.isin(ids, closed)] = False
        self.is_open = flags

    @property
    def nbytes(self) -> int:
        arrays = (self.lats, self.lngs, self.hazards, self.capacities, self.is_evacuation_site)
        total = sum(a.nbytes for a in arrays) + self.is_shelter.nbytes + self.is_open.nbytes
        total += len(self.public_ids) + self.ids.itemsize * len(self.ids)
        total += sum(column.nbytes for column in self.texts.values())
        return total + self.index.nbytes


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
    _NUMBERS = ("lat", "lng", "pediatric")

    def __init__(self, columns: _Columns) -> None:
        self.ids = columns.ids
        self.public_ids = bytes(columns.public_ids)
        self.texts = {name: column.freeze() for name, column in columns.texts.items()}
        self.lats = np.asarray(columns.numbers["lat"], dtype=np.float64)
        self.lngs = np.asarray(columns.numbers["lng"], dtype=np.float64)
        self.pediatric = list(columns.numbers["pediatric"])
        self._availability: dict[int, AedAvailability] = {}
        positions = np.arange(len(self.ids), dtype=np.int64)
        self.index = NearestIndex.build(positions, self.lats, self.lngs)

    @classmethod
    async def load(cls) -> AedSnapshot:
        fields = ("id", "public_id", *cls._TEXT, *cls._NUMBERS)
        return cls(await _read(Aed, fields, _Columns(cls._TEXT, cls._NUMBERS)))

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
            public_id=str(uuid.UUID(bytes=self.public_ids[position * 16 : position * 16 + 16])),
            name=texts["name"][position],
            address=texts["address"][position],
            lat=float(self.lats[position]),
            lng=float(self.lngs[position]),
            placement=texts["placement"][position],
            available_days=texts["available_days"][position],
            available_hours=texts["available_hours"][position],
            availability_notes=texts["availability_notes"][position],
            availability=self.availability(position),
            pediatric=self.pediatric[position],
            phone=texts["phone"][position],
            source_id=texts["source_id"][position],
        )
