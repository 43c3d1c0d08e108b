"""The staff issue map page and the app's own static files (Leaflet included, no CDN)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"


@cache
def _template(name: str) -> str:
    return (TEMPLATES_DIR / name).read_text(encoding="utf-8")


def _tile_origin(tile_url: str) -> str:
    parts = urlsplit(tile_url)
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


def _policy(tile_url: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {_tile_origin(tile_url)}",
            "connect-src 'self' ws: wss:",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _page_config(request: Request) -> str:
    settings = request.app.state.services.settings
    min_lng, min_lat, max_lng, max_lat = settings.service_area
    config = {
        "tileUrl": settings.map_tile_url,
        "attribution": settings.map_tile_attribution,
        "serviceArea": [[min_lat, min_lng], [max_lat, max_lng]],
    }
    # Inside <script type="application/json">: "<" escaped so no text can close the element.
    return json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")


async def staff_map(request: Request) -> Response:
    settings = request.app.state.services.settings
    page = _template("staff_map.html").replace("{{config}}", _page_config(request))
    return HTMLResponse(
        page,
        headers={
            "content-security-policy": _policy(settings.map_tile_url),
            "x-content-type-options": "nosniff",
            "referrer-policy": "same-origin",
            "cache-control": "no-store",
        },
    )


async def staff_safety(request: Request) -> Response:
    """The safety check's calls for help (安否確認), in the issue map's style."""
    settings = request.app.state.services.settings
    page = _template("staff_safety.html").replace("{{config}}", _page_config(request))
    return HTMLResponse(
        page,
        headers={
            "content-security-policy": _policy(settings.map_tile_url),
            "x-content-type-options": "nosniff",
            "referrer-policy": "same-origin",
            "cache-control": "no-store",
        },
    )


CASES_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


async def staff_cases(request: Request) -> Response:
    """The clerks' case queue (applications): log in, filter, open, act."""
    return HTMLResponse(
        _template("staff_cases.html"),
        headers={
            "content-security-policy": CASES_POLICY,
            "x-content-type-options": "nosniff",
            "referrer-policy": "same-origin",
            "cache-control": "no-store",
        },
    )


async def staff_alerts(request: Request) -> Response:
    """Crisis management: each alert's delivery, in all and by channel, refreshed live."""
    return HTMLResponse(
        _template("staff_alerts.html"),
        headers={
            "content-security-policy": CASES_POLICY,
            "x-content-type-options": "nosniff",
            "referrer-policy": "same-origin",
            "cache-control": "no-store",
        },
    )


async def staff_home(request: Request) -> Response:
    return RedirectResponse("/staff/map", status_code=307)


async def favicon(request: Request) -> Response:
    """Browsers ask /favicon.ico on their own; the icon is the SVG the pages link to."""
    return RedirectResponse("/static/favicon.svg", status_code=301)


routes = [
    Route("/favicon.ico", favicon, methods=["GET"]),
    Route("/staff", staff_home, methods=["GET"]),
    Route("/staff/map", staff_map, methods=["GET"]),
    Route("/staff/safety", staff_safety, methods=["GET"]),
    Route("/staff/cases", staff_cases, methods=["GET"]),
    Route("/staff/alerts", staff_alerts, methods=["GET"]),
    Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
]
