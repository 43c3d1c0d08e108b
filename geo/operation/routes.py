"""The public status board over plain HTTP: `GET /shelters/status.geojson` (open data, no
log-in, cacheable with an ETag) and `GET /shelters`, a page that needs no JavaScript."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.errors import AppError
from core.i18n import normalize_language, t
from geo.operation import board, service
from geo.place_status import PlaceStatus
from geo.service import attribution

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(default=True),
)
PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def _language(request: Request) -> str:
    return normalize_language(
        request.query_params.get("lang") or request.headers.get("accept-language")
    )


def _statuses(raw: str | None) -> frozenset[PlaceStatus] | None:
    if not raw:
        return None
    try:
        return frozenset(PlaceStatus(part.strip().upper()) for part in raw.split(",") if part)
    except ValueError:
        raise service.invalid_status() from None


async def _entries(request: Request, bbox_field: str) -> list[service.BoardEntry]:
    settings = request.app.state.services.settings
    area = service.parse_area(request.query_params.get("bbox"), settings.service_area, bbox_field)
    statuses = _statuses(request.query_params.get("status"))
    return await service.board(area, statuses=statuses, field=bbox_field)


def _cached(request: Request, body: bytes, media_type: str, extra: dict[str, str]) -> Response:
    tag = board.etag(body)
    headers = {"etag": tag, "vary": "Accept-Language", **extra}
    if board.matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def _refused(error: AppError, language: str) -> JSONResponse:
    detail = {"field": error.field, "message": error.localized(language)}
    return JSONResponse({"errors": [detail]}, status_code=400)


async def status_geojson(request: Request) -> Response:
    language = _language(request)
    try:
        entries = await _entries(request, "bbox")
    except AppError as error:
        return _refused(error, language)
    headers = {"cache-control": "public, max-age=30", "access-control-allow-origin": "*"}
    return _cached(request, board.geojson(entries, language), board.CONTENT_TYPE, headers)


async def status_page(request: Request) -> Response:
    language = _language(request)
    try:
        entries = await _entries(request, "bbox")
    except AppError as error:
        return Response(error.localized(language), status_code=400, media_type="text/plain")
    rows = [board.row(entry, language) for entry in entries]
    page = TEMPLATES.get_template("shelters.html").render(
        t=lambda key, **params: t(key, language, **params),
        language=language,
        opened=[row for row in rows if row["opened"]],
        others=[row for row in rows if not row["opened"]],
        last_update=board.last_update(entries),
        attribution=attribution(language),
        other_language="en" if language == "ja" else "ja",
    )
    headers = {
        "cache-control": "no-cache",
        "content-security-policy": PAGE_POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
    }
    return _cached(request, page.encode(), "text/html; charset=utf-8", headers)


routes = [
    Route("/shelters/status.geojson", status_geojson, methods=["GET"]),
    Route("/shelters", status_page, methods=["GET"]),
]
