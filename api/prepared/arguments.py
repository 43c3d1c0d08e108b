"""A field's arguments read from the request's variables, with the document's part worked out once.

graphql-core's `get_argument_values` maps the field's argument nodes by name and walks each
argument's type at every execution. When each argument of a field is either a variable or
left out, what it does comes down to: take the variable's coerced value, or the argument's
default when the variable or the argument is absent. An `ArgumentReader` does that from a
list made when the field is planned. A required argument left without a value, a null for
a non-null argument, or a default that cannot be coerced makes it give up (None): the
caller then runs `get_argument_values`, which reports the error as it always does.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from graphql.execution.values import maybe_use_default_value

from graphql import (
    FieldNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLField,
    GraphQLNonNull,
    VariableNode,
    is_required_argument,
)


class _Argument(NamedTuple):
    out_name: str
    definition: GraphQLArgument
    variable: str | None  # None: the document leaves the argument out
    required: bool
    non_null: bool


class _GiveUp(Exception):
    pass


def _give_up(_error: GraphQLError, _path: list[str | int]) -> None:
    raise _GiveUp


class ArgumentReader:
    def __init__(self, arguments: tuple[_Argument, ...]) -> None:
        self.arguments = arguments

    def __call__(self, variables: dict[str, Any]) -> dict[str, Any] | None:
        read: dict[str, Any] = {}
        try:
            for argument in self.arguments:
                name = argument.variable
                if name is None or name not in variables:
                    if argument.required:
                        return None
                    maybe_use_default_value(read, argument.out_name, argument.definition, _give_up)
                    continue
                value = variables[name]
                if value is None and argument.non_null:
                    return None
                read[argument.out_name] = value
        except _GiveUp:
            return None
        return read


def argument_reader(definition: GraphQLField, node: FieldNode) -> ArgumentReader | None:
    """The reader for a field whose arguments are variables or left out; None otherwise."""
    nodes = {argument.name.value: argument.value for argument in node.arguments or ()}
    if any(not isinstance(value, VariableNode) for value in nodes.values()):
        return None  # a literal: get_argument_values coerces it
    if any(name not in definition.args for name in nodes):
        return None
    arguments = []
    for name, argument in definition.args.items():
        value = nodes.get(name)
        arguments.append(
            _Argument(
                out_name=argument.out_name or name,
                definition=argument,
                variable=value.name.value if isinstance(value, VariableNode) else None,
                required=is_required_argument(argument),
                non_null=isinstance(argument.type, GraphQLNonNull),
            )
        )
    return ArgumentReader(tuple(arguments))
