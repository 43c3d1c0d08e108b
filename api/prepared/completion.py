"""Completers: functions that turn a resolved value into response data, one per selection.

A completer does what graphql-core's `complete_value` does for a plain value tree — leaves
coerced by their scalar or enum, lists item by item, objects field by field — or raises
`Abandon` when it cannot do exactly that (the caller then takes the regular path, which
reports the error where graphql-core reports it).

An object's completer is generated as Python source, once per selection: one attribute
read and one test per field, the leaves graphql-core would give back unchanged (a `str`
for String and ID, a `bool`, a finite `float`, a 32-bit `int`, a member of a Strawberry
enum) taken without a call, UTC dates written by orjson (in Japan time for the app's DateTime,
api/scalars.py). A type that declares how its attributes read a record
(core/records.py) gets a second function, `complete_record`, answering the same for a
record as `complete` answers for the record's view object. Only identifiers and `repr()`s
of response keys and type names go into that source; everything else is passed in as a value.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from math import isfinite
from operator import methodcaller
from typing import Any, cast

import orjson
from graphql.pyutils import Undefined
from strawberry.schema.schema_converter import CustomGraphQLEnumType

from api.scalars import FIXED_OFFSET_SINCE, NINE_HOURS, serialize_datetime
from core.records import RECORD_READERS, Column, Reader, RecordList, Shared, Text
from graphql import (
    GraphQLBoolean,
    GraphQLError,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLString,
)

Complete = Callable[[Any], Any]
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


class Abandon(Exception):
    """The completer cannot complete this value exactly; use the regular path."""


@dataclass(frozen=True)
class Member:
    """One key of an object's response: an attribute completed, or the type's name."""

    key: str
    attribute: str | None  # None: __typename
    complete: Complete | None = None
    typename: str = ""


# --- leaves and lists ----------------------------------------------------------------------


def leaf(scalar: Any, non_null: bool) -> Complete:
    coerce = scalar.coerce_output_value
    enum_names = _enum_names(scalar)

    def complete(value: Any) -> Any:
        if value is None or value is Undefined:
            if non_null:
                raise Abandon
            return None
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise Abandon
        return coerced

    if enum_names is not None:
        members, by_member, by_text = enum_names

        def complete_enum(value: Any) -> Any:
            # The names the enum's own coercion gave these values, looked up; others coerced.
            if value.__class__ is members:
                name = by_member.get(id(value))
            elif value.__class__ is str:
                name = by_text.get(value)
            else:
                name = None
            return name if name is not None else complete(value)

        complete_enum.members = enum_names  # type: ignore[attr-defined]
        complete_enum.leaf = True  # type: ignore[attr-defined]
        return complete_enum

    complete.leaf = True  # type: ignore[attr-defined]
    complete.japan_time = coerce is serialize_datetime  # type: ignore[attr-defined]
    complete.as_is = _as_is_test(scalar)  # type: ignore[attr-defined]
    complete.method = _method_of(coerce)  # type: ignore[attr-defined]
    return complete


def _as_is_test(scalar: Any) -> str | None:
    """A test, on `{v}`, of the values graphql-core's own scalars give back unchanged."""
    if scalar is GraphQLString or scalar is GraphQLID:
        return "{v}.__class__ is str"
    if scalar is GraphQLBoolean:
        return "{v}.__class__ is bool"
    if scalar is GraphQLFloat:
        return "{v}.__class__ is float and isfinite({v})"
    if scalar is GraphQLInt:
        return f"{{v}}.__class__ is int and {INT_MIN} <= {{v}} <= {INT_MAX}"
    return None


def _method_of(coerce: Any) -> str | None:
    """The method a scalar calls on its value (Strawberry's dates and times: isoformat)."""
    if not isinstance(coerce, methodcaller):
        return None
    reduced: Any = coerce.__reduce__()
    maker, arguments = reduced
    if maker is not methodcaller or len(arguments) != 1:  # arguments to pass: not inlined
        return None
    name = arguments[0]
    return name if name.isidentifier() and not keyword.iskeyword(name) else None


