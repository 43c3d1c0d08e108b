"""GraphQL transport failures, answered in the GraphQL response shape.

Before an operation runs, the request itself can be wrong: a body that is not JSON, no or
an unsupported content type, no query, an unknown operationName, a mutation over GET, a
subscription over HTTP. Strawberry reports these as plain-text HTTPExceptions; here each
becomes `{"data": null, "errors": [{message, extensions: {code}}]}` with a message in the
caller's language and the status the GraphQL-over-HTTP specification names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from cross_web import HTTPException
from starlette.responses import Response
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

import api.texts  # noqa: F401 - registers the texts
from core.errors import ErrorCode
from core.i18n import t
from core.jsonbody import TooDeep


@dataclass(frozen=True)
class TransportFailure(Exception):
    status: int
    key: str
    code: ErrorCode = ErrorCode.BAD_QUERY
    params: dict[str, object] = field(default_factory=dict)

    def body(self, language: str) -> dict:
        message = t(self.key, language, **self.params)
        return {"data": None, "errors": [{"message": message, "extensions": {"code": self.code}}]}

    def response(self, language: str, headers: dict[str, str] | None = None) -> Response:
        content = json.dumps(self.body(language), ensure_ascii=False, separators=(",", ":"))
        return Response(
            content,
            status_code=self.status,
            media_type="application/json",
            headers=headers,
        )


_BY_REASON = {
    "Unsupported content type": (415, "error.transport.content_type"),
    "Unable to parse the multipart body": (400, "error.transport.multipart"),
    "File(s) missing in form data": (400, "error.transport.multipart"),
    "GraphQL only supports GET and POST requests.": (405, "error.transport.method"),
    "Not Found": (404, "error.transport.no_ide"),
}


def from_cause(cause: BaseException | None, method: str) -> TransportFailure | None:
    """The failure for an exception Strawberry raised while reading or starting a request."""
    if isinstance(cause, TooDeep):
        return TransportFailure(400, "error.transport.too_deep")
    if isinstance(cause, json.JSONDecodeError | UnicodeDecodeError):
        return TransportFailure(400, "error.transport.not_json")
    if isinstance(cause, MissingQueryError):
        return TransportFailure(400, "error.transport.no_query")
    if isinstance(cause, CannotGetOperationTypeError):
        if cause.operation_name is None:
            return TransportFailure(400, "error.transport.no_operation")
        return TransportFailure(
            400, "error.transport.operation_name", params={"name": cause.operation_name[:100]}
        )
    if isinstance(cause, InvalidOperationTypeError):
        if cause.operation_type is OperationType.SUBSCRIPTION:
            return TransportFailure(400, "error.transport.subscription_over_http")
        return TransportFailure(405, "error.transport.mutation_over_get", params={"method": method})
    return None


def from_http_exception(error: HTTPException, method: str) -> TransportFailure:
    found = from_cause(error.__cause__, method)
    if found is not None:
        return found
    status, key = _BY_REASON.get(error.reason, (error.status_code, "error.transport.bad_request"))
    return TransportFailure(status, key)
