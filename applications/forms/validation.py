"""Answers checked against a form's JSON Schema with `jsonschema`, every error named by its
field path and told in the caller's language; valid answers are recognised by a compiled
validator first (`jsonschema-rs`)."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from applications.forms.texts import field_label, type_names
from core.i18n import t

FORMATS = FormatChecker(["date", "email"])


@FORMATS.checks("attachment")
def _is_attachment_id(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the type keyword reports it
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with the answers: `path` from the top-level field down."""

    path: tuple[str, ...]
    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def field(self) -> str:
        return self.path[0] if self.path else ""

    def message(self, ui: dict[str, Any], language: str) -> str:
        label = field_label(ui, self.path, language)
        params = dict(self.params)
        if "expected" in params:
            params["expected"] = type_names(params["expected"], language)
        code = self.code
        if code in ("minLength", "minItems") and params.get("limit") == 1:
            code = "required"  # "at least 1 character" is said as "please answer"
        return t(f"applications.field.{code}", language, label=label, **params)


@dataclass(frozen=True)
class Validators:
    """`full` (jsonschema) finds and names every error; `fast` (jsonschema-rs, compiled, some
    thirty times faster) only says whether there is one, with the same format checks. Valid
    answers, the usual case, are known from `fast` alone; anything it refuses, or cannot
    read, goes to `full`, whose answer stands (where the two read a schema differently,
    e.g. a regular expression's `$` before a final newline, `full` decides)."""

    full: Draft202012Validator
    fast: jsonschema_rs.Validator | None

    def is_valid(self, answers: dict[str, Any]) -> bool:
        if self.fast is None:
            return False
        try:
            return self.fast.is_valid(answers)
        except ValueError:
            return False


#: The formats as `full` checks them, for `fast` too.
_FAST_FORMATS: dict[str, Callable[..., bool]] = {
    str(name): functools.partial(FORMATS.conforms, format=name) for name in FORMATS.checkers
}


@lru_cache(maxsize=256)
def _validators(schema_text: str) -> Validators:
    schema = json.loads(schema_text)
    try:
        fast = jsonschema_rs.validator_for(schema, formats=_FAST_FORMATS, validate_formats=True)
    except ValueError:
        fast = None  # a schema the compiled validator cannot take: `full` alone
    return Validators(Draft202012Validator(schema, format_checker=FORMATS), fast)


#: Validators by the schema object they were made for; forms are cached and never changed,
#: so a form met again skips even writing out its schema.
_BY_OBJECT: dict[int, tuple[dict[str, Any], Validators]] = {}


def validators_for(schema: dict[str, Any]) -> Validators:
    known = _BY_OBJECT.get(id(schema))
    if known is not None and known[0] is schema:
        return known[1]
    validators = _validators(json.dumps(schema, sort_keys=True, ensure_ascii=False))
    if len(_BY_OBJECT) > 1024:
        _BY_OBJECT.clear()
    _BY_OBJECT[id(schema)] = (schema, validators)
    return validators


def check_answers(
    schema: dict[str, Any], answers: Any, *, partial: bool = False
) -> list[FieldError]:
    """Every error in `answers`; `partial` leaves out what is only missing (a saved draft)."""
    if not isinstance(answers, dict):
        return [FieldError((), "not_an_object")]
    validators = validators_for(schema)
    unknown = sorted(set(answers) - set(schema.get("properties", {})))
    if not unknown and validators.is_valid(answers):
        return []
    found: dict[tuple[tuple[str, ...], str], FieldError] = {}
    for error in validators.full.iter_errors(answers):
        for item in _field_errors(schema, answers, error):
            if partial and item.code == "required":
                continue
            found.setdefault((item.path, item.code), item)
    for name in unknown:
        found.setdefault(((name,), "unknown"), FieldError((name,), "unknown"))
    return sorted(found.values(), key=lambda item: (item.path, item.code))


def missing_fields(schema: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    """Top-level fields still to answer (required now, given the other answers)."""
    errors = check_answers(schema, answers)
    return sorted({e.field for e in errors if e.code == "required"})


def _path(error: ValidationError) -> tuple[str, ...]:
    return tuple(str(part) for part in error.absolute_path)


def _field_errors(
    schema: dict[str, Any], answers: dict[str, Any], error: ValidationError
) -> list[FieldError]:
    path, kind, value = _path(error), error.validator, error.validator_value
    if kind == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        return [FieldError((*path, name), "required") for name in value if name not in present]
    if kind is None:  # a `false` schema: a field sent that must not be (hidden by a condition)
        return [
            FieldError((*path, name), "not_allowed") for name in _refused(schema, answers, error)
        ]
    if kind == "type":
        return [FieldError(path, "type", {"expected": value})]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return [FieldError(path, kind, {"limit": value})]
    if kind in ("minLength", "maxLength", "minItems", "maxItems"):
        return [FieldError(path, kind, {"limit": value})]
    if kind in ("enum", "const"):
        return [FieldError(path, "choice")]
    if kind == "format":
        return [FieldError(path, f"format_{value}" if value in _FORMATS else "format")]
    if kind == "additionalProperties":
        extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
        return [FieldError((*path, name), "unknown") for name in extra]
    if kind in ("pattern", "uniqueItems", "multipleOf"):
        return [FieldError(path, kind)]
    return [FieldError(path, "invalid")]


_FORMATS = ("date", "email", "attachment")


def _refused(schema: dict[str, Any], answers: dict[str, Any], error: ValidationError) -> list[str]:
    """The properties a `false` schema refused. jsonschema reports such an error without the
    property in its path, so they are found from the schema node and the answers."""
    node: Any = schema
    for step in error.schema_path:
        node = node[step]
    holder: Any = answers
    for step in error.absolute_path:
        holder = holder[step]
    if isinstance(node, dict) and isinstance(holder, dict):
        return [key for key, sub in node.items() if sub is False and key in holder]
    return []
