"""One form for a bundle: every procedure's questions, shared keys asked once."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def merge_forms(forms: list[dict[str, Any]]) -> dict[str, Any]:
    """The merged `{schema, ui}` of `forms`, in order; a key already asked keeps its first
    definition (the catalogue checks that shared keys are defined alike)."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    conditions: list[Any] = []
    seen_conditions: set[str] = set()
    order: list[str] = []
    fields: dict[str, Any] = {}
    for form in forms:
        schema, ui = form["schema"], form["ui"]
        for key in ui["order"]:
            if key not in properties:
                properties[key] = schema["properties"][key]
                fields[key] = ui["fields"][key]
                order.append(key)
        required += [key for key in schema.get("required", []) if key not in required]
        for rule in schema.get("allOf", []):
            text = json.dumps(rule, sort_keys=True)
            if text not in seen_conditions:
                seen_conditions.add(text)
                conditions.append(rule)
    merged: dict[str, Any] = {
        "$schema": SCHEMA_DIALECT,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if conditions:
        merged["allOf"] = conditions
    return {"schema": merged, "ui": {"order": order, "fields": fields}}


def answers_for(form: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The answers one procedure's form asks for."""
    keys = form["schema"]["properties"]
    return {key: value for key, value in answers.items() if key in keys}


def personal_keys(form: dict[str, Any]) -> set[str]:
    return {k for k, entry in form["ui"]["fields"].items() if entry.get("personal")}
