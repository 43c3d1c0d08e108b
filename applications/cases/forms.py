"""An application's form: its procedures' forms merged, and its answers checked."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from applications.cases.models import Application
from applications.catalogue.service import ProcedureView, versions_by_id
from applications.forms.merge import merge_forms
from applications.forms.validation import FieldError, check_answers
from core.errors import AppError, ErrorCode

MAX_ANSWER_BYTES = 64_000


@lru_cache(maxsize=256)
def _merged(key: tuple[int, ...], forms_text: str) -> dict[str, Any]:
    return merge_forms(json.loads(forms_text))


def merged_form(procedures: list[ProcedureView]) -> dict[str, Any]:
    key = tuple(p.version_id for p in procedures)
    return _merged(key, json.dumps([p.form for p in procedures], sort_keys=True))


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
