"""The staff pages (issue map, case queue, alerts' delivery, 安否確認) and the app's own static
files (Leaflet included, no CDN). The pages share `staff_base.html`: the log-in form, the bar."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"


TEMPLATES = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(default=True)
)


@lru_cache(maxsize=32)
def _rendered(name: str, config: str = "") -> str:
    """A staff page; `config` (JSON, "<" escaped) goes into its <script type="application/json">."""
    return TEMPLATES.get_template(name).render(config=config)


def _page(html: str, policy: str) -> Response:
    return HTMLResponse(
        html,
        headers={
            "content-security-policy": policy,
            "x-content-type-options": "nosniff",
            "referrer-policy": "same-origin",
            "cache-control": "no-store",
        },
    )


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
    page = _rendered("staff_map.html", _page_config(request))
    return _page(page, _policy(settings.map_tile_url))


async def staff_safety(request: Request) -> Response:
    """The safety check's calls for help (安否確認), in the issue map's style."""
    settings = request.app.state.services.settings
    page = _rendered("staff_safety.html", _page_config(request))
    return _page(page, _policy(settings.map_tile_url))


CASES_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


async def staff_cases(request: Request) -> Response:
    """The clerks' case queue (applications): log in, filter, open, act."""
    return _page(_rendered("staff_cases.html"), CASES_POLICY)


async def staff_alerts(request: Request) -> Response:
    """Crisis management: each alert's delivery, in all and by channel, refreshed live."""
    return _page(_rendered("staff_alerts.html"), CASES_POLICY)


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
