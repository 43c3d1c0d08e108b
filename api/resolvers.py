"""A Strawberry resolver called as Strawberry calls it, with what the call needs worked out once.

For every field with a resolver, Strawberry's wrapper converts the arguments (walking each
argument's type), builds the chain of field extensions and looks the resolver's reserved
parameters up, at every call. For a field without extensions or exception handlers whose
arguments Strawberry passes on unchanged — scalars and enums, optional or not — the call
comes down to renaming the arguments and adding `self`, the parent and `info`: a
`direct_resolver` does that. Any other field keeps Strawberry's wrapper.
"""

from __future__ import annotations

from collections.abc import Callable
from inspect import isasyncgenfunction
from typing import Any

from strawberry.relay import GlobalID
from strawberry.schema.compat import is_scalar
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryMaybe, StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition
from strawberry.types.field import StrawberryField

from graphql import GraphQLField, GraphQLResolveInfo, GraphQLSchema

Resolve = Callable[..., Any]


def direct_resolver(schema: GraphQLSchema, definition: GraphQLField) -> Resolve | None:
    """The field's resolver as Strawberry calls it, or None when Strawberry's wrapper must."""
    strawberry_schema = getattr(schema, "_strawberry_schema", None)
    field = (definition.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if strawberry_schema is None or not isinstance(field, StrawberryField):
        return None
    converter = strawberry_schema.schema_converter
    resolver = field.base_resolver
    if resolver is None or field.extensions or converter.exception_handlers:
        return None
    if isasyncgenfunction(resolver._unbound_wrapped_func) or not callable(resolver.wrapped_func):
        return None
    registry = converter.scalar_registry
    if not all(_passed_unchanged(argument.type, registry) for argument in field.arguments):
        return None
    name_of = strawberry_schema.config.name_converter.from_argument
    names = tuple((name_of(argument), argument.python_name) for argument in field.arguments)
    return _caller(field, names, strawberry_schema.config.info_class)


def _passed_unchanged(type_: Any, registry: Any) -> bool:
    """Whether Strawberry's `convert_argument` gives back the value graphql-core coerced."""
    if isinstance(type_, StrawberryMaybe):
        return False  # wrapped in Some
    if isinstance(type_, StrawberryOptional):
        type_ = type_.of_type
    if type_ is GlobalID:
        return False  # decoded
    if has_enum_definition(type_) or isinstance(type_, StrawberryEnumDefinition):
        return True
    return is_scalar(type_, registry)


def _caller(field: StrawberryField, names: tuple[tuple[str, str], ...], info_class: type):
    resolver = field.base_resolver
    assert resolver is not None
    call: Any = resolver.wrapped_func
    takes_self = resolver.self_parameter is not None
    sources = tuple(
        parameter.name
        for parameter in (resolver.parent_parameter, resolver.root_parameter)
        if parameter is not None
    )
    info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None

    def resolve(source: Any, info: GraphQLResolveInfo, **arguments: Any) -> Any:
        kwargs = {python: arguments[name] for name, python in names if name in arguments}
        for name in sources:
            kwargs[name] = source
        if info_name is not None:
            kwargs[info_name] = info_class(_raw_info=info, _field=field)
        return call(source, **kwargs) if takes_self else call(**kwargs)

    return resolve
