"""Variable values, coerced with each variable's type worked out once per operation.

graphql-core's `get_variable_values` reads every variable's type from the document at each
request (a walk of the type's AST and a schema look-up per variable). A `VariableCoercer`
does that once, when the operation is prepared, and then coerces a request's values with
graphql-core's own `coerce_input_value`. Whatever it does not do exactly as graphql-core
does — a missing required value, a value the type refuses, a default the type refuses, a
type that is not an input type — it hands to `get_variable_values`, which reports the errors.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from graphql.execution.get_variable_signature import (
    GraphQLVariableSignature,
    get_variable_signature,
)
from graphql.execution.values import (
    VariableValues,
    VariableValueSource,
    get_variable_values,
    input_is_nested_too_deeply,
    maybe_use_default_value,
)
from graphql.pyutils import Undefined
from graphql.utilities.coerce_input_value import coerce_input_value

from api.prepared.derivations import DERIVATIONS
from graphql import (
    GraphQLError,
    GraphQLNonNull,
    GraphQLSchema,
    VariableDefinitionNode,
    is_leaf_type,
)

MAX_COERCION_ERRORS = 50  # graphql-core's default


class _GiveUp(Exception):
    pass


def _give_up(_error: GraphQLError, _path: list[str | int]) -> None:
    raise _GiveUp


class VariableCoercer:
    def __init__(
        self, schema: GraphQLSchema, definitions: Collection[VariableDefinitionNode]
    ) -> None:
        self.schema = schema
        self.definitions = definitions
        self._plain = _plain_signatures(schema, definitions)

    def __call__(self, inputs: dict[str, Any]) -> VariableValues | list[GraphQLError]:
        if self._plain is not None:
            try:
                coerced = self._coerce(inputs)
            except Exception:  # noqa: BLE001 - graphql-core's path reports it, as it does
                coerced = None  # an invalid default (_GiveUp) among them
            if coerced is not None:
                return coerced
        return get_variable_values(self.schema, self.definitions, inputs, MAX_COERCION_ERRORS)

    def _coerce(self, inputs: dict[str, Any]) -> VariableValues | None:
        """The values as graphql-core coerces them, or None when it would report an error."""
        sources: dict[str, VariableValueSource] = {}
        coerced: dict[str, Any] = {}
        for signature, required, nests in self._plain or ():
            name = signature.name
            value = inputs.get(name, Undefined)
            if value is Undefined:
                if signature.default is not None:
                    sources[name] = VariableValueSource(signature)
                    maybe_use_default_value(coerced, name, signature, _give_up)
                    continue
                if required:
                    return None
                sources[name] = VariableValueSource(signature)
                continue
            sources[name] = VariableValueSource(signature, value)
            if nests and input_is_nested_too_deeply(value, signature.type):
                return None
            result = coerce_input_value(value, signature.type)
            if result is Undefined:
                return None
            coerced[name] = result
        return VariableValues(sources, coerced)


def _plain_signatures(
    schema: GraphQLSchema, definitions: Collection[VariableDefinitionNode]
) -> tuple[tuple[GraphQLVariableSignature, bool, bool], ...] | None:
    """Each variable's signature, whether it is required and whether its values nest; None
    when one is not an input type (graphql-core's path, each time, reports it)."""
    DERIVATIONS.variables_typed += 1
    plain = []
    for definition in definitions:
        signature = get_variable_signature(schema, definition)
        if isinstance(signature, GraphQLError):
            return None
        inner: Any = signature.type
        required = isinstance(inner, GraphQLNonNull)
        if required:
            inner = inner.of_type
        plain.append((signature, required, not is_leaf_type(inner)))
    return tuple(plain)
