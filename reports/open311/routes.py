"""Open311 GeoReport v2 at /open311/v2/: each resource as .json and .xml.

Errors are the specification's ``[{code, description}]`` with HTTP 400 (bad or missing
parameters), 403 (api_key not valid) and 404 (no such service, request, token or format),
each description in the caller's language (``locale``, else ``Accept-Language``). An
unexpected failure is logged with the request id and answered 500 in the same shape.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import reports.open311.texts  # noqa: F401 - registers the texts
from core import clock
from core.bad_input import as_app_error
from core.errors import AppError, ErrorCode
from core.i18n import normalize_language, t
from core.urls import base_url
from reports.errors import PhotoError
from reports.geocoding import GeocodingFailed, geocoder_for
from reports.open311 import service as open311
from reports.open311.format import (
    discovery_document,
    errors_document,
    render,
    request_created_document,
    service_definition_document,
    service_requests_document,
    services_document,
    token_document,
    validation_errors,
)
from reports.open311.parse import NewServiceRequest, parse_create_request
from reports.open311.query import parse_requests_query
from reports.open311.types import Discovery, Endpoint, Open311Error, RequestCreated
from reports.photos.processing import read_limited
from reports.service import NewReport, submit_report
from reports.validation import ValidationFailed, parse_pairs

PREFIX = "/open311/v2"
FORMATS = ("json", "xml")
# Our error fields named as the Open311 client sent them.
FIELD_NAMES = {"categoryCode": "service_code", "lat": "lat", "lng": "long", "photos": "media"}
_STARTED = clock.now().replace(microsecond=0)
STATUS_BY_CODE = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.UNAUTHENTICATED: 403,
    ErrorCode.INTERNAL: 500,
}

log = logging.getLogger(__name__)


class Open311Failure(Exception):
    """A failure to answer with ``status``; ``key`` names its text (reports/open311/texts.py)."""

    def __init__(self, status: int, key: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.field = field
        self.params = params

    def description(self, language: str) -> str:
        text = t(self.key, language, **self.params)
        return f"{self.field}: {text}" if self.field else text


def _split(name: str) -> tuple[str, str]:
    stem, dot, fmt = name.rpartition(".")
    if not dot or fmt not in FORMATS or not stem:
        raise Open311Failure(404, "open311.unknown_format")
    return stem, fmt


def _language(request: Request) -> str:
    return normalize_language(
        request.query_params.get("locale") or request.headers.get("accept-language")
    )


def _respond(document, fmt: str, status: int = 200) -> Response:
    body, content_type = render(document, fmt)
    return Response(
        body,
        status_code=status,
        media_type=content_type.split(";")[0],
        headers={"content-type": content_type},
    )


def _errors(errors: list[Open311Error], fmt: str) -> Response:
    status = errors[0].code if isinstance(errors[0].code, int) else 400
    return _respond(errors_document(errors), fmt, status)


def format_of_path(path: str) -> str:
    suffix = path.rpartition(".")[2]
    return suffix if suffix in FORMATS else "json"


def _fmt_of(request: Request) -> str:
    return format_of_path(request.url.path)


def error_shape(status: int, error: AppError, scope: Any, request_id: str) -> Response:
    """A coded error met outside the handlers (no such route, a refused query string) as one
    GeoReport v2 error, in the format the path asks for (JSON unless it ends in .xml)."""
    request = Request(scope)
    text = error.localized(_language(request))
    if error.code is not ErrorCode.INTERNAL:
        text = f"{_open311_field(error.field)}: {text}"
    return _errors([Open311Error(status, text)], format_of_path(request.url.path))


def _guarded(handler):
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except Open311Failure as failure:
            description = failure.description(_language(request))
            return _errors([Open311Error(failure.status, description)], _fmt_of(request))
        except ValidationFailed as failure:
            return _errors(validation_errors(failure, _language(request)), _fmt_of(request))
        except Exception as error:  # noqa: BLE001 - every failure answers in Open311's shape
            return _coded_error(request, error)

    return endpoint


def _coded_error(request: Request, error: Exception) -> Response:
    coded = as_app_error(error)
    if coded is None:
        request_id = request.scope.get("state", {}).get("request_id", "-")
        log.error(
            "unexpected error in %s (request %s)", request.url.path, request_id, exc_info=error
        )
        coded = AppError(ErrorCode.INTERNAL, "error.internal", request_id=request_id)
    status = STATUS_BY_CODE.get(coded.code, 400)
    text = coded.localized(_language(request))
    if coded.code is not ErrorCode.INTERNAL:
        text = f"{_open311_field(coded.field)}: {text}"
    return _errors([Open311Error(status, text)], _fmt_of(request))


def _open311_field(field: str | None) -> str:
    if not field:
        return "request"
    if field.startswith("answers."):
        return field.removeprefix("answers.")
    return FIELD_NAMES.get(field.split(".")[0], field)


def _base_url(request: Request) -> str:
    return base_url(request.app.state.services.settings, request)


async def discovery(request: Request) -> Response:
    _, fmt = _split(request.path_params["name"])
    endpoint = Endpoint(url=f"{_base_url(request)}{PREFIX}", changeset=_STARTED)
    document = Discovery(
        changeset=_STARTED,
        contact="二本松市 窓口 / City of Nihonmatsu service counter",
        key_service="API keys for POST /requests are issued by the city's counter (窓口) on request.",
        endpoints=[endpoint],
    )
    return _respond(discovery_document(document), fmt)


async def services(request: Request) -> Response:
    _, fmt = _split(request.path_params["name"])
    return _respond(services_document(await open311.services(_language(request))), fmt)


async def service_definition(request: Request) -> Response:
    code, fmt = _split(request.path_params["name"])
    definition = await open311.service_definition(code, _language(request))
    if definition is None:
        raise Open311Failure(404, "open311.no_service", field="service_code", value=code[:100])
    return _respond(service_definition_document(definition), fmt)


def _media_url(request: Request):
    base = _base_url(request)
    return lambda key: f"{base}/media/reports/{key}"


async def requests(request: Request) -> Response:
    _, fmt = _split(request.path_params["name"])
    if request.method == "POST":
        return await _create(request, fmt)
    query = parse_requests_query(request.query_params.multi_items(), now=clock.now())
    found = await open311.find_requests(query)
    items = await open311.service_requests(found, _language(request), _media_url(request))
    return _respond(service_requests_document(items), fmt)


async def one_request(request: Request) -> Response:
    receipt, fmt = _split(request.path_params["name"])
    report = await open311.request_by_receipt(receipt)
    if report is None:
        raise Open311Failure(
            404, "open311.no_request", field="service_request_id", value=receipt[:100]
        )
    items = await open311.service_requests([report], _language(request), _media_url(request))
    return _respond(service_requests_document(items), fmt)


async def token(request: Request) -> Response:
    value, fmt = _split(request.path_params["name"])
    found = await open311.token_lookup(value)
    if found is None:
        raise Open311Failure(404, "open311.no_token", field="token", value=value[:100])
    return _respond(token_document([found]), fmt)


async def _create(request: Request, fmt: str) -> Response:
    pairs, media = await _form(request)
    api_key = next((value for name, value in pairs if name == "api_key" and value.strip()), None)
    if api_key is None:
        raise Open311Failure(400, "open311.api_key_missing", field="api_key")
    key = await open311.key_for(api_key.strip())
    if key is None:
        raise Open311Failure(403, "open311.api_key_invalid", field="api_key")
    new = parse_create_request(pairs, location_required=not media)
    if await open311.service_definition(new.service_code, "ja") is None:
        raise Open311Failure(
            404, "open311.no_service", field="service_code", value=new.service_code[:100]
        )
    settings = request.app.state.services.settings
    lat, lng = await _position(new, settings, media)
    submitted = await submit_report(
        settings=settings,
        new=NewReport(
            category_code=new.service_code,
            description=new.description or "",
            lat=lat,
            lng=lng,
            photos=media,
            answers=dict(new.attributes),
            source="open311",
            contact=open311.contact_of(new),
            media_url=new.media_url,
        ),
        resident=None,
        open311_key=key,
    )
    created = RequestCreated(
        service_request_id=submitted.report.receipt_number,
        service_notice=t("reports.open311_notice", _language(request)),
        account_id=new.account_id,
    )
    return _respond(request_created_document([created]), fmt)


async def _form(request: Request) -> tuple[list[tuple[str, str]], list[bytes]]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await request.form(max_files=4, max_fields=200)
        pairs, media = [], []
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                try:
                    media.append(await read_limited(value))
                except PhotoError as error:
                    raise Open311Failure(
                        400,
                        "open311.as_given",
                        field="media",
                        text=error.message(_language(request)),
                    ) from None
            else:
                pairs.append((name, value))
        return pairs, media
    return parse_pairs(await request.body(), max_fields=200), []


async def _position(
    new: NewServiceRequest, settings: Any, media: list[bytes]
) -> tuple[float | None, float | None]:
    if new.position is not None:
        return new.position
    if media and not new.address_string:
        return None, None  # the photo's own GPS position, if it has one
    geocoder = geocoder_for(settings.nominatim_url)
    place = new.address_string
    if geocoder is None or not place:
        raise Open311Failure(400, "open311.position_needed", field="lat/long")
    try:
        found = await geocoder.locate(place)
    except GeocodingFailed:
        found = None
    if found is None:
        raise Open311Failure(400, "open311.address_unknown", field="address_string")
    return found


_ROOT = {"discovery": discovery, "services": services, "requests": requests}


async def _dispatch_root(request: Request) -> Response:
    stem = request.path_params["name"].rpartition(".")[0]
    handler = _ROOT.get(stem)
    if handler is None or (request.method == "POST" and stem != "requests"):
        return _errors(
            [Open311Error(404, t("open311.not_found", _language(request)))], _fmt_of(request)
        )
    return await _guarded(handler)(request)


routes = [
    Route(PREFIX + "/{name:str}", _dispatch_root, methods=["GET", "POST"]),
    Route(PREFIX + "/services/{name:str}", _guarded(service_definition), methods=["GET"]),
    Route(PREFIX + "/requests/{name:str}", _guarded(one_request), methods=["GET"]),
    Route(PREFIX + "/tokens/{name:str}", _guarded(token), methods=["GET"]),
]