def _enum_names(scalar: Any) -> tuple[type[Enum], dict[int, str], dict[str, str]] | None:
    """A Strawberry enum's members (by identity: hashing a member runs Python code) and their
    values given as text, with the names the enum's own coercion gives them (run once)."""
    if not isinstance(scalar, CustomGraphQLEnumType):
        return None
    members = cast("type[Enum]", scalar.wrapped_cls)
    by_member: dict[int, str] = {}
    by_text: dict[str, str] = {}
    for member in members:
        try:
            by_member[id(member)] = scalar.coerce_output_value(member)
        except ValueError:
            pass  # a member the schema does not list: left to the regular path
        value = member.value
        if value.__class__ is str:
            try:
                by_text[value] = scalar.coerce_output_value(value)
            except GraphQLError:
                continue  # a value the schema does not list: the regular path reports it
    return members, by_member, by_text


def iso_datetime(moment: datetime) -> str:
    """`moment.isoformat()` for a UTC or naive datetime, written by orjson's C code in a
    third of the time: the same text for these (tests/api/test_completion.py checks it)."""
    return orjson.dumps(moment)[1:-1].decode()


def list_of(item: Complete, non_null: bool) -> Complete:
    from_record = getattr(item, "from_record", None)
    kind = getattr(from_record, "kind", None)

    def complete(value: Any) -> Any:
        if value.__class__ is list or value.__class__ is tuple:  # an iterator cannot be re-read
            return [item(element) for element in value]
        if value.__class__ is RecordList:  # core/records.py: no view object per record
            if from_record is None or value.kind is not kind:
                raise Abandon
            shared = value.shared
            memo: dict[int, Any] = {}
            return [from_record(record, shared, memo) for record in value.records]
        if value is None or value is Undefined:
            if non_null:
                raise Abandon
            return None
        raise Abandon

    return complete


# --- objects: generated once per selection ------------------------------------------------


def object_of(cls: type, members: list[Member], non_null: bool, name: str) -> Complete:
    namespace: dict[str, Any] = {
        "cls": cls,
        "Abandon": Abandon,
        "Undefined": Undefined,
        "isfinite": isfinite,
        "datetime": datetime,
        "UTC": UTC,
        "dumps": orjson.dumps,
        "FIXED_OFFSET_SINCE": FIXED_OFFSET_SINCE,
        "NINE_HOURS": NINE_HOURS,
    }
    lines = ["def complete(value):", "    if not isinstance(value, cls):"]
    if not non_null:
        lines += ["        if value is None or value is Undefined:", "            return None"]
    lines.append("        raise Abandon")
    for index, member in enumerate(members):
        lines += _member_lines(index, member, namespace)
    items = ", ".join(f"{member.key!r}: v{index}" for index, member in enumerate(members))
    lines.append(f"    return {{{items}}}")
    readers = RECORD_READERS.get(cls)
    if readers is not None and all(m.attribute in readers for m in members if m.attribute):
        lines += _from_record_lines(members, readers, namespace)
        lines.append(f"    return {{{items}}}")
    code = compile("\n".join(lines) + "\n", f"<completion of {name}>", "exec")
    exec(code, namespace)  # noqa: S102 - source made of identifiers and repr()s, see above
    complete = namespace["complete"]
    complete.flat = all(m.attribute is None or getattr(m.complete, "leaf", False) for m in members)
    if "complete_record" in namespace:
        complete.from_record = namespace["complete_record"]
        complete.from_record.kind = cls
    return complete


