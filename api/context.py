"""Who is calling: from the bearer token, or from the websocket's connection_init payload."""

from __future__ import annotations

from accounts.models import Resident, StaffMember
from accounts.service import caller_from_token
from api.boundary import request_id_of
from core.context import Context
from core.i18n import normalize_language
from core.settings import Settings


def _bearer(value: str | None) -> str | None:
    if value and value[:7].lower() == "bearer ":
        return value[7:].strip() or None
    return None


async def identify(
    context: Context, authorization: str | None, accept_language: str | None
) -> None:
    token = _bearer(authorization)
    caller = await caller_from_token(context.settings.secret_key, token) if token else None
    if isinstance(caller, Resident):
        context.resident = caller
        context.language = normalize_language(caller.language)
        context.client_key = f"r:{caller.id}"
    elif isinstance(caller, StaffMember):
        context.staff = caller
        context.language = normalize_language(caller.language)
        context.client_key = f"s:{caller.id}"
    else:
        context.language = normalize_language(accept_language)


def client_address(scope: dict) -> str:
    client = scope.get("client")
    return client[0] if client else "local"


async def context_for_request(settings: Settings, request, response) -> Context:
    context = Context(
        settings=settings,
        request=request,
        response=response,
        request_id=request_id_of(request.scope),
    )
    context.address = context.client_key = client_address(request.scope)
    headers = request.headers
    await identify(context, headers.get("authorization"), headers.get("accept-language"))
    return context
