"""The GraphQL endpoint: Strawberry's ASGI view with Madoguchi's context and guards."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from api.context import context_for_request, identify
from core.context import Context
from core.settings import Settings


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

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        return await context_for_request(self.settings, request, response)

    async def on_ws_connect(self, context: Context) -> None:
        params = context.connection_params or {}
        authorization = params.get("authorization") or params.get("Authorization")
        if isinstance(authorization, str):
            await identify(context, authorization, params.get("language"))
        return None