def _from_record_lines(
    members: list[Member], readers: Mapping[str, Reader], namespace: dict[str, Any]
) -> list[str]:
    """`complete_record(value, x, memo)`: what `complete` answers for the record's view
    object, each attribute read from the record `value` as its class declares
    (core/records.py), `x` what the records share. A shared object of leaves (a category
    every report of its kind shows) is completed once per answer, in `memo`, and copied."""
    lines = ["def complete_record(value, x, memo):"]
    for index, member in enumerate(members):
        if member.attribute is None:
            lines += _member_lines(index, member, namespace)
            continue
        reader = readers[member.attribute]
        read = _record_read(index, reader, namespace)
        if isinstance(reader, Shared) and getattr(member.complete, "flat", False):
            namespace[f"c{index}"] = member.complete
            v = f"v{index}"
            lines += [
                f"    s{index} = {read}",
                f"    {v} = memo.get(id(s{index}))",
                f"    if {v} is None:",
                f"        {v} = memo[id(s{index})] = c{index}(s{index})",
                f"    if {v}.__class__ is dict:",
                f"        {v} = {v}.copy()",
            ]
            continue
        lines += _member_lines(index, member, namespace, read)
    return lines


def _record_read(index: int, reader: Reader, namespace: dict[str, Any]) -> str:
    if isinstance(reader, Column) and _plain_name(reader.name):
        return f"value.{reader.name}"
    if isinstance(reader, Text) and _plain_name(reader.name):
        column = f"value.{reader.name}"
        return f"({column} if {column}.__class__ is str else str({column}))"
    if isinstance(reader, Shared) and _plain_name(reader.table) and _plain_name(reader.key):
        return f"x.{reader.table}[value.{reader.key}]"
    if not callable(reader):
        raise TypeError(f"not a record reader: {reader!r}")
    namespace[f"r{index}"] = reader
    return f"r{index}(value, x)"


def _plain_name(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _member_lines(
    index: int, member: Member, namespace: dict[str, Any], read: str | None = None
) -> list[str]:
    v = f"v{index}"
    if member.attribute is None:
        return [f"    {v} = {member.typename!r}"]
    namespace[f"c{index}"] = member.complete
    if read is None:
        read = (
            f"value.{member.attribute}"
            if _plain_name(member.attribute)
            else f"getattr(value, {member.attribute!r})"
        )
    if getattr(member.complete, "japan_time", False):  # api.scalars.japan_time, inlined
        return [
            f"    {v} = {read}",
            f"    if {v}.__class__ is datetime and {v}.tzinfo is UTC and {v} >= FIXED_OFFSET_SINCE:",
            f"        {v} = dumps({v} + NINE_HOURS)[1:-7].decode() + '+09:00'",
            "    else:",
            f"        {v} = c{index}({v})",
        ]
    as_is = getattr(member.complete, "as_is", None)
    enum_names = getattr(member.complete, "members", None)
    method = getattr(member.complete, "method", None)
    if method:  # coerce(v) is v.method(); None and Undefined are the completer's to handle
        fast_dates = (
            [f"    if {v}.__class__ is datetime and ({v}.tzinfo is UTC or {v}.tzinfo is None):"]
            + [f"        {v} = dumps({v})[1:-1].decode()  # iso_datetime, inlined"]
            + [f"    elif {v} is None or {v} is Undefined:"]
            if method == "isoformat"
            else [f"    if {v} is None or {v} is Undefined:"]
        )
        return [
            f"    {v} = {read}",
            *fast_dates,
            f"        {v} = c{index}({v})",
            "    else:",
            f"        {v} = {v}.{method}()",
            f"        if {v} is None:",
            "            raise Abandon",
        ]
    if as_is:
        test = as_is.format(v=v)
        return [f"    {v} = {read}", f"    if not ({test}):", f"        {v} = c{index}({v})"]
    if enum_names:
        namespace[f"e{index}"], namespace[f"n{index}"], namespace[f"t{index}"] = enum_names
        return [
            f"    {v} = {read}",
            f"    if {v}.__class__ is e{index}:",
            f"        {v} = n{index}.get(id({v})) or c{index}({v})",
            f"    elif {v}.__class__ is str:",  # a value given as its text
            f"        {v} = t{index}.get({v}) or c{index}({v})",
            "    else:",
            f"        {v} = c{index}({v})",
        ]
    return [f"    {v} = c{index}({read})"]
