"""A resident's applications data for `myData`."""

from __future__ import annotations

from typing import Any

from accounts.models import Resident
from accounts.privacy import exporter
from applications.attachments.models import Attachment
from applications.cases.models import Application, Case, CaseEvent


def _time(value) -> str | None:
    return value.isoformat() if value else None


@exporter("applications")
async def export(resident: Resident) -> dict[str, Any]:
    applications = await Application.filter(resident_id=resident.id).order_by("id")
    ids = [a.id for a in applications]
    cases = await Case.filter(application_id__in=ids).order_by("id") if ids else []
    events = (
        await CaseEvent.filter(case_id__in=[c.id for c in cases]).order_by("id") if cases else []
    )
    files = await Attachment.filter(application_id__in=ids).order_by("id") if ids else []
    by_application = {a.id: str(a.public_id) for a in applications}
    return {
        "applications": [
            {
                "id": str(a.public_id),
                "status": a.status.value,
                "lifeEvent": a.life_event_code or None,
                "answers": a.answers,
                "createdAt": _time(a.created_at),
                "submittedAt": _time(a.submitted_at),
            }
            for a in applications
        ],
        "cases": [
            {
                "id": str(c.public_id),
                "application": by_application[c.application_id],
                "receiptNumber": c.receipt_number,
                "status": c.status.value,
                "answers": c.answers,
                "feeYen": c.fee_yen,
                "paidYen": c.paid_yen,
                "decisionReason": c.decision_reason,
                "history": [
                    {
                        "at": _time(e.at),
                        "kind": e.kind.value,
                        "to": e.to_status,
                        "message": e.message,
                    }
                    for e in events
                    if e.case_id == c.id
                ],
            }
            for c in cases
        ],
        "attachments": [
            {
                "id": str(f.public_id),
                "application": by_application[f.application_id],
                "field": f.field_key,
                "filename": f.filename,
                "contentType": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
                "deleted": f.purged_at is not None,
            }
            for f in files
        ],
    }
