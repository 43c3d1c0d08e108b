"""Views and changes of the register of people who need help, in the audit log
(accounts.audit): who saw or changed which entry, when. Never the details themselves."""

from __future__ import annotations

from accounts.models import AuditEntry, Resident, StaffMember
from core import clock
from disaster.support.models import SupportNeededPerson

SUBJECT = "support_needed_person"


def _viewer(staff: StaffMember | None, resident: Resident | None) -> dict:
    """A supporter or the person is a resident: the entry names them by their public id."""
    if staff is not None or resident is None:
        return {}
    return {"viewerResident": str(resident.public_id)}


async def record(
    action: str,
    persons: list[SupportNeededPerson],
    *,
    staff: StaffMember | None,
    resident: Resident | None = None,
    **detail: object,
) -> None:
    """One entry per person (a list seen at once: one statement), in the caller's transaction."""
    now = clock.now()
    await AuditEntry.bulk_create(
        [
            AuditEntry(
                at=now,
                staff=staff,
                actor_name=staff.display_name if staff else "",
                action=action,
                subject_type=SUBJECT,
                subject_id=str(person.public_id),
                resident_id=person.resident_id,
                detail={**_viewer(staff, resident), **detail},
            )
            for person in persons
        ]
    )
