"""Check the ``attribute[CODE]`` answers of a new request against its service definition."""

from __future__ import annotations

from collections.abc import Mapping

from reports.open311.types import AttributeAnswer, Datatype, ServiceAttribute, ServiceDefinition
from reports.times import parse_w3_datetime
from reports.validation import FieldError, ValidationFailed, parse_decimal, text_error


def validate_attributes(
    definition: ServiceDefinition, answers: Mapping[str, AttributeAnswer]
) -> dict[str, AttributeAnswer]:
    """The answers, normalised: multivaluelist answers always a tuple, all others a string.

    Raises :class:`ValidationFailed` listing required attributes left out,
    attributes the service does not ask for, values not among the choices,
    numbers and date-times that do not parse, and lists given where one value is due.
    """
    errors: list[FieldError] = []
    accepted: dict[str, AttributeAnswer] = {}
    asked = {attribute.code: attribute for attribute in definition.attributes if attribute.variable}
    for code in answers.keys() - asked.keys():
        errors.append(FieldError(f"attribute[{code}]", "ATTRIBUTE_UNKNOWN"))
    for code, attribute in asked.items():
        answer = answers.get(code)
        if answer is None or answer == ():
            if attribute.required:
                errors.append(FieldError(f"attribute[{code}]", "FIELD_REQUIRED"))
            continue
        checked = _checked_answer(attribute, answer, errors)
        if checked is not None:
            accepted[code] = checked
    if errors:
        raise ValidationFailed(sorted(errors, key=lambda error: error.field))
    return accepted


def _checked_answer(
    attribute: ServiceAttribute, answer: AttributeAnswer, errors: list[FieldError]
) -> AttributeAnswer | None:
    field = f"attribute[{attribute.code}]"
    if attribute.datatype is Datatype.MULTIVALUELIST:
        chosen = (answer,) if isinstance(answer, str) else tuple(answer)
        keys = {value.key for value in attribute.values}
        wrong = [value for value in chosen if value not in keys]
        for value in wrong:
            errors.append(FieldError(field, "ATTRIBUTE_VALUE_NOT_ALLOWED", {"value": value}))
        return None if wrong else tuple(dict.fromkeys(chosen))
    if not isinstance(answer, str):
        if len(answer) != 1:
            errors.append(FieldError(field, "ATTRIBUTE_SINGLE_VALUE"))
            return None
        answer = answer[0]
    problem = _single_value_problem(attribute, field, answer)
    if problem is not None:
        errors.append(problem)
        return None
    return answer


def _single_value_problem(attribute: ServiceAttribute, field: str, value: str) -> FieldError | None:
    datatype = attribute.datatype
    if datatype is Datatype.SINGLEVALUELIST and value not in {
        choice.key for choice in attribute.values
    }:
        return FieldError(field, "ATTRIBUTE_VALUE_NOT_ALLOWED", {"value": value})
    if datatype is Datatype.NUMBER and parse_decimal(value) is None:
        return FieldError(field, "FIELD_NOT_A_NUMBER")
    if datatype is Datatype.DATETIME:
        try:
            parse_w3_datetime(value)
        except ValueError as error:
            code = "DATETIME_NEEDS_TIMEZONE" if str(error) == "no timezone" else "DATETIME_INVALID"
            return FieldError(field, code)
    if datatype is Datatype.STRING:
        return text_error(field, value, 1000, multiline=False)
    return None
