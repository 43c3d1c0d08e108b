"""One operation of a checked document, prepared for execution once.

What graphql-core's executor derives from a document at every request — the operation and
its fragments, the fields of each selection set (fragments merged, @skip/@include applied),
and here the field plans (api/prepared/plans.py) — is kept per operation and shared by all its
executions. Only directives can make a selection depend on the request: the collected
selections are kept per distinct value of the variables that directives read.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from graphql.execution.collect_fields import FragmentDetails
from graphql.execution.values import VariableValues
from strawberry.types.graphql import OperationType

from api.prepared.derivations import DERIVATIONS
from api.prepared.variables import VariableCoercer
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLSchema,
    OperationDefinitionNode,
    Visitor,
    visit,
)

MAX_COLLECTIONS = 8  # distinct @skip/@include variable values kept per operation
_ABSENT = object()


class Collection:
    """The collected selections and field plans of an operation, for one set of directive
    values. graphql-core keys selections by the identity of their field lists, and these
    lists live here as long as the collection, so identity keys stay valid."""

    def __init__(self) -> None:
        self.root: tuple[Any, dict, list] | None = None  # (root type, grouped fields, defers)
        self.sub_fields: dict = {}  # graphql-core's collect_subfields memo, shared
        self.field_plans: dict = {}  # (parent type, id(field list)) -> (field list, plan)


@dataclass(eq=False)
class PreparedOperation:
    document: DocumentNode
    node: OperationDefinitionNode
    type: OperationType
    fragment_definitions: dict[str, FragmentDefinitionNode]
    fragments: dict[str, FragmentDetails]
    condition_variables: tuple[str, ...]
    coerce_variables: VariableCoercer
    _collections: OrderedDict[tuple, Collection] = field(default_factory=OrderedDict)

    @property
    def variable_definitions(self) -> Any:
        return self.node.variable_definitions or ()

    def collection_for(self, variables: VariableValues) -> Collection:
        key = tuple(variables.coerced.get(name, _ABSENT) for name in self.condition_variables)
        try:
            collection = self._collections.get(key)
        except TypeError:  # a directive argument that cannot be a key: nothing shared
            return Collection()
        if collection is None:
            collection = self._collections[key] = Collection()
            if len(self._collections) > MAX_COLLECTIONS:
                self._collections.popitem(last=False)
        return collection


def prepare_operation(
    schema: GraphQLSchema, document: DocumentNode, name: str | None
) -> PreparedOperation | None:
    """The operation Strawberry would run for `name` (the first one's name when None), or None
    when graphql-core would refuse the request: the regular path then reports why."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None and operations and operations[0].name:
        name = operations[0].name.value
    if name is None:
        chosen = operations[0] if len(operations) == 1 else None
    else:
        chosen = next((o for o in operations if o.name and o.name.value == name), None)
    fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    if chosen is None or any(f.variable_definitions for f in fragments):
        return None
    DERIVATIONS.operations_prepared += 1
    return PreparedOperation(
        document=document,
        node=chosen,
        type=OperationType(chosen.operation.value),
        fragment_definitions={f.name.value: f for f in fragments},
        fragments={f.name.value: FragmentDetails(f) for f in fragments},
        condition_variables=_directive_variables(document),
        coerce_variables=VariableCoercer(schema, chosen.variable_definitions or ()),
    )


class _DirectiveVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, None] = {}
        self._depth = 0

    def enter_directive(self, *_args: Any) -> None:
        self._depth += 1

    def leave_directive(self, *_args: Any) -> None:
        self._depth -= 1

    def enter_variable(self, node: Any, *_args: Any) -> None:
        if self._depth:
            self.names[node.name.value] = None


def _directive_variables(document: DocumentNode) -> tuple[str, ...]:
    visitor = _DirectiveVariables()
    visit(document, visitor)
    return tuple(visitor.names)
