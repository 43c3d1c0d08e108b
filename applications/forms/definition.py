"""Checks of a form document — its JSON Schema 2020-12 and its UI document — when a
definition is loaded. Each problem names the path inside the definition."""

from __future__ import annotations

import re
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

WIDGETS = frozenset(
    {
        "text",
        "textarea",
        "number",
        "date",
        "select",
        "multiselect",
        "yesno",
        "address",
        "phone",
        "email",
        "file",
        "list",
    }
)
KEY = re.compile(r"[a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)*")
MAX_KEY = 100
MAX_TEXT = 10_000
#: Namespaces of shared keys: asked once in a bundle, pre-filled from the last answers.
SHARED_NAMESPACES = ("resident.", "address.", "household.", "contact.")

Problem = tuple[str, str]  # (path, what is wrong)


def is_shared(key: str) -> bool:
    return key.startswith(SHARED_NAMESPACES)


def form_problems(form: Any, at: str = "form") -> list[Problem]:
    if not isinstance(form, dict) or not isinstance(form.get("schema"), dict):
        return [(at, "must be an object with `schema` and `ui`")]
    schema, ui = form["schema"], form.get("ui")
    if not isinstance(ui, dict):
        return [(f"{at}.ui", "must be an object")]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
        return [(f"{at}.schema{where}", f"not a valid JSON Schema 2020-12: {error.message}")]
    properties = schema.get("properties")
    if schema.get("type") != "object" or not isinstance(properties, dict) or not properties:
        return [(f"{at}.schema", "must be an object schema with properties")]
    problems: list[Problem] = []
    for key, prop in properties.items():
        problems += _property_problems(f"{at}.schema.properties.{key}", key, prop)
        problems += _ui_problems(f"{at}.ui.fields.{key}", ui.get("fields", {}).get(key), prop)
    order = ui.get("order")
    if not isinstance(order, list) or sorted(order) != sorted(properties):
        problems.append((f"{at}.ui.order", "must list every property exactly once"))
    for index, rule in enumerate(schema.get("allOf", [])):
        problems += _condition_problems(f"{at}.schema.allOf[{index}]", rule, properties)
    return problems


def _property_problems(at: str, key: str, prop: Any) -> list[Problem]:
    if not KEY.fullmatch(key) or len(key) > MAX_KEY:
        return [(at, "a field key is lowerCamel words joined by dots, at most 100 characters")]
    if not isinstance(prop, dict):
        return [(at, "must be a schema object")]
    return _bounded(at, prop)


def _bounded(at: str, prop: dict[str, Any]) -> list[Problem]:
    """Free text must have a maxLength and lists a maxItems, so answers stay small."""
    kind = prop.get("type")
    if kind == "string" and "enum" not in prop and "format" not in prop:
        limit = prop.get("maxLength")
        if not isinstance(limit, int) or limit > MAX_TEXT:
            return [(at, f"a text field needs maxLength of at most {MAX_TEXT}")]
    if kind == "array":
        if not isinstance(prop.get("maxItems"), int):
            return [(at, "a list field needs maxItems")]
        return _bounded(f"{at}.items", prop.get("items", {}))
    if kind == "object":
        problems = []
        for name, sub in prop.get("properties", {}).items():
            problems += _bounded(f"{at}.properties.{name}", sub)
        if prop.get("additionalProperties") is not False:
            problems.append((at, "a composite field needs additionalProperties: false"))
        return problems
    return []


def _ui_problems(at: str, entry: Any, prop: dict[str, Any]) -> list[Problem]:
    if not isinstance(entry, dict):
        return [(at, "every property needs a UI entry with a label")]
    problems: list[Problem] = []
    label = entry.get("label")
    if not isinstance(label, dict) or not label.get("ja") or not label.get("en"):
        problems.append((f"{at}.label", "needs Japanese and English (ja, en)"))
    widget = entry.get("widget")
    if widget not in WIDGETS:
        problems.append((f"{at}.widget", f"must be one of {', '.join(sorted(WIDGETS))}"))
    if widget == "file" and not _is_file_schema(prop):
        problems.append((at, "a file field's schema is a string (or list) of format attachment"))
    if widget in ("select", "multiselect"):
        choices = prop.get("enum") or prop.get("items", {}).get("enum") or []
        options = entry.get("options", {})
        if not choices or any(str(c) not in options for c in choices):
            problems.append((f"{at}.options", "needs a ja/en label for every choice of the enum"))
    return problems


def _is_file_schema(prop: dict[str, Any]) -> bool:
    if prop.get("type") == "array":
        prop = prop.get("items", {})
    return prop.get("type") == "string" and prop.get("format") == "attachment"


def _condition_problems(at: str, rule: Any, properties: dict[str, Any]) -> list[Problem]:
    """A field shown only when a condition holds must be refused when it does not: each
    field the `then` asks for is `false` in the `else`."""
    if not isinstance(rule, dict) or "then" not in rule:
        return []
    then = rule["then"]
    shown = set(then.get("required", [])) | set(then.get("properties", {}))
    refused = {k for k, v in rule.get("else", {}).get("properties", {}).items() if v is False}
    problems = [
        (f"{at}.else", f"must refuse hidden field {name!r}: properties.{name}: false")
        for name in sorted(shown - refused)
    ]
    problems += [
        (f"{at}.then", f"names unknown field {name!r}") for name in sorted(shown - set(properties))
    ]
    return problems
