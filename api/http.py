"""The GraphQL endpoint: Strawberry's ASGI view with Madoguchi's context and guards.

A plain JSON POST — what the app and most clients send — is answered by a short path
that runs the same schema with the same context and error handling; everything else
(GET, multipart uploads, incremental delivery, GraphiQL, websockets) is Strawberry's view.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import process_result
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.graphql import OperationType

from api import transport
from api.context import context_for_request, identify
from api.observability import note_operation
from api.transport import TransportFailure
from api.websocket import CodedTransportWSHandler
from core import jsonbody
from core.context import Context
from core.i18n import normalize_language
from core.settings import Settings

_POST_OPERATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})
# Operations one websocket may run at once (subscriptions, and queries sent over it).
MAX_OPERATIONS_PER_CONNECTION = 20


class UnicodeJSONResponse(JSONResponse):
    """Compact UTF-8 JSON; orjson writes it several times faster than the json module."""

    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content)
        except TypeError:  # what orjson refuses (integers past 64 bits, keys that are not text)
            return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()


def _is_plain_json_post(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "POST":
        return False
    content_type = accept = b""
    for key, value in scope["headers"]:
        if key == b"content-type":
            content_type = value
        elif key == b"accept":
            accept = value
    return content_type.split(b";")[0].strip() == b"application/json" and b"multipart" not in accept


def _request_fields(payload: Any) -> tuple[str, dict | None, str | None, dict | None]:
    if not isinstance(payload, dict):
        raise TransportFailure(400, "error.transport.bad_request")
    query, variables = payload.get("query"), payload.get("variables")
    operation_name, extensions = payload.get("operationName"), payload.get("extensions")
    if query is None or query == "":
        raise TransportFailure(400, "error.transport.no_query")
    if not isinstance(query, str):
        raise TransportFailure(400, "error.transport.bad_request")
    if variables is not None and not isinstance(variables, dict):
        raise TransportFailure(400, "error.transport.bad_request")
    if operation_name is not None and not isinstance(operation_name, str):
        raise TransportFailure(400, "error.transport.bad_request")
    if extensions is not None and not isinstance(extensions, dict):
        raise TransportFailure(400, "error.transport.bad_request")
    return query, variables, operation_name, extensions


def _language(request: Request) -> str:
    return normalize_language(request.headers.get("accept-language"))


class GraphQLApp(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = CodedTransportWSHandler

    def __init__(self, schema: Any, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.debug else None,
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            multipart_uploads_enabled=True,  # guarded by RequestGuard's CSRF check
            keep_alive=True,
            keep_alive_interval=20,
            max_subscriptions_per_connection=MAX_OPERATIONS_PER_CONNECTION,
        )
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            if _is_plain_json_post(scope):
                response = await self._answer_json_post(request)
            else:
                response = await self.run(request)
        except HTTPException as error:
            response = transport.from_http_exception(error, request.method).response(
                _language(request)
            )
        except TransportFailure as failure:
            response = failure.response(_language(request))
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        return jsonbody.loads(data)

    async def _answer_json_post(self, request: Request) -> Response:
        try:
            payload = jsonbody.loads(await request.body())
        except ValueError as error:
            found = transport.from_cause(error, "POST")
            raise found or TransportFailure(400, "error.transport.not_json") from None
        query, variables, operation_name, extensions = _request_fields(payload)
        note_operation(operation_name, query)
        context = await self.get_context(request, None)
        try:
            result = await self.schema.execute(
                query,
                variable_values=variables,
                context_value=context,
                operation_name=operation_name,
                allowed_operation_types=_POST_OPERATIONS,
                operation_extensions=extensions,
            )
        except (CannotGetOperationTypeError, InvalidOperationTypeError, MissingQueryError) as error:
            failure = transport.from_cause(error, "POST")
            assert failure is not None  # each of these has its failure
            raise failure from None
        return UnicodeJSONResponse(process_result(result))

    async def parse_http_body(self, request: Any) -> Any:
        data = await super().parse_http_body(request)
        if not isinstance(data, list):
            note_operation(data.operation_name, data.query)
        return data

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        return await context_for_request(self.settings, request, response)

    async def on_ws_connect(self, context: Context) -> None:
        params = context.connection_params or {}
        authorization = params.get("authorization") or params.get("Authorization")
        if isinstance(authorization, str):
            await identify(context, authorization, params.get("language"))
