"""Definition files: read, checked against the definition format and the form rules, with
every problem naming its file and the path inside it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from applications.forms.definition import form_problems

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
MAX_FILE_BYTES = 1_000_000

_TEXT = {
    "type": "object",
    "required": ["ja", "en"],
    "properties": {
        "ja": {"type": "string", "minLength": 1, "maxLength": 2000},
        "en": {"type": "string", "minLength": 1, "maxLength": 2000},
    },
    "additionalProperties": False,
}
_CODE = {"type": "string", "pattern": "^[a-z][a-z0-9_]{1,59}$"}

PROCEDURE_FORMAT = {
    "type": "object",
    "required": ["kind", "code", "name", "department", "form", "processingDays", "retentionDays"],
    "properties": {
        "kind": {"const": "procedure"},
        "code": _CODE,
        "name": _TEXT,
        "description": _TEXT,
        "department": {"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$"},
        "fee": {
            "type": "object",
            "required": ["yen"],
            "properties": {
                "yen": {"type": "integer", "minimum": 0, "maximum": 1_000_000},
                "perField": {"type": "string"},
            },
            "additionalProperties": False,
        },
        "refundOnReject": {"type": "boolean"},
        "processingDays": {"type": "integer", "minimum": 0, "maximum": 365},
        "retentionDays": {"type": "integer", "minimum": 1, "maximum": 36_500},
        "counterVisit": {
            "type": "object",
            "required": ["note"],
            "properties": {"note": _TEXT},
            "additionalProperties": False,
        },
        "delivery": {"enum": ["online", "post", "counter"]},
        "documents": {"type": "array", "items": _TEXT, "maxItems": 20},
        "botSteps": {"type": "boolean"},
        "form": {"type": "object"},
    },
    "additionalProperties": False,
}

LIFE_EVENT_FORMAT = {
    "type": "object",
    "required": ["kind", "code", "name", "procedures"],
    "properties": {
        "kind": {"const": "life_event"},
        "code": _CODE,
        "name": _TEXT,
        "description": _TEXT,
        "questions": {
            "type": "array",
            "maxItems": 5,
            "items": {
                "type": "object",
                "required": ["key", "label"],
                "properties": {
                    "key": {"type": "string", "pattern": "^event\\.[a-z][A-Za-z0-9]*$"},
                    "label": _TEXT,
                },
                "additionalProperties": False,
            },
        },
        "procedures": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code"],
                "properties": {"code": _CODE, "when": {"type": "object"}},
                "additionalProperties": False,
            },
        },
        "guidance": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["text"],
                "properties": {"when": {"type": "object"}, "text": _TEXT},
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


class DefinitionError(ValueError):
    """Definitions that cannot be loaded; `problems` lists (file, path, what)."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{file}: {path}: {what}" for file, path, what in problems))


@dataclass
class Catalogue:
    procedures: dict[str, dict[str, Any]] = field(default_factory=dict)
    life_events: dict[str, dict[str, Any]] = field(default_factory=dict)


def read_directory(directory: Path) -> Catalogue:
    """Every `*.json` under `directory`, checked; any problem fails the whole read."""
    catalogue, problems = Catalogue(), []
    files = sorted(p for p in Path(directory).rglob("*.json") if p.is_file())
    if not files:
        raise DefinitionError([(str(directory), "", "no definition files (*.json) found")])
    for path in files:
        name = str(path)
        definition, found = _read(path)
        problems += [(name, where, what) for where, what in found]
        if definition is None or found:
            continue
        into = catalogue.procedures if definition["kind"] == "procedure" else catalogue.life_events
        if definition["code"] in into:
            problems.append((name, "code", f"{definition['code']!r} is defined twice"))
        into[definition["code"]] = definition
    for code, event in catalogue.life_events.items():
        problems += [(f"life event {code}", w, p) for w, p in _event_problems(event, catalogue)]
    problems += _shared_key_problems(catalogue)
    if problems:
        raise DefinitionError(problems)
    return catalogue


def _read(path: Path) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
    if path.stat().st_size > MAX_FILE_BYTES:
        return None, [("", f"larger than {MAX_FILE_BYTES} bytes")]
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, [("", f"not UTF-8 JSON: {error}")]
    if not isinstance(definition, dict) or definition.get("kind") not in (
        "procedure",
        "life_event",
    ):
        return None, [("kind", 'must be "procedure" or "life_event"')]
    return definition, definition_problems(definition)


def definition_problems(definition: dict[str, Any]) -> list[tuple[str, str]]:
    is_procedure = definition["kind"] == "procedure"
    layout = PROCEDURE_FORMAT if is_procedure else LIFE_EVENT_FORMAT
    problems = [
        (_json_path(error.absolute_path), error.message)
        for error in Draft202012Validator(layout).iter_errors(definition)
    ]
    if problems or not is_procedure:
        return problems
    problems += form_problems(definition["form"])
    per_field = definition.get("fee", {}).get("perField")
    if per_field:
        prop = definition["form"]["schema"]["properties"].get(per_field, {})
        if prop.get("type") != "integer" or "maximum" not in prop:
            problems.append(("fee.perField", "must name an integer field with a maximum"))
    return problems


def _json_path(parts: Any) -> str:
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
    return text.lstrip(".") or "(top)"


def _event_problems(event: dict[str, Any], catalogue: Catalogue) -> list[tuple[str, str]]:
    problems = []
    keys = {q["key"] for q in event.get("questions", [])}
    for index, item in enumerate(event["procedures"]):
        if item["code"] not in catalogue.procedures:
            problems.append((f"procedures[{index}].code", f"no procedure {item['code']!r}"))
        problems += [
            (f"procedures[{index}].when", f"unknown question {k!r}")
            for k in item.get("when", {})
            if k not in keys
        ]
    return problems


def _shared_key_problems(catalogue: Catalogue) -> list[tuple[str, str, str]]:
    """A shared key is one question: every procedure that asks it defines it alike."""
    first: dict[str, tuple[str, str]] = {}
    problems = []
    for code, definition in catalogue.procedures.items():
        for key, prop in definition["form"]["schema"]["properties"].items():
            if "." not in key:
                continue
            text = json.dumps(prop, sort_keys=True)
            if key in first and first[key][1] != text:
                problems.append(
                    (
                        f"procedure {code}",
                        f"form.schema.properties.{key}",
                        f"defined differently from procedure {first[key][0]!r}",
                    )
                )
            first.setdefault(key, (code, text))
    return problems
