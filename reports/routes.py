"""Plain HTTP for reports: the GeoJSON feed for map clients, report photos, and Open311."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.errors import ErrorCode
from core.i18n import normalize_language
from core.urls import base_url
from reports import queries
from reports.categories import localized
from reports.errors import StorageError
from reports.intake import photo_storage
from reports.map import geojson
from reports.map.bbox import BBox, bbox_error, parse_bbox
from reports.map.viewport import AreaFilter
from reports.models import Category, ReportPhoto
from reports.open311.routes import routes as open311_routes
from reports.storage import validate_key
from reports.validation import FieldError, ValidationFailed
from reports.workflow import OPEN311_STATUS, OPEN_STATUSES, Status

PHOTO_HEADERS = {
    "cache-control": "public, max-age=300",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'",
}


def _statuses(raw: str | None) -> frozenset[Status]:
    if not raw:
        return OPEN_STATUSES
    wanted: set[Status] = set()
    for part in (item.strip() for item in raw.split(",") if item.strip()):
        if part in ("open", "closed"):
            wanted |= {status for status, public in OPEN311_STATUS.items() if public == part}
            continue
        try:
            wanted.add(Status(part))
        except ValueError:
            raise ValidationFailed([FieldError("status", "STATUS_INVALID")]) from None
    return frozenset(wanted)


def _box(request: Request) -> BBox:
    raw = request.query_params.get("bbox")
    if raw is None:
        min_lng, min_lat, max_lng, max_lat = request.app.state.services.settings.service_area
        return BBox(min_lng, min_lat, max_lng, max_lat)
    problem = bbox_error(raw)
    if problem is not None:
        raise ValidationFailed([problem])
    return parse_bbox(raw)


async def _category_ids(raw: str | None) -> list[int]:
    if not raw:
        return []
    codes = [code.strip() for code in raw.split(",") if code.strip()][:50]
    return list(await Category.filter(code__in=codes).values_list("id", flat=True)) or [-1]


async def reports_geojson(request: Request) -> Response:
    language = normalize_language(request.headers.get("accept-language"))
    try:
        area = AreaFilter(
            box=_box(request),
            statuses=_statuses(request.query_params.get("status")),
            category_ids=await _category_ids(request.query_params.get("category")),
        )
    except ValidationFailed as failure:
        errors = [
            {
                "field": e.field,
                "message": e.message(language),
                "extensions": {"code": ErrorCode.VALIDATION.value, "field": e.field},
            }
            for e in failure.errors
        ]
        return JSONResponse({"errors": errors}, status_code=400)
    found = await queries.reports_in_area(area)
    categories = await queries.categories_by_id()
    photos = await queries.photos_of([report.id for report in found], include_hidden=False)
    base = base_url(request.app.state.services.settings, request)
    rows = []
    for report in found:
        category = categories[report.category_id]
        first = photos[report.id][0] if photos[report.id] else None
        rows.append(
            {
                "id": report.public_id,
                "lat": report.lat,
                "lng": report.lng,
                "status": report.status,
                "service_code": category.code,
                "service_name": localized(category, "name", language),
                "description": report.description,
                "address": report.address,
                "created_at": report.created_at,
                "updated_at": report.updated_at,
                "media_url": f"{base}/media/reports/{first.key}" if first else report.media_url,
                "thumb_url": f"{base}/media/reports/{first.thumb_key}" if first else None,
            }
        )
    body = json.dumps(geojson.feature_collection(rows), ensure_ascii=False, separators=(",", ":"))
    return Response(body, media_type=geojson.CONTENT_TYPE)


async def report_photo(request: Request) -> Response:
    key = request.path_params["key"]
    try:
        validate_key(key)
    except StorageError:
        return Response(status_code=404)
    photo = await ReportPhoto.get_or_none(key=key).select_related("report")
    variant = "full"
    if photo is None:
        photo = await ReportPhoto.get_or_none(thumb_key=key).select_related("report")
        variant = "thumb"
    if photo is None or photo.hidden or photo.report.hidden:
        return Response(status_code=404)
    storage = photo_storage(request.app.state.services.settings)
    try:
        data = await storage.read(key)
    except StorageError:
        return Response(status_code=404)
    content_type = photo.content_type if variant == "full" else "image/jpeg"
    return Response(data, media_type=content_type, headers=PHOTO_HEADERS)


routes = [
    Route("/reports.geojson", reports_geojson, methods=["GET"]),
    Route("/media/reports/{key:str}", report_photo, methods=["GET"]),
    *open311_routes,
]
