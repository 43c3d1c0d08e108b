"""The planned executor answers exactly what Strawberry and graphql-core answer.

Each document runs on a plain Strawberry schema (graphql-core's own executor) and on a
MadoguchiSchema (prepared operations, field plans) three times: the first run derives the
plans, the next ones reuse them. Data, error messages, paths and locations must be equal.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
import strawberry
from strawberry.types import ExecutionResult

from api.prepared.execution import PlannedExecutor
from api.scalars import SCALAR_OVERRIDES
from api.schema import MadoguchiSchema
from tests.support.sample_schema import Mutation, Query

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
    ("{ quirks { small big ratio flag label ident at hazard } }", None, None),
    # records completed without view objects (core/records.py), and where they cannot be
    ("{ spots { id name km hazard region __typename } }", None, None),
    ("{ spots { ...S k: km } } fragment S on Spot { region id }", None, None),
    ("{ spots { name shout } }", None, None),
    ("{ spotsGoingWrong { id km } }", None, None),
    ("{ spotsGoingWrong { name } }", None, None),
    ("{ quirks { at } }", None, None),
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
    # variables: defaults, null, refused values, lists (api/prepared/variables.py)
    ("query Q($c: Int = 2) { hits { place { initials(count: $c) } } }", {}, None),
    ("query Q($c: Int = 2) { hits { place { initials(count: $c) } } }", {"c": 3}, None),
    ("query Q($c: Int) { hits { place { initials(count: $c) } } }", {"c": None}, None),
    ("query Q($c: Int) { hits { place { initials(count: $c) } } }", {"c": 2.5}, None),
    ("query Q($hs: [Hazard!]) { hazardCount(hazards: $hs) }", {"hs": ["FLOOD", "TSUNAMI"]}, None),
    ("query Q($hs: [Hazard!]) { hazardCount(hazards: $hs) }", {"hs": "FLOOD"}, None),
    ("query Q($hs: [Hazard!]) { hazardCount(hazards: $hs) }", {"hs": [None]}, None),
    ("query Q($hs: [Hazard!]) { hazardCount(hazards: $hs) }", {}, None),
    # resolvers called directly (api/prepared/resolvers.py): enums, optional, ID, info; and not
    ("{ hazardLabel(hazard: FLOOD) }", None, None),
    (
        "query Q($h: Hazard!, $o: Hazard, $i: ID) { hazardLabel(hazard: $h, other: $o, ident: $i) }",
        {"h": "TSUNAMI", "o": None, "i": 7},
        None,
    ),
    (
        'query Q($h: Hazard!) { hazardLabel(hazard: $h, other: TSUNAMI, ident: "x") }',
        {"h": "FLOOD"},
        None,
    ),
    ("query Q($h: Hazard!) { hazardLabel(hazard: $h) }", {"h": "flood"}, None),
    ("query Q($h: Hazard!) { hazardLabel(hazard: $h) }", {"h": None}, None),
    ("{ secret(hazard: FLOOD) hits { tags } }", None, None),
    ("{ hazardTexts }", None, None),
    ("{ hazardTexts(bad: true) }", None, None),
    # arguments read from variables (api/prepared/arguments.py): absent, null, defaults, required
    ("query Q($c: Int) { hits { place { initials(count: $c) } } }", {}, None),
    ("query Q($i: Int) { hit(index: $i) { place { name } } }", {"i": None}, None),
    ("query Q($i: Int) { hit(index: $i) { place { name } } }", {}, None),
    ("query Q($h: Hazard) { hazardLabel(hazard: $h) }", {}, None),
    ("query Q($h: Hazard) { hazardLabel(hazard: $h) }", {"h": "FLOOD"}, None),
    # input objects and lists built by the direct resolver, as Strawberry builds them
    ("query Q($b: BoxInput!) { area(box: $b) }", {"b": {"west": 1.5, "south": 2}}, None),
    (
        "query Q($b: BoxInput!, $h: [Hazard!]) { area(box: $b, hazards: $h) }",
        {"b": {"west": 1, "south": 2, "label": None, "hazard": "TSUNAMI", "note": "x"}, "h": []},
        None,
    ),
    ('{ area(box: {west: 1, south: 2, label: "a"}, hazards: [TSUNAMI]) }', None, None),
    (
        "query Q($h: [Hazard!] = [TSUNAMI]) { area(box: {west: 1, south: 2}, hazards: $h) }",
        {},
        None,
    ),
    ("query Q($b: BoxInput!) { area(box: $b) }", {"b": {"west": "x", "south": 2}}, None),
    ("{ checkedArea(box: {west: 200}) }", None, None),
    ("{ checkedArea(box: {west: 2}) }", None, None),
]


class Planned(MadoguchiSchema):
    def process_errors(self, errors, execution_context=None) -> None:
        pass  # compared as graphql-core reports them, before presentation


class Regular(strawberry.Schema):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(scalar_overrides=SCALAR_OVERRIDES, **kwargs)  # the app's dates, too

    def process_errors(self, errors, execution_context=None) -> None:
        pass


@functools.cache
def _regular() -> Regular:
    """Plain Strawberry, built once: it keeps nothing between requests."""
    return Regular(query=Query, mutation=Mutation)


def _shape(result: ExecutionResult) -> tuple:
    errors = [(e.message, e.path, e.locations) for e in result.errors or ()]
    return result.data, errors


@pytest.mark.parametrize(("query", "variables", "operation_name"), CASES)
async def test_planned__same_data_and_errors_as_graphql_core(query, variables, operation_name):
    planned = Planned(query=Query, mutation=Mutation)
    expected = _shape(
        await _regular().execute(query, variable_values=variables, operation_name=operation_name)
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
    regular = _regular()
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


def test_direct_resolver__only_where_strawberry_passes_arguments_unchanged():
    from api.prepared.resolvers import direct_resolver

    core = Planned(query=Query, mutation=Mutation)._schema
    fields = core.query_type.fields
    assert direct_resolver(core, fields["hazardLabel"]) is not None
    assert direct_resolver(core, fields["hit"]) is not None
    assert direct_resolver(core, fields["hazardCount"]) is not None  # a list, copied
    assert direct_resolver(core, fields["area"]) is not None  # an input object, built
    assert direct_resolver(core, fields["checkedArea"]) is None  # it has a __post_init__
    assert direct_resolver(core, fields["secret"]) is None  # a permission extension
    assert direct_resolver(core, core.get_type("Quirks").fields["small"]) is None  # no resolver


def test_app_schema__runs_the_planned_executor():
    from api.schema import schema

    assert isinstance(schema, MadoguchiSchema)
    assert schema.execution_context_class is PlannedExecutor


async def test_records__completed_without_views_where_the_selection_allows(monkeypatch):
    from tests.support import sample_schema

    built = []
    monkeypatch.setattr(sample_schema.SpotView, "__init__", _counting(built))
    planned = Planned(query=Query)
    for _ in range(2):
        await planned.execute("{ spots { id name km hazard region } }")
    assert built == []
    await planned.execute("{ spots { name shout } }")  # a resolver: views
    assert len(built) == 2


def _counting(built: list) -> Any:
    from tests.support.sample_schema import SpotView

    original = SpotView.__init__

    def init(self, *args: Any) -> None:
        built.append(args)
        original(self, *args)

    return init
