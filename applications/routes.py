"""Plain HTTP: an attachment or a receipt PDF, through a signed link made for one caller,
whose access is checked again here. Staff reads are written to the audit log."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from accounts import audit
from accounts.models import Resident, StaffMember
from applications import links
from applications.attachments import service as attachments
from applications.receipts.service import receipt_pdf
from core.errors import AppError

PRIVATE_HEADERS = {
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "referrer-policy": "no-referrer",
}


def _not_found() -> Response:
    return Response(status_code=404, headers=PRIVATE_HEADERS)


async def _caller(grant: links.Grant) -> Resident | StaffMember | None:
    kind, _, number = grant.caller.partition(":")
    if not number.isdecimal():
        return None
    if kind == "r":
        return await Resident.get_or_none(id=int(number))
    member = await StaffMember.get_or_none(id=int(number), is_active=True)
    return member


async def attachment(request: Request) -> Response:
    settings = request.app.state.services.settings
    public_id = request.path_params["id"]
    grant = links.read(
        settings.secret_key, request.query_params.get("t", ""), "attachment", public_id
    )
    caller = await _caller(grant) if grant else None
    if caller is None:
        return _not_found()
    try:
        if isinstance(caller, Resident):
            found = await attachments.readable_by_resident(caller.id, public_id)
        else:
            found, case = await attachments.readable_by_staff(caller, public_id)
            await audit.record(
                staff=caller,
                action="attachment.viewed",
                subject_type="case",
                subject_id=str(case.public_id),
                resident_id=case.resident_id,
                detail={"receipt": case.receipt_number, "field": found.field_key},
            )
        data = await attachments.read(settings, found)
    except AppError:
        return _not_found()
    disposition = "inline" if found.content_type != "application/pdf" else "attachment"
    return Response(
        data,
        media_type=found.content_type,
        headers={**PRIVATE_HEADERS, "content-disposition": f'{disposition}; filename="file"'},
    )


async def receipt(request: Request) -> Response:
    settings = request.app.state.services.settings
    public_id = request.path_params["id"]
    grant = links.read(settings.secret_key, request.query_params.get("t", ""), "receipt", public_id)
    caller = await _caller(grant) if grant else None
    if not isinstance(caller, Resident):
        return _not_found()
    try:
        pdf = await receipt_pdf(settings=settings, resident=caller, application_id=public_id)
    except AppError:
        return _not_found()
    return Response(
        pdf,
        media_type="application/pdf",
        headers={**PRIVATE_HEADERS, "content-disposition": 'inline; filename="receipt.pdf"'},
    )


routes = [
    Route("/applications/attachments/{id}", attachment, methods=["GET"]),
    Route("/applications/{id}/receipt.pdf", receipt, methods=["GET"]),
]
