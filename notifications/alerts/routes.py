"""CAP out: an Atom index of the current alerts (as alert hubs read it) and each alert's CAP."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core import clock
from core.errors import AppError
from notifications.alerts import cap, feeds, service
from notifications.alerts.models import AlertStatus

CAP_TYPE = "application/cap+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
HEADERS = {"cache-control": "public, max-age=30", "x-content-type-options": "nosniff"}


def _base_url(request: Request) -> str:
    configured = request.app.state.services.settings.public_base_url
    return configured or str(request.base_url).rstrip("/")


async def alerts_atom(request: Request) -> Response:
    alerts = await feeds.current_alerts(clock.now())
    body = feeds.atom(alerts, base_url=_base_url(request), now=clock.now())
    return Response(body, media_type=ATOM_TYPE, headers=HEADERS)


async def alert_cap(request: Request) -> Response:
    try:
        alert = await service.alert_by_public_id(request.path_params["alert_id"])
    except AppError:
        return Response("not found\n", status_code=404, media_type="text/plain")
    if alert.status != AlertStatus.ACTUAL:
        return Response("not found\n", status_code=404, media_type="text/plain")
    return Response(cap.write(alert), media_type=CAP_TYPE, headers=HEADERS)


routes = [
    Route("/alerts.atom", alerts_atom, methods=["GET"]),
    Route("/alerts/{alert_id}.cap.xml", alert_cap, methods=["GET"]),
]
