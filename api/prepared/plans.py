"""Field plans: what executing one field of a document needs, worked out once.

graphql-core works out at every field of every request what the document already decides:
the field's definition and resolver, its literal arguments, how to complete its type. A
`FieldPlan` keeps that, with the resolver called directly where Strawberry's wrapper would
only rename its arguments (api/prepared/resolvers.py). Below a field, most of a response is Strawberry objects whose
fields have no resolver, arguments, extension or permission; such a sub-tree gets a
completer (api/prepared/completion.py) that reads attributes and coerces leaves with their scalar
type — what graphql-core's machinery ends up doing, without a resolve-info, a path or a
type dispatch per value.

A value a completer cannot complete exactly (a null where none is allowed, a value the
scalar refuses, an object of an unexpected class, an iterable that is not a list) makes
the caller complete it the regular way, so errors and their paths stay exactly as
graphql-core reports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.schema.schema_converter import GraphQLCoreConverter

from api.prepared.arguments import ArgumentReader, argument_reader
from api.prepared.completion import Complete, Member, leaf, list_of, object_of
from api.prepared.derivations import DERIVATIONS
from api.prepared.resolvers import direct_resolver
from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    ValueNode,
    VariableNode,
    is_leaf_type,
)

NO_VARIABLES = VariableValues({}, {})

# Collects the fields of an object type's sub-selection; None when they cannot be planned.
Collect = Callable[[GraphQLObjectType, FieldDetailsList], GroupedFieldSet | None]


@dataclass(frozen=True, slots=True, eq=False)
class FieldPlan:
    details: FieldDetailsList
    nodes: list[FieldNode]
    definition: GraphQLField
    resolve: Any
    attribute: str | None  # a basic Strawberry field: read with getattr, no resolve-info
    arguments: dict[str, Any] | None  # None: they name variables, coerce once per request
    read_arguments: ArgumentReader | None  # those variables' values, where it can
    complete: Complete | None  # None: complete the regular way


def compile_field(
    schema: GraphQLSchema,
    parent: GraphQLObjectType,
    details: FieldDetailsList,
    default_resolver: Any,
    collect: Collect,
) -> FieldPlan | None:
    DERIVATIONS.plans_compiled += 1
    definition = schema.get_field(parent, details[0].node.name.value)
    if definition is None:
        return None
    arguments = literal_arguments(definition, details)
    return FieldPlan(
        details=details,
        nodes=[detail.node for detail in details],
        definition=definition,
        resolve=direct_resolver(schema, definition) or definition.resolve or default_resolver,
        attribute=basic_attribute(definition, details),
        arguments=arguments,
        read_arguments=(
            argument_reader(definition, details[0].node)
            if arguments is None and details[0].fragment_variable_values is None
            else None
        ),
        complete=compile_value(schema, definition.type, details, collect),
    )


def basic_attribute(definition: GraphQLField, details: FieldDetailsList) -> str | None:
    """The attribute a Strawberry field without resolver, arguments or extensions reads."""
    if definition.args or any(detail.node.arguments for detail in details):
        return None
    if not getattr(definition.resolve, "_is_default", False):
        return None
    field = (definition.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if field is None or field.base_resolver is not None or field.extensions:
        return None
    return field.python_name if field.default_resolver is getattr else None


def literal_arguments(definition: GraphQLField, details: FieldDetailsList) -> dict | None:
    """The arguments when the document fixes them; None when they depend on variables."""
    node, fragment_variables = details[0].node, details[0].fragment_variable_values
    if not definition.args and not node.arguments:
        return {}
    if fragment_variables is not None or any(
        _names_variable(a.value) for a in node.arguments or ()
    ):
        return None
    try:
        return get_argument_values(definition, node, NO_VARIABLES)
    except GraphQLError:
        return None  # coerced at each execution, which reports the error where it belongs


def _names_variable(value: ValueNode) -> bool:
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(_names_variable(item) for item in value.values)
    if isinstance(value, ObjectValueNode):
        return any(_names_variable(item.value) for item in value.fields)
    return False


def compile_value(
    schema: GraphQLSchema, return_type: Any, details: FieldDetailsList, collect: Collect
) -> Complete | None:
    non_null = isinstance(return_type, GraphQLNonNull)
    inner = return_type.of_type if non_null else return_type
    if is_leaf_type(inner):
        return leaf(inner, non_null)
    if isinstance(inner, GraphQLList):
        item = compile_value(schema, inner.of_type, details, collect)
        return None if item is None else list_of(item, non_null)
    if not isinstance(inner, GraphQLObjectType) or inner.is_type_of is not None:
        return None  # abstract types and type checks: the regular path
    cls = _object_class(inner)
    grouped = collect(inner, details) if cls is not None else None
    if cls is None or grouped is None:
        return None
    members = []
    for key, sub_details in grouped.items():
        name = sub_details[0].node.name.value
        if name == "__typename":
            members.append(Member(key, None, typename=inner.name))
            continue
        definition = schema.get_field(inner, name)
        if definition is None:
            continue  # graphql-core leaves the key out
        attribute = basic_attribute(definition, sub_details)
        sub = compile_value(schema, definition.type, sub_details, collect) if attribute else None
        if sub is None:
            return None
        members.append(Member(key, attribute, sub))
    return object_of(cls, members, non_null, inner.name)


def _object_class(object_type: GraphQLObjectType) -> type | None:
    definition = (object_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    origin = getattr(definition, "origin", None)
    return origin if isinstance(origin, type) else None
