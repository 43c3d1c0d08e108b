"""A faster graphql-core executor for plain object trees.

Most of a response is Strawberry objects whose fields have no resolver, no arguments, no
field extension or permission: graphql-core still builds a resolve-info, runs Strawberry's
resolver wrapper and dispatches `complete_value` for every one of them. Here, the first
time a (cached) document's field is completed, its sub-selection is compiled into a plan
when everything below it is plain; later completions read attributes with getattr and
coerce leaves with their scalar type — what that machinery ends up doing.

Anything the plan cannot do exactly (a null where one is not allowed, a value the scalar
refuses, an object of an unexpected class) abandons the plan for that value and completes
it the regular way, so errors and their paths stay exactly as graphql-core reports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql.pyutils import Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from graphql import (
    FieldNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)

LEAF, LIST, OBJECT, TYPENAME = range(4)


class _Abandon(Exception):
    """The plan cannot complete this value exactly; use the regular path."""


@dataclass(frozen=True, slots=True)
class Plan:
    kind: int
    non_null: bool
    coerce: Any = None  # LEAF: the scalar's coerce_output_value
    item: Plan | None = None  # LIST
    cls: type | None = None  # OBJECT: the Strawberry class values must be instances of
    fields: tuple[tuple[str, str, Plan], ...] = ()  # OBJECT: (response key, attribute, plan)
    typename: str = ""


def _plain_field(schema: Any, parent: GraphQLObjectType, node: FieldNode):
    if node.arguments or node.directives:
        return None
    field_def = schema.get_field(parent, node.name.value)
    if field_def is None or field_def.args:
        return None
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or definition.base_resolver is not None or definition.extensions:
        return None
    return field_def, definition.python_name


def _object_class(object_type: GraphQLObjectType) -> type | None:
    definition = (object_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    origin = getattr(definition, "origin", None)
    return origin if isinstance(origin, type) else None


def compile_plan(schema: Any, return_type: Any, node: FieldNode) -> Plan | None:
    non_null = is_non_null_type(return_type)
    inner = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
    if is_leaf_type(inner):
        return Plan(LEAF, non_null, coerce=inner.coerce_output_value)
    if is_list_type(inner):
        item = compile_plan(schema, inner.of_type, node)
        return None if item is None else Plan(LIST, non_null, item=item)
    if not is_object_type(inner) or node.selection_set is None:
        return None
    cls = _object_class(inner)
    if cls is None:
        return None
    fields = []
    seen: set[str] = set()
    for selection in node.selection_set.selections:
        if not isinstance(selection, FieldNode):
            return None  # fragments: the regular path merges them
        key = selection.alias.value if selection.alias else selection.name.value
        if key in seen:
            return None  # the same key selected twice: merging is the regular path's job
        seen.add(key)
        if selection.name.value == "__typename" and not selection.directives:
            fields.append((key, "", Plan(TYPENAME, True, typename=inner.name)))
            continue
        plain = _plain_field(schema, inner, selection)
        if plain is None:
            return None
        field_def, attribute = plain
        plan = compile_plan(schema, field_def.type, selection)
        if plan is None:
            return None
        fields.append((key, attribute, plan))
    return Plan(OBJECT, non_null, cls=cls, fields=tuple(fields))


def run_plan(plan: Plan, value: Any) -> Any:
    if value is None or value is Undefined:
        if plan.non_null:
            raise _Abandon
        return None
    kind = plan.kind
    if kind == LEAF:
        try:
            coerced = plan.coerce(value)
        except Exception:  # noqa: BLE001 - the regular path reports it properly
            raise _Abandon from None
        if coerced is None or coerced is Undefined:
            raise _Abandon
        return coerced
    if kind == OBJECT:
        if plan.cls is None or not isinstance(value, plan.cls):
            raise _Abandon
        return {
            key: (
                run_plan(sub, getattr(value, attribute)) if sub.kind != TYPENAME else sub.typename
            )
            for key, attribute, sub in plan.fields
        }
    if kind == LIST:
        if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
            raise _Abandon
        item = plan.item
        if item is None:
            raise _Abandon
        return [run_plan(item, element) for element in value]
    raise _Abandon


_plans: dict[int, tuple[FieldNode, Any, Plan | None]] = {}


class FastLeafExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def complete_value(self, return_type, field_details_list, info, path, result, position_context):
        plan = self._plan_for(return_type, field_details_list)
        if plan is not None and not isinstance(result, Exception):
            try:
                return run_plan(plan, result)
            except _Abandon:
                pass
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plan_for(self, return_type: Any, field_details_list: Any) -> Plan | None:
        if len(field_details_list) != 1 or not self._no_middleware():
            return None
        node = field_details_list[0].node
        cached = _plans.get(id(node))
        if cached is not None and cached[0] is node and cached[1] is return_type:
            return cached[2]
        if isinstance(return_type, (GraphQLList, GraphQLNonNull)) or is_object_type(return_type):
            plan = compile_plan(self.schema, return_type, node) if node.selection_set else None
        else:
            plan = None  # a lone leaf: the regular path is as quick
        _plans[id(node)] = (node, return_type, plan)
        return plan

    def _no_middleware(self) -> bool:
        manager = self.middleware_manager
        return manager is None or getattr(manager, "_middleware_resolvers", None) is None
