"""A Strawberry resolver called as Strawberry calls it, with what the call needs worked out once.

For every field with a resolver, Strawberry's wrapper converts the arguments (walking each
argument's type), builds the chain of field extensions and looks the resolver's reserved
parameters up, at every call. For a field without extensions or exception handlers, the
call comes down to renaming the arguments, converting each with a function worked out once
from its type, and adding `self`, the parent and `info`: a `direct_resolver` does that.
The conversions it knows are Strawberry's own for scalars and enums (passed on unchanged),
lists of them (copied) and plain input objects of those (built from the coerced dict);
a field with any other argument keeps Strawberry's wrapper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING
from inspect import isasyncgenfunction
from typing import Any

from strawberry.relay import GlobalID
from strawberry.schema.compat import is_scalar
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryList, StrawberryMaybe, StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition
from strawberry.types.field import StrawberryField
from strawberry.types.unset import UNSET

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
    name_converter = strawberry_schema.config.name_converter
    names = []
    for argument in field.arguments:
        convert = _converter(argument.type, registry, name_converter)
        if convert is None:
            return None
        names.append((name_converter.from_argument(argument), argument.python_name, convert))
    return _caller(field, tuple(names), strawberry_schema.config.info_class)


Convert = Callable[[Any], Any]


def _as_is(value: Any) -> Any:
    return value


def _converter(type_: Any, registry: Any, name_converter: Any) -> Convert | None:
    """What Strawberry's `convert_argument` does to a coerced value of this type, as one
    function; None for the types it is not written for here."""
    if _passed_unchanged(type_, registry):
        return _as_is
    optional = isinstance(type_, StrawberryOptional) and not isinstance(type_, StrawberryMaybe)
    inner = type_.of_type if optional else type_
    if isinstance(inner, StrawberryList):
        if not _passed_unchanged(inner.of_type, registry):
            return None
        return _or_none(list)  # copied: graphql-core shares a default between requests
    make = _input_maker(inner, registry, name_converter)
    return None if make is None else _or_none(make)


def _or_none(convert: Convert) -> Convert:
    def converted(value: Any) -> Any:
        if value is None or value is UNSET:
            return value
        return convert(value)

    return converted


def _input_maker(type_: Any, registry: Any, name_converter: Any) -> Convert | None:
    """An input object of scalar and enum fields, built as Strawberry builds it."""
    definition = getattr(type_, "__strawberry_definition__", None)
    if definition is None or not definition.is_input or definition.from_input is not None:
        return None
    if not isinstance(type_, type) or hasattr(type_, "__post_init__"):
        return None
    unset = {
        field.python_name: None
        for field in definition.fields
        if field.default_value is MISSING and field.default_factory is MISSING
    }
    fields = []
    for field in definition.fields:
        if not _passed_unchanged(field.resolve_type(type_definition=definition), registry):
            return None
        fields.append((name_converter.from_field(field), field.python_name))

    def make(value: Any) -> Any:
        kwargs = dict(unset)
        for name, python_name in fields:
            if name in value:
                kwargs[python_name] = value[name]
        return type_(**kwargs)

    return make


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


def _caller(field: StrawberryField, names: tuple[tuple[str, str, Convert], ...], info_class: type):
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
        kwargs = {
            python: convert(arguments[name]) for name, python, convert in names if name in arguments
        }
        for name in sources:
            kwargs[name] = source
        if info_name is not None:
            kwargs[info_name] = info_class(_raw_info=info, _field=field)
        return call(source, **kwargs) if takes_self else call(**kwargs)

    return resolve
