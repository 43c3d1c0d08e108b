"""A repeated operation derives nothing from its document: the regression guard.

Not a timed test: it counts. Everything execution derives from a document — parsing,
validation, the prepared operation, collected selections (fragments merged, @skip/@include
applied), field plans, the variables' types — is counted twice over: by the app's own tally
(api/prepared/derivations.py) and by spies on the library functions that do the work, so an
executor that skips the tally is caught too. The second request of a document must
derive nothing; it only looks plans up, as many as the first request did.

The guard is shown to fail on executors that re-derive: one that forgets its plans
between requests, one that sends every request down Strawberry's regular path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

import api.prepared.execution
import api.prepared.plans
from api.prepared.derivations import DERIVATIONS, Derivations
from api.prepared.execution import PlannedExecutor
from api.prepared.operations import Collection
from api.schema import MadoguchiSchema
from api.schema import schema as app_schema
from tests.support.sample_schema import Mutation, Query

# (module, function): where the executor and the document cache look each derivation up.
SPIED = [
    ("api.prepared.documents", "parse"),
    ("strawberry.schema.schema", "parse"),
    ("strawberry.schema.schema", "validate"),
    ("graphql.execution.executor", "collect_fields"),
    ("graphql.execution.executor", "collect_subfields"),
    ("api.prepared.execution", "compile_field"),
    ("api.prepared.plans", "compile_value"),
    (
        "api.prepared.variables",
        "get_variable_signature",
    ),  # the variables' types, read from the document
    ("graphql.execution.values", "get_variable_signature"),  # ... by graphql-core's own path
]

SAMPLE_DOCUMENTS: list[tuple[str, dict[str, Any] | None]] = [
    ("{ hits { distanceMeters tags place { id name hazards openedAt __typename } } }", None),
    ("{ asyncHits { ...H } } fragment H on Hit { distanceMeters place { name shout } }", None),
    ("query Q($s: Boolean!) { hits { place { name @skip(if: $s) id } } }", {"s": True}),
    ("query Q($i: Int!) { hit(index: $i) { place { initials(count: 2) } } }", {"i": 1}),
    ("{ things { __typename ... on Place { name } ... on Office { id name } } }", None),
    ("{ nodes { id ... on Office { name } } }", None),
    ("{ brokenNull { place { name } } }", None),
    ("mutation M($a: Int!) { add(a: $a, b: 2) makeHit { place { name } } }", {"a": 40}),
]
INTROSPECTION = """
query Small($name: String!) {
  __type(name: $name) { name kind fields { name type { name kind ofType { name } } } }
}
"""


@contextmanager
def spying(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter]:
    calls: Counter = Counter()
    with monkeypatch.context() as patch:
        for module_name, name in SPIED:
            module = __import__(module_name, fromlist=[name])
            patch.setattr(module, name, _counting(calls, name, getattr(module, name)))
        yield calls


def _counting(calls: Counter, name: str, function: Callable) -> Callable:
    def spy(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return function(*args, **kwargs)

    return spy


async def derived_by_repeat(
    monkeypatch: pytest.MonkeyPatch, request: Callable[[], Awaitable[Any]]
) -> tuple[Counter, Derivations, Derivations]:
    """What the second of two identical requests derived; the look-ups of both."""
    before_first = DERIVATIONS.snapshot()
    await request()
    first = DERIVATIONS.since(before_first)
    before_second = DERIVATIONS.snapshot()
    with spying(monkeypatch) as calls:
        await request()
    return calls, DERIVATIONS.since(before_second), first


def assert_nothing_derived(calls: Counter, second: Derivations, first: Derivations) -> None:
    assert calls == Counter(), f"library derivations on a repeat: {dict(calls)}"
    assert second.derived() == 0, f"derived on a repeat: {second}"
    assert first.derived() > 0, "the first request must have derived the plans"
    assert second.plan_lookups == first.plan_lookups > 0


def _executing(schema: MadoguchiSchema, query: str, variables: dict | None):
    async def request() -> None:
        result = await schema.execute(query, variable_values=variables)
        assert result.data is not None or "broken" in query, result.errors

    return request


@pytest.mark.parametrize(("query", "variables"), SAMPLE_DOCUMENTS)
async def test_repeat__derives_nothing(monkeypatch, query, variables):
    schema = MadoguchiSchema(query=Query, mutation=Mutation)
    assert_nothing_derived(
        *await derived_by_repeat(monkeypatch, _executing(schema, query, variables))
    )


async def test_repeat__app_schema_introspection__derives_nothing(monkeypatch):
    request = _executing(app_schema, INTROSPECTION, {"name": "Resident"})
    calls, second, first = await derived_by_repeat(monkeypatch, request)
    assert_nothing_derived(calls, second, first)


async def test_repeat__skip_variable_changes__each_value_derived_once(monkeypatch):
    schema = MadoguchiSchema(query=Query)
    query, _ = SAMPLE_DOCUMENTS[2]
    for skip in (True, False):
        await _executing(schema, query, {"s": skip})()
    for skip in (True, False):
        calls, second, _ = await derived_by_repeat(
            monkeypatch, _executing(schema, query, {"s": skip})
        )
        assert calls == Counter()
        assert second.derived() == 0


async def test_repeat__over_http__derives_nothing(monkeypatch, gql):
    app_schema.documents.clear()  # another test (or database) in this process may have asked
    account = await gql.sign_up()
    requests = [
        lambda: gql.op("Me", auth=account.token),
        lambda: gql.op("NearestShelters", lat=37.58, lng=140.43, hazard="FLOOD"),
        lambda: gql.op("ReportCategories"),
    ]
    for request in requests:
        assert_nothing_derived(*await derived_by_repeat(monkeypatch, request))


# --- the guard fails where it should ---------------------------------------------------


class ForgetfulExecutor(PlannedExecutor):
    """Keeps no plans or selections between requests (each request compiles afresh)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["collection"] = Collection()
        super().__init__(*args, **kwargs)


class RegularPathSchema(MadoguchiSchema):
    """Sends every request down Strawberry's regular path."""

    def _prepared(self, *args: Any) -> None:
        return None


@pytest.mark.parametrize(
    "schema",
    [
        MadoguchiSchema(query=Query, execution_context_class=ForgetfulExecutor),
        RegularPathSchema(query=Query),
    ],
    ids=["forgetful executor", "regular path"],
)
async def test_guard__fails_for_an_executor_that_recompiles(monkeypatch, schema):
    query, variables = SAMPLE_DOCUMENTS[0]
    calls, second, first = await derived_by_repeat(
        monkeypatch, _executing(schema, query, variables)
    )
    with pytest.raises(AssertionError):
        assert_nothing_derived(calls, second, first)
    assert calls["collect_fields"] or calls["compile_field"]


def test_guard__spies_on_what_the_executor_calls():
    assert api.prepared.execution.compile_field is api.prepared.plans.compile_field
    assert {name for _, name in SPIED} >= {"collect_fields", "collect_subfields", "validate"}
