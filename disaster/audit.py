"""Views and changes of the register of people who need help, in the audit log
(accounts.audit): who saw or changed which entry, when. Never the details themselves."""

from __future__ import annotations

from accounts.models import Resident, StaffMember
from disaster.support.models import SupportNeededPerson

SUBJECT = "support_needed_person"


def _viewer(staff: StaffMember | None, resident: Resident | None) -> dict:
    """A supporter or the person is a resident: the log names them by their public id."""
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
    """One entry per person, in the caller's transaction."""
    from accounts import audit

    for person in persons:
        await audit.record(
            staff=staff,
            action=action,
            subject_type=SUBJECT,
            subject_id=str(person.public_id),
            resident_id=person.resident_id,
            detail={**_viewer(staff, resident), **detail},
        )
