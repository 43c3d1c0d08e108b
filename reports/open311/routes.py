"""Open311 GeoReport v2 at /open311/v2/: each resource as .json and .xml.

Errors are the specification's ``[{code, description}]`` with HTTP 400 (bad or missing
parameters), 403 (api_key not valid) and 404 (no such service, request, token or format).
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core import clock
from core.errors import AppError, ErrorCode
from core.i18n import normalize_language, t
from reports.errors import PhotoError
from reports.geocoding import GeocodingFailed, geocoder_for
from reports.messages import message
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


class Open311Failure(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _split(name: str) -> tuple[str, str]:
    stem, dot, fmt = name.rpartition(".")
    if not dot or fmt not in FORMATS or not stem:
        raise Open311Failure(404, "Unknown format: use .json or .xml")
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


def _fmt_of(request: Request) -> str:
    name = request.path_params.get("name", "")
    return name.rpartition(".")[2] if name.rpartition(".")[2] in FORMATS else "json"


def _guarded(handler):
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except Open311Failure as failure:
            return _errors([Open311Error(failure.status, failure.description)], _fmt_of(request))
        except ValidationFailed as failure:
            return _errors(validation_errors(failure, _language(request)), _fmt_of(request))
        except AppError as error:
            status = 404 if error.code is ErrorCode.NOT_FOUND else 400
            if error.code is ErrorCode.RATE_LIMITED:
                status = 429
            field = _open311_field(error.field)
            text = f"{field}: {error.localized(_language(request))}"
            return _errors([Open311Error(status, text)], _fmt_of(request))

    return endpoint


def _open311_field(field: str | None) -> str:
    if not field:
        return "request"
    if field.startswith("answers."):
        return field.removeprefix("answers.")
    return FIELD_NAMES.get(field.split(".")[0], field)


def _base_url(request: Request) -> str:
    configured = request.app.state.services.settings.public_base_url
    return configured or str(request.base_url).rstrip("/")


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
        raise Open311Failure(404, f"service_code {code} not found")
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
        raise Open311Failure(404, f"service_request_id {receipt} not found")
    items = await open311.service_requests([report], _language(request), _media_url(request))
    return _respond(service_requests_document(items), fmt)


async def token(request: Request) -> Response:
    value, fmt = _split(request.path_params["name"])
    found = await open311.token_lookup(value)
    if found is None:
        raise Open311Failure(404, f"token {value} not found")
    return _respond(token_document([found]), fmt)


async def _create(request: Request, fmt: str) -> Response:
    pairs, media = await _form(request)
    api_key = next((value for name, value in pairs if name == "api_key" and value.strip()), None)
    if api_key is None:
        raise Open311Failure(
            400, "api_key: " + message("FIELD_REQUIRED", _language(request), field="api_key")
        )
    key = await open311.key_for(api_key.strip())
    if key is None:
        raise Open311Failure(403, "api_key is not valid")
    new = parse_create_request(pairs, location_required=not media)
    if await open311.service_definition(new.service_code, "ja") is None:
        raise Open311Failure(404, f"service_code {new.service_code} not found")
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
                        400, f"media: {error.message(_language(request))}"
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
        raise Open311Failure(
            400, "lat/long: this city needs lat and long (address_id is not supported)"
        )
    try:
        found = await geocoder.locate(place)
    except GeocodingFailed:
        found = None
    if found is None:
        raise Open311Failure(
            400, "address_string: the address could not be found; send lat and long"
        )
    return found


_ROOT = {"discovery": discovery, "services": services, "requests": requests}


async def _dispatch_root(request: Request) -> Response:
    stem = request.path_params["name"].rpartition(".")[0]
    handler = _ROOT.get(stem)
    if handler is None or (request.method == "POST" and stem != "requests"):
        return _errors([Open311Error(404, "Not found")], _fmt_of(request))
    return await _guarded(handler)(request)


routes = [
    Route(PREFIX + "/{name:str}", _dispatch_root, methods=["GET", "POST"]),
    Route(PREFIX + "/services/{name:str}", _guarded(service_definition), methods=["GET"]),
    Route(PREFIX + "/requests/{name:str}", _guarded(one_request), methods=["GET"]),
    Route(PREFIX + "/tokens/{name:str}", _guarded(token), methods=["GET"]),
]
