"""The GraphQL endpoint: Strawberry's ASGI view with Madoguchi's context and guards.

A plain JSON POST — what the app and most clients send — is answered by a short path
that runs the same schema with the same context and error handling; everything else
(GET, multipart uploads, incremental delivery, GraphiQL, websockets) is Strawberry's view.
"""

from __future__ import annotations

import json
from typing import Any

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

from api.context import context_for_request, identify
from api.observability import note_operation
from core.context import Context
from core.settings import Settings

_POST_OPERATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})


class UnicodeJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
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


def _request_fields(payload: Any) -> tuple[str, dict | None, str | None, dict | None] | None:
    if not isinstance(payload, dict):
        return None
    query, variables = payload.get("query"), payload.get("variables")
    operation_name, extensions = payload.get("operationName"), payload.get("extensions")
    if not isinstance(query, str) or not query:
        return None
    if variables is not None and not isinstance(variables, dict):
        return None
    if operation_name is not None and not isinstance(operation_name, str):
        return None
    if extensions is not None and not isinstance(extensions, dict):
        return None
    return query, variables, operation_name, extensions


class GraphQLApp(GraphQL):
    def __init__(self, schema: Any, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.debug else None,
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            multipart_uploads_enabled=True,  # guarded by RequestGuard's CSRF check
            keep_alive=True,
            keep_alive_interval=20,
        )
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _is_plain_json_post(scope):
            response = await self._answer_json_post(Request(scope, receive))
            await response(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def _answer_json_post(self, request: Request) -> Response:
        try:
            fields = _request_fields(json.loads(await request.body()))
        except ValueError:
            fields = None
        if fields is None:
            return Response(
                "Unable to parse the request body as a GraphQL request", status_code=400
            )
        query, variables, operation_name, extensions = fields
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
        except CannotGetOperationTypeError as error:
            return Response(error.as_http_error_reason(), status_code=400)
        except InvalidOperationTypeError as error:
            return Response(error.as_http_error_reason("POST"), status_code=400)
        except MissingQueryError:
            return Response("No GraphQL query found in the request", status_code=400)
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
