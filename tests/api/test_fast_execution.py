"""The planned executor answers exactly what Strawberry and graphql-core answer.

Each document runs on a plain Strawberry schema (graphql-core's own executor) and on a
MadoguchiSchema (prepared operations, field plans) three times: the first run derives the
plans, the next ones reuse them. Data, error messages, paths and locations must be equal.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Annotated, Any

import pytest
import strawberry

from api.execution import PlannedExecutor
from api.schema import MadoguchiSchema
from strawberry.types import ExecutionResult


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


class NotAPlace:
    id = "x"
    name = "impostor"


@strawberry.type
class Query:
    @strawberry.field
    def hits(self) -> list[Hit]:
        return hits()

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


FULL = "distanceMeters tags place { id name capacity hazards openedAt score __typename }"
CASES: list[tuple[str, dict[str, Any] | None, str | None]] = [
    ("{ hits { " + FULL + " } }", None, None),
    ("{ asyncHits { " + FULL + " } }", None, None),
    ("{ generatedHits { distanceMeters place { name } } }", None, None),
    ("{ hits { d: distanceMeters p: place { n: name } } }", None, None),
    ("{ hits { place { name shout initials(count: 2) } } }", None, None),
    ("{ hits { ...H } } fragment H on Hit { distanceMeters place { name } }", None, None),
    ("{ hits { place { name } place { id } } }", None, None),
    ("{ hits { place { name name } } }", None, None),
    ("{ hits { place { name @skip(if: true) id } } }", None, None),
    ("query Q($s: Boolean!) { hits { place { name @skip(if: $s) id } } }", {"s": True}, None),
    ("query Q($s: Boolean!) { hits { place { name @skip(if: $s) id } } }", {"s": False}, None),
    ("query Q($i: Int!) { hit(index: $i) { place { name } } }", {"i": 1}, None),
    ("query Q($i: Int!) { hit(index: $i) { place { name } } }", {"i": 7}, None),
    ("query Q($i: Int!) { hit(index: $i) { place { name } } }", {"i": "one"}, None),
    ("query Q($i: Int!) { hit(index: $i) { place { name } } }", {}, None),
    ("query Q($c: Int) { hits { place { initials(count: $c) } } }", {"c": 3}, None),
    ("{ things { __typename ... on Place { name } ... on Office { id name } } }", None, None),
    ("{ nodes { id ... on Office { name } } }", None, None),
    ("{ brokenNull { distanceMeters place { name } } }", None, None),
    ("{ asyncBrokenNull { place { name } } }", None, None),
    ("{ brokenType { place { score } } }", None, None),
    ("{ wrongClass { place { id name } } }", None, None),
    ("{ fails hits { distanceMeters } }", None, None),
    ("{ failsLater { distanceMeters } }", None, None),
    ("{ returnsError }", None, None),
    ("query A { hits { tags } } query B { things { __typename } }", None, "B"),
    ("query A { hits { tags } } query B { things { __typename } }", None, None),
    ("mutation M($a: Int!) { add(a: $a, b: 2) makeHit { place { name } } }", {"a": 40}, None),
]


class Planned(MadoguchiSchema):
    def process_errors(self, errors, execution_context=None) -> None:
        pass  # compared as graphql-core reports them, before presentation


class Regular(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        pass


def _shape(result: ExecutionResult) -> tuple:
    errors = [(e.message, e.path, e.locations) for e in result.errors or ()]
    return result.data, errors


@pytest.mark.parametrize(("query", "variables", "operation_name"), CASES)
async def test_planned__same_data_and_errors_as_graphql_core(query, variables, operation_name):
    planned = Planned(query=Query, mutation=Mutation)
    expected = _shape(
        await Regular(query=Query, mutation=Mutation).execute(
            query, variable_values=variables, operation_name=operation_name
        )
    )
    for _ in range(3):  # derive, then reuse
        result = await planned.execute(
            query, variable_values=variables, operation_name=operation_name
        )
        assert _shape(result) == expected


@pytest.mark.parametrize(("query", "variables", "operation_name"), CASES[:12])
def test_planned__strawberry_sync_path__same_answers(query, variables, operation_name):
    if "async" in query.lower() or "failsLater" in query or "makeHit" in query:
        pytest.skip("execute_sync cannot await")
    planned = Planned(query=Query, mutation=Mutation)
    regular = Regular(query=Query, mutation=Mutation)
    for _ in range(2):
        assert _shape(
            planned.execute_sync(query, variable_values=variables, operation_name=operation_name)
        ) == _shape(
            regular.execute_sync(query, variable_values=variables, operation_name=operation_name)
        )


async def test_null_in_non_null_field__error_path_as_usual():
    result = await Planned(query=Query).execute("{ brokenNull { place { name } } }")
    assert result.data is None
    assert result.errors[0].path == ["brokenNull", 1, "place", "name"]


async def test_unknown_operation_name__refused_as_strawberry_refuses_it():
    from strawberry.schema.exceptions import CannotGetOperationTypeError

    with pytest.raises(CannotGetOperationTypeError):
        await Planned(query=Query).execute("query A { hits { tags } }", operation_name="Z")


def test_app_schema__runs_the_planned_executor():
    from api.schema import schema

    assert isinstance(schema, MadoguchiSchema)
    assert schema.execution_context_class is PlannedExecutor
