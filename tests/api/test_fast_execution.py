"""The compiled executor answers exactly what graphql-core's regular path answers."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import pytest
import strawberry

from api.execution import FastLeafExecutionContext
from graphql import ExecutionResult


@strawberry.enum
class Hazard(enum.Enum):
    FLOOD = "flood"
    TSUNAMI = "tsunami"


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


@strawberry.type
class Hit:
    distance_meters: float
    place: Place
    tags: list[str | None]


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
    def broken_null(self) -> list[Hit]:
        broken = hits()
        broken[1].place.name = None  # type: ignore[assignment] - a bug the client must see
        return broken

    @strawberry.field
    def broken_type(self) -> list[Hit]:
        broken = hits()
        broken[0].place.score = "not a number"  # type: ignore[assignment]
        return broken

    @strawberry.field
    def wrong_class(self) -> Hit:
        return Hit(distance_meters=1.0, place=NotAPlace(), tags=[])  # type: ignore[arg-type]


QUERIES = [
    "{ hits { distanceMeters tags place { id name capacity hazards openedAt score __typename } } }",
    "{ hits { d: distanceMeters p: place { n: name } } }",
    "{ hits { place { name shout } } }",
    "{ hits { ...H } } fragment H on Hit { distanceMeters place { name } }",
    "{ hits { place { name name } } }",
    "{ hits { place { name @skip(if: true) id } } }",
    "{ brokenNull { distanceMeters place { name } } }",
    "{ brokenType { place { score } } }",
    "{ wrongClass { place { id name } } }",
]


def _fast() -> strawberry.Schema:
    return strawberry.Schema(query=Query, execution_context_class=FastLeafExecutionContext)


def _regular() -> strawberry.Schema:
    return strawberry.Schema(query=Query)


def _shape(result: ExecutionResult) -> tuple:
    errors = [(e.message, e.path) for e in result.errors or ()]
    return result.data, errors


@pytest.mark.parametrize("query", QUERIES)
def test_fast_executor__same_data_and_errors_as_graphql_core(query):
    fast, regular = _fast(), _regular()
    for _ in range(2):  # the second run uses the compiled plan
        assert _shape(fast.execute_sync(query)) == _shape(regular.execute_sync(query))


def test_fast_executor__null_in_non_null_field__error_path_as_usual():
    result = _fast().execute_sync("{ brokenNull { place { name } } }")
    assert result.data is None
    assert result.errors[0].path == ["brokenNull", 1, "place", "name"]


def test_app_schema__uses_the_fast_executor():
    from api.schema import schema

    assert schema.execution_context_class is FastLeafExecutionContext


def test_plain_selection__compiles_and_resolver_field__does_not():
    from api.execution import compile_plan
    from graphql import parse

    schema = _fast()
    hits_field = schema._schema.query_type.fields["hits"]
    plain = (
        parse("{ hits { distanceMeters place { id hazards } } }")
        .definitions[0]
        .selection_set.selections[0]
    )
    with_resolver = parse("{ hits { place { shout } } }").definitions[0].selection_set.selections[0]
    assert compile_plan(schema._schema, hits_field.type, plain) is not None
    assert compile_plan(schema._schema, hits_field.type, with_resolver) is None
