"""Open311 GeoReport v2 over the reports domain: services, requests, tokens, API keys.

A request's ``service_request_id`` is the report's receipt number; its token (for the
``tokens/{token}`` look-up) is the report's public id. The service is realtime: POST
answers with the id at once. Nothing about who filed a request is ever written out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from core import clock, security
from reports.categories import active_categories, as_service, definition, localized
from reports.map.grid import cells_covering
from reports.models import Category, Open311Key, Report, ReportPhoto
from reports.open311.query import RequestsQuery
from reports.open311.types import ServiceDefinition, ServiceRequest, TokenLookup
from reports.workflow import Status

# Builds the public URL of a stored photo from its storage key.
MediaUrl = Callable[[str], str]


async def create_key(name: str) -> tuple[Open311Key, str]:
    """A new API key; the plain key is returned once and only its digest is kept."""
    plain = security.opaque_token(24)
    key = await Open311Key.create(
        name=name.strip()[:100], key_hash=security.digest(plain), created_at=clock.now()
    )
    return key, plain


async def key_for(plain: str | None) -> Open311Key | None:
    if not plain:
        return None
    return await Open311Key.get_or_none(key_hash=security.digest(plain), revoked_at__isnull=True)


async def services(language: str):
    return [as_service(category, language) for category in await active_categories()]


async def service_definition(code: str, language: str) -> ServiceDefinition | None:
    category = await Category.get_or_none(code=code, is_active=True)
    return definition(category, language) if category is not None else None


async def find_requests(query: RequestsQuery) -> list[Report]:
    reports = Report.filter(hidden=False)
    if query.service_request_ids:
        reports = reports.filter(receipt_number__in=list(query.service_request_ids))
        return (
            await reports.order_by("-created_at", "-id")
            .limit(1000)
            .select_related("category", "department")
        )
    reports = reports.filter(status__in=[status.value for status in query.statuses])
    if query.service_codes:
        reports = reports.filter(category__code__in=list(query.service_codes))
    if query.start is not None:
        reports = reports.filter(created_at__gte=query.start)
    if query.end is not None:
        reports = reports.filter(created_at__lte=query.end)
    if query.bbox is not None:
        box = query.bbox
        reports = reports.filter(
            lat__gte=box.min_lat, lat__lte=box.max_lat, lng__gte=box.min_lng, lng__lte=box.max_lng
        )
        cells = cells_covering(box)
        if cells is not None:
            reports = reports.filter(cell__in=cells)
    ordered = reports.order_by("-created_at", "-id").offset(query.offset).limit(query.limit)
    return await ordered.select_related("category", "department")


async def request_by_receipt(receipt_number: str) -> Report | None:
    return await Report.get_or_none(receipt_number=receipt_number, hidden=False).select_related(
        "category", "department"
    )


async def token_lookup(token: str) -> TokenLookup | None:
    import uuid

    try:
        key = uuid.UUID(token)
    except ValueError:
        return None
    report = await Report.get_or_none(public_id=key, hidden=False)
    return TokenLookup(token=token, service_request_id=report.receipt_number) if report else None


async def first_photos(report_ids: list[int]) -> dict[int, str]:
    """The storage key of each report's first visible photo."""
    keys: dict[int, str] = {}
    photos = ReportPhoto.filter(report_id__in=report_ids, hidden=False).order_by(
        "report_id", "position", "id"
    )
    for photo in await photos:
        keys.setdefault(photo.report_id, photo.key)
    return keys


def status_notes(report: Report) -> str | None:
    if report.status == Status.DUPLICATE and report.public_note:
        return report.public_note
    return report.public_note or None


def as_service_request(
    report: Report, language: str, *, photo_key: str | None, media_url: MediaUrl
) -> ServiceRequest:
    category = report.category
    return ServiceRequest(
        service_request_id=report.receipt_number,
        status=str(report.status),
        status_notes=status_notes(report),
        service_code=category.code,
        service_name=localized(category, "name", language),
        description=report.description or None,
        agency_responsible=localized(report.department, "name", language),
        requested_datetime=report.created_at,
        updated_datetime=report.updated_at,
        expected_datetime=report.resolve_due_at,
        address=report.address,
        lat=report.lat,
        long=report.lng,
        media_url=media_url(photo_key) if photo_key else report.media_url,
    )


async def service_requests(
    reports: list[Report], language: str, media_url: MediaUrl
) -> list[ServiceRequest]:
    photos = await first_photos([report.id for report in reports])
    return [
        as_service_request(report, language, photo_key=photos.get(report.id), media_url=media_url)
        for report in reports
    ]


def contact_of(new: Any) -> dict[str, str]:
    """What an Open311 client tells about the requester; private, for staff only."""
    names = ("email", "first_name", "last_name", "phone", "device_id", "account_id")
    return {name: value for name in names if (value := getattr(new, name, None))}


def changeset(moment: datetime | None = None) -> datetime:
    return (moment or clock.now()).replace(microsecond=0)
