"""Report categories: look-ups, their extra questions as Open311 attributes, answer checks.

A category's ``questions`` is a list of Open311 attributes with names in both languages:

    {"code": "lamp_state", "datatype": "singlevaluelist", "required": true,
     "description_ja": "電灯の状態", "description_en": "Lamp state",
     "values": [{"key": "off", "name_ja": "消えている", "name_en": "Off"}, ...]}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.errors import AppError, ErrorCode
from reports.models import Category
from reports.open311.attributes import validate_attributes
from reports.open311.types import (
    AttributeAnswer,
    AttributeValue,
    Datatype,
    Service,
    ServiceAttribute,
    ServiceDefinition,
)
from reports.validation import ValidationFailed
from reports.workflow import Targets


def localized(item: Mapping[str, Any] | Any, name: str, language: str) -> str:
    """``item.name_en`` for English callers, ``item.name_ja`` otherwise (dict or model)."""
    suffix = "en" if language == "en" else "ja"
    if isinstance(item, Mapping):
        return str(item.get(f"{name}_{suffix}") or item.get(f"{name}_ja") or "")
    return str(getattr(item, f"{name}_{suffix}") or getattr(item, f"{name}_ja"))


async def active_categories() -> list[Category]:
    return (
        await Category.filter(is_active=True)
        .order_by("position", "id")
        .select_related("department")
    )


async def category_by_code(code: str, *, field: str = "categoryCode") -> Category:
    category = await Category.get_or_none(code=code.strip(), is_active=True).select_related(
        "department"
    )
    if category is None:
        raise AppError(
            ErrorCode.VALIDATION, "reports.unknown_category", field=field, value=code[:40]
        )
    return category


def targets(category: Category) -> Targets:
    return Targets(category.acknowledge_hours, category.resolve_hours)


def definition(category: Category, language: str) -> ServiceDefinition:
    attributes = [
        ServiceAttribute(
            code=question["code"],
            datatype=Datatype(question.get("datatype", "string")),
            description=localized(question, "description", language),
            order=index,
            required=bool(question.get("required", False)),
            variable=bool(question.get("variable", True)),
            values=[
                AttributeValue(key=value["key"], name=localized(value, "name", language))
                for value in question.get("values", ())
            ],
        )
        for index, question in enumerate(category.questions or (), start=1)
    ]
    return ServiceDefinition(service_code=category.code, attributes=attributes)


def as_service(category: Category, language: str) -> Service:
    return Service(
        service_code=category.code,
        service_name=localized(category, "name", language),
        description=localized(category, "description", language) or None,
        metadata=bool(category.questions),
        keywords=tuple(word.strip() for word in category.keywords.split(",") if word.strip()),
        group=localized(category.department, "name", language),
    )


def checked_answers(
    category: Category, answers: Mapping[str, AttributeAnswer], *, field: str = "answers"
) -> dict[str, AttributeAnswer]:
    """The answers to the category's questions, or VALIDATION naming the first wrong one."""
    try:
        return validate_attributes(definition(category, "ja"), answers)
    except ValidationFailed as failure:
        first = failure.errors[0]
        raise AppError(
            ErrorCode.VALIDATION,
            f"reports.{first.code}",
            field=f"{field}.{first.field}",
            name=first.field,
            **first.params,
        ) from None
