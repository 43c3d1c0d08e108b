"""Runs the documents in graphql/operations in-process, as a given resident.

The bot is a client of the API like the mobile app: it sends the same documents and
gets the same answers and errors, so authorization is written once, in the schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from accounts.models import Resident
from core.context import Context
from core.i18n import normalize_language
from core.settings import Settings

OPERATIONS_DIR = Path(__file__).resolve().parent.parent / "graphql" / "operations"
FRAGMENTS_DIR = OPERATIONS_DIR.parent / "fragments"
_SPREAD = re.compile(r"\.\.\.\s*(?!on\b)([_A-Za-z][_0-9A-Za-z]*)")
_DEFINED = re.compile(r"^fragment\s+([_A-Za-z][_0-9A-Za-z]*)", re.MULTILINE)


@cache
def operation(name: str) -> str:
    """The text of graphql/operations/<name>.graphql, with the shared fragments it spreads
    (graphql/fragments/<Fragment>.graphql, and those they spread) appended."""
    text = _read(OPERATIONS_DIR, name)
    needed = _undefined_spreads(text)
    while needed:
        text += "\n" + _read(FRAGMENTS_DIR, needed.pop())
        needed = _undefined_spreads(text)
    return text


def _read(folder: Path, name: str) -> str:
    path = folder / f"{name}.graphql"
    if path.parent != folder or not path.is_file():
        raise ValueError(f"no document {name!r} in {folder.name}")
    return path.read_text(encoding="utf-8")


def _undefined_spreads(text: str) -> set[str]:
    return set(_SPREAD.findall(text)) - set(_DEFINED.findall(text))


@dataclass
class OperationError(Exception):
    code: str
    message: str
    field: str | None = None


@dataclass
class OperationResult:
    data: dict[str, Any] | None
    errors: list[OperationError] = field(default_factory=list)

    def raise_for_errors(self) -> dict[str, Any]:
        if self.errors:
            raise self.errors[0]
        return self.data or {}


class Executor:
    def __init__(self, schema: Any, settings: Settings) -> None:
        self.schema = schema
        self.settings = settings

    async def run(
        self, name: str, variables: dict[str, Any] | None = None, *, resident: Resident | None
    ) -> OperationResult:
        context = Context(settings=self.settings, resident=resident)
        if resident is not None:
            context.language = normalize_language(resident.language)
            context.client_key = f"r:{resident.id}"
        result = await self.schema.execute(
            operation(name), variable_values=variables or {}, context_value=context
        )
        errors = [
            OperationError(
                code=(error.extensions or {}).get("code", "INTERNAL"),
                message=error.message,
                field=(error.extensions or {}).get("field"),
            )
            for error in result.errors or ()
        ]
        return OperationResult(data=result.data, errors=errors)
