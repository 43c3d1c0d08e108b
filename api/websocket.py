"""graphql-transport-ws with the API's error shape on every error message it sends.

Errors from running an operation are already presented by the schema; the few the
protocol handler makes itself (the per-connection operation limit, incremental delivery)
carry no code. They are given one here, on the way out.
"""

from __future__ import annotations

from typing import Any

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)

import api.texts  # noqa: F401 - registers the texts
from core.context import Context
from core.errors import ErrorCode
from core.i18n import t

_LIMIT_MESSAGE = "Subscription limit reached"


class CodedTransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    async def send_message(self, message: Any) -> None:
        if message.get("type") == "error":
            message = {**message, "payload": [self._coded(error) for error in message["payload"]]}
        await super().send_message(message)

    def _coded(self, error: dict[str, Any]) -> dict[str, Any]:
        if (error.get("extensions") or {}).get("code"):
            return error
        language = getattr(self.context, "language", "ja")
        if error.get("message") == _LIMIT_MESSAGE:
            limit = self.max_subscriptions_per_connection
            message = t("error.transport.subscription_limit", language, limit=limit)
            return {"message": message, "extensions": {"code": ErrorCode.RATE_LIMITED.value}}
        detail = error.get("message", "")
        message = t("error.bad_query", language, detail=detail)
        return {**error, "message": message, "extensions": {"code": ErrorCode.BAD_QUERY.value}}
