"""A small schema for the executor's tests: plain objects, resolvers with and without
arguments, sync and async, an interface, a union, and resolvers that go wrong."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, cast

import strawberry
from strawberry.permission import BasePermission

from core.records import RECORD_READERS, Column, RecordList, Shared, Text


@strawberry.enum
class Hazard(enum.Enum):
    FLOOD = "flood"
    TSUNAMI = "tsunami"


@strawberry.interface
class Node:
    id: strawberry.ID


@strawberry.type
class Place:
    id: strawberry.ID
    name: str
    capacity: int | None
    hazards: list[Hazard]
    opened_at: datetime
    score: float

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def initials(self, count: int = 1) -> str:
        return self.name[:count]


@strawberry.type
class Office(Node):
    name: str


@strawberry.type
class Hit:
    distance_meters: float
    place: Place
    tags: list[str | None]


Thing = Annotated[Place | Office, strawberry.union("Thing")]


def hits() -> list[Hit]:
    opened = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    return [
        Hit(
            distance_meters=12.5,
            place=Place(
                id=strawberry.ID("1"),
                name="体育館",
                capacity=None,
                hazards=[Hazard.FLOOD, Hazard.TSUNAMI],
                opened_at=opened,
                score=1,
            ),
            tags=["a", None],
        ),
        Hit(
            distance_meters=99.0,
            place=Place(
                id=strawberry.ID("2"),
                name="School",
                capacity=300,
                hazards=[],
                opened_at=opened,
                score=2.5,
            ),
            tags=[],
        ),
    ]


@strawberry.type
class Quirks:
    """Values graphql-core's scalars coerce, or refuse, rather than pass as they are."""

    small: int | None
    big: int | None
    ratio: float | None
    flag: bool | None
    label: str | None
    ident: strawberry.ID | None
    at: datetime | None
    hazard: Hazard | None


QUIRKS = [
    Quirks(
        small=7, big=2**40, ratio=float("inf"), flag=1, label=5, ident=7, at=None, hazard="flood"
    ),  # type: ignore[arg-type]
    Quirks(
        small=True,
        big=-(2**31),
        ratio=3,
        flag=0.0,
        label=True,
        ident="x",
        at="noon",
        hazard=Hazard.TSUNAMI,
    ),  # type: ignore[arg-type]
    Quirks(
        small=2**31,
        big=None,
        ratio=float("nan"),
        flag="yes",
        label=2.5,
        ident=1.5,
        at=datetime(2026, 1, 2, tzinfo=UTC),
        hazard="nope",
    ),  # type: ignore[arg-type]
]


class Never(BasePermission):
    message = "never"

    def has_permission(self, source, info, **kwargs) -> bool:
        return False


class NotAPlace:
    id = "x"
    name = "impostor"


@strawberry.input
class BoxInput:
    west: float
    south: float
    label: str | None
    hazard: Hazard = Hazard.FLOOD
    note: str | None = strawberry.UNSET


@strawberry.input
class CheckedBox:
    west: float

    def __post_init__(self) -> None:
        if self.west > 180:
            raise ValueError("west of the world")


@strawberry.type
class Spot:
    """Answered from `SpotRecord`s (core/records.py) where the selection allows."""

    id: strawberry.ID
    name: str
    km: float
    hazard: Hazard
    region: str

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


@dataclass
class SpotRecord:
    key: Any
    name: str
    meters: float | None
    hazard: str
    region_id: int


@dataclass
class SpotsShared:
    regions: dict[int, str]


class SpotView(Spot):
    def __init__(self, record: SpotRecord, shared: SpotsShared) -> None:
        self.id = strawberry.ID(str(record.key))
        self.name = record.name
        self.km = _km(record, shared)
        self.hazard = Hazard(record.hazard)
        self.region = shared.regions[record.region_id]


def _km(record: SpotRecord, _shared: SpotsShared) -> Any:
    return None if record.meters is None else record.meters / 1000


RECORD_READERS[Spot] = {
    "id": Text("key"),
    "name": Column("name"),
    "km": _km,
    "hazard": Column("hazard"),
    "region": Shared("regions", "region_id"),
}


