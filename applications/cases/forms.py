"""An application's form: its procedures' forms merged, and its answers checked."""

from __future__ import annotations

import json
from typing import Any

from applications.cases.models import Application
from applications.catalogue.service import ProcedureView, versions_by_id
from applications.forms.merge import merge_forms
from applications.forms.validation import FieldError, check_answers
from core.errors import AppError, ErrorCode

MAX_ANSWER_BYTES = 64_000


#: Merged forms by the versions merged (versions never change).
_MERGED: dict[tuple[tuple[int, str], ...], dict[str, Any]] = {}
MAX_MERGED = 512


def merged_form(procedures: list[ProcedureView]) -> dict[str, Any]:
    key = tuple((p.version_id, p.checksum) for p in procedures)
    merged = _MERGED.get(key)
    if merged is None:
        if len(_MERGED) >= MAX_MERGED:
            _MERGED.clear()
        merged = _MERGED[key] = merge_forms([p.form for p in procedures])
    return merged


async def procedures_of(application: Application) -> list[ProcedureView]:
    return await versions_by_id(list(application.version_ids))


async def form_of(application: Application) -> dict[str, Any]:
    return merged_form(await procedures_of(application))


def ensure_small(answers: Any, field: str = "answers") -> None:
    size = len(json.dumps(answers, ensure_ascii=False).encode())
    if size > MAX_ANSWER_BYTES:
        raise AppError(
            ErrorCode.VALIDATION,
            "applications.answers_too_large",
            field=field,
            limit=MAX_ANSWER_BYTES,
        )


def form_error(errors: list[FieldError], ui: dict[str, Any], language: str) -> AppError:
    """A VALIDATION error naming the first field, with every field error in `fieldErrors`."""
    first = errors[0]
    error = AppError(
        ErrorCode.VALIDATION,
        "applications.answers_invalid",
        field=first.field,
        count=len(errors),
        first=first.message(ui, language),
    )
    error.extensions["fieldErrors"] = [
        {"field": e.field, "path": list(e.path), "code": e.code, "message": e.message(ui, language)}
        for e in errors
    ]
    return error


def errors_in(form: dict[str, Any], answers: dict[str, Any], *, partial: bool) -> list[FieldError]:
    return check_answers(form["schema"], answers, partial=partial)
