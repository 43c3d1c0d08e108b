"""The audit log: every staff action, and every staff view of a resident's personal data.

`record` writes one entry; call it inside the transaction of the action it records, so
an action and its entry commit together. Admins read the log (`auditLog`).
"""

from __future__ import annotations

from typing import Any

from accounts.models import AuditEntry, StaffMember
from core import clock

MAX_PAGE = 200


async def record(
    *,
    staff: StaffMember | None,
    action: str,
    subject_type: str,
    subject_id: str,
    resident_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """One entry; `detail` holds what was done, never the personal data itself."""
    return await AuditEntry.create(
        at=clock.now(),
        staff=staff,
        actor_name=staff.display_name if staff else "",
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        resident_id=resident_id,
        detail=detail or {},
    )


async def record_many(
    *, staff: StaffMember, action: str, subject_type: str, subject_ids: list[str], **detail: Any
) -> None:
    """One entry per subject, in one statement (a page of a queue seen at once)."""
    now = clock.now()
    await AuditEntry.bulk_create(
        [
            AuditEntry(
                at=now,
                staff=staff,
                actor_name=staff.display_name,
                action=action,
                subject_type=subject_type,
                subject_id=subject_id,
                detail=detail,
            )
            for subject_id in subject_ids
        ]
    )


async def entries(
    *,
    subject_type: str | None = None,
    subject_id: str | None = None,
    staff_id: int | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """Newest first."""
    query = AuditEntry.all()
    if subject_type:
        query = query.filter(subject_type=subject_type)
    if subject_id:
        query = query.filter(subject_id=subject_id)
    if staff_id:
        query = query.filter(staff_id=staff_id)
    return await query.order_by("-at", "-id").limit(max(1, min(limit, MAX_PAGE)))