def spots(*records: SpotRecord) -> list[Spot]:
    shared = SpotsShared({1: "安達", 2: "岩代"})
    found = RecordList(Spot, records, shared, lambda: [SpotView(r, shared) for r in records])
    return cast("list[Spot]", found)


@strawberry.type
class Query:
    @strawberry.field
    def hits(self) -> list[Hit]:
        return hits()

    @strawberry.field
    def spots(self) -> list[Spot]:
        return spots(
            SpotRecord(uuid.UUID(int=7), "体育館", 1250.0, "flood", 1),
            SpotRecord("school-2", "School", 40.0, "tsunami", 2),
        )

    @strawberry.field
    def spots_going_wrong(self) -> list[Spot]:
        return spots(
            SpotRecord(1, "Hall", 5.0, "flood", 1), SpotRecord(2, "Park", None, "flood", 2)
        )

    @strawberry.field
    async def async_hits(self) -> list[Hit]:
        return hits()

    @strawberry.field
    def generated_hits(self) -> list[Hit]:
        return (hit for hit in hits())  # type: ignore[return-value] - any iterable will do

    @strawberry.field
    def hit(self, index: int = 0) -> Hit | None:
        found = hits()
        return found[index] if 0 <= index < len(found) else None

    @strawberry.field
    def things(self) -> list[Thing]:
        return [hits()[0].place, Office(id=strawberry.ID("o"), name="Office")]

    @strawberry.field
    def nodes(self) -> list[Node]:
        return [
            Office(id=strawberry.ID("o1"), name="North"),
            Office(id=strawberry.ID("o2"), name="South"),
        ]

    @strawberry.field
    def quirks(self) -> list[Quirks]:
        return QUIRKS

    @strawberry.field
    def broken_null(self) -> list[Hit]:
        broken = hits()
        broken[1].place.name = None  # type: ignore[assignment] - a bug the client must see
        return broken

    @strawberry.field
    async def async_broken_null(self) -> list[Hit]:
        return self.broken_null()

    @strawberry.field
    def broken_type(self) -> list[Hit]:
        broken = hits()
        broken[0].place.score = "not a number"  # type: ignore[assignment]
        return broken

    @strawberry.field
    def wrong_class(self) -> Hit:
        return Hit(distance_meters=1.0, place=NotAPlace(), tags=[])  # type: ignore[arg-type]

    @strawberry.field
    def fails(self) -> str:
        raise ValueError("boom")

    @strawberry.field
    async def fails_later(self) -> Hit:
        raise ValueError("later")

    @strawberry.field
    def hazard_label(
        self,
        info: strawberry.Info,
        hazard: Hazard,
        other: Hazard | None = None,
        ident: strawberry.ID | None = None,
    ) -> str:
        return f"{hazard.name}/{other.name if other else '-'}/{ident!r}/{info.field_name}"

    @strawberry.field
    async def hazard_count(self, hazards: list[Hazard] | None = None) -> int:
        return -1 if hazards is None else len(hazards)

    @strawberry.field
    def area(self, box: BoxInput, hazards: list[Hazard] | None = None) -> str:
        if hazards is not None:
            hazards.append(Hazard.FLOOD)  # a copy: the next request's default must not see it
        return f"{box!r} {hazards!r}"

    @strawberry.field
    def checked_area(self, box: CheckedBox) -> str:
        return repr(box)

    @strawberry.field
    def hazard_texts(self, bad: bool = False) -> list[Hazard]:
        texts = ["flood", Hazard.TSUNAMI, "tsunami"]  # values as text, as the app gives them
        return [*texts, "nope"] if bad else texts  # type: ignore[list-item]

    @strawberry.field(permission_classes=[Never])
    def secret(self, hazard: Hazard | None = None) -> str:
        return "secret"

    @strawberry.field
    def returns_error(self) -> str:
        return ValueError("returned")  # type: ignore[return-value] - graphql-core's convention


@strawberry.type
class Mutation:
    @strawberry.mutation
    def add(self, a: int, b: int) -> int:
        return a + b

    @strawberry.mutation
    async def make_hit(self) -> Hit:
        return hits()[0]
