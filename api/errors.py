"""How errors reach a client: a code to branch on, a message in the caller's language.

Expected failures (AppError) keep their code and are translated. GraphQL's own errors
(syntax, validation, limits, wrong variable types) become BAD_QUERY. Anything else is
masked: the client gets INTERNAL and a request id, the log gets the traceback.
"""

from __future__ import annotations

import logging
import re
import uuid

from core.bad_input import as_app_error
from core.errors import AppError, ErrorCode
from core.i18n import register, t
from core.observability import count_error
from graphql import GraphQLError

log = logging.getLogger("madoguchi.api")


def _language(context: object) -> str:
    return getattr(context, "language", "ja")


def _request_id(context: object) -> str:
    """The request's id, given on first use; "-" without a request context."""
    if not hasattr(context, "request_id"):
        return "-"
    if not context.request_id:
        context.request_id = uuid.uuid4().hex[:12]
    return context.request_id


def _root_cause(error: GraphQLError) -> BaseException | None:
    """What went wrong under graphql-core's wrappers (a scalar's parse error, say)."""
    cause: BaseException | None = error.original_error
    while isinstance(cause, GraphQLError) and cause.original_error is not None:
        cause = cause.original_error
    return None if isinstance(cause, GraphQLError) else cause


def coded_cause(error: GraphQLError) -> AppError | None:
    cause = _root_cause(error)
    return as_app_error(cause) if cause is not None else None


_VARIABLE = re.compile(r"^Variable '\$(\w+)'")


def present_error(error: GraphQLError, context: object) -> GraphQLError:
    original = error.original_error
    if original is None and (error.extensions or {}).get("code"):
        return error  # already presented
    language = _language(context)
    coded = coded_cause(error)
    if coded is not None:
        extensions: dict[str, object] = {"code": coded.code.value}
        variable = _VARIABLE.match(error.message)
        field = coded.field or (variable.group(1) if variable else None)
        if field:
            extensions["field"] = field
        extensions.update(coded.extensions)
        return _rebuild(error, coded.localized(language), extensions)
    not_finite = _NOT_FINITE_VARIABLE.match(error.message)
    if not_finite and (original is None or isinstance(original, GraphQLError)):
        # A number, but NaN or infinite (JSON 1e309, or NaN from a lenient encoder): bad input,
        # not a bad query.
        detail = t("error.not_finite", language, name=not_finite.group(1))
        extensions = {"code": ErrorCode.VALIDATION.value, "field": not_finite.group(1)}
        return _rebuild(error, t("error.validation", language, detail=detail), extensions)
    if original is None or isinstance(original, GraphQLError):
        detail = error.message
        code = ErrorCode.BAD_QUERY.value
        return _rebuild(error, t("error.bad_query", language, detail=detail), {"code": code})
    request_id = _request_id(context)
    return _rebuild(
        error,
        t("error.internal", language, request_id=request_id),
        {"code": ErrorCode.INTERNAL.value, "requestId": request_id},
    )


register(
    {
        "error.not_finite": {
            "ja": "{name} には有限の数値を指定してください。",
            "en": "{name} must be a finite number.",
        }
    }
)
_NOT_FINITE_VARIABLE = re.compile(
    r"Variable '\$(\w+)' has invalid value: Float cannot represent non numeric value: -?(?:nan|inf)$"
)


def _rebuild(error: GraphQLError, message: str, extensions: dict) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def log_unexpected(errors: list[GraphQLError], context: object) -> None:
    for error in errors:
        original = error.original_error
        if original is None or isinstance(original, (AppError, GraphQLError)):
            continue
        if coded_cause(error) is not None:
            continue
        log.error(
            "unexpected error in %s (request %s)",
            ".".join(str(part) for part in error.path or ()) or "operation",
            _request_id(context),
            exc_info=(type(original), original, original.__traceback__),
        )


def log_and_present(errors: list[GraphQLError], context: object) -> None:
    """Log what was unexpected, then replace each error, in place, by what the client sees.

    In place, because Strawberry hands every result's error list (queries, mutations and
    each subscription event alike) to `Schema.process_errors` before it is sent.
    """
    log_unexpected(errors, context)
    errors[:] = [present_error(error, context) for error in errors]
    for error in errors:  # each result's errors come here once
        count_error(str((error.extensions or {}).get("code", ErrorCode.INTERNAL.value)))
