"""The shelter log: every change staff make to a shelter, with who and when."""

from __future__ import annotations

from accounts.models import StaffMember
from core import clock
from geo.operation.models import ShelterLogEntry, ShelterOperation

MAX_ENTRIES = 200


async def record(
    shelter, *, status: str, staff: StaffMember | None, operation: ShelterOperation | None = None
) -> ShelterLogEntry:
    """One entry with the shelter's state after the change (in the caller's transaction)."""
    if operation is None:
        operation = await ShelterOperation.get_or_none(shelter_id=shelter.id)
    return await ShelterLogEntry.create(
        shelter_id=shelter.id,
        at=clock.now(),
        staff=staff,
        staff_name=staff.display_name if staff else "",
        status=str(status),
        capacity=operation.capacity if operation else None,
        headcount=operation.headcount if operation else None,
        offers=list(operation.offers) if operation else [],
    )


async def entries(shelter_id: int, limit: int = 50) -> list[ShelterLogEntry]:
    """Newest first."""
    return (
        await ShelterLogEntry.filter(shelter_id=shelter_id)
        .order_by("-at", "-id")
        .limit(max(1, min(limit, MAX_ENTRIES)))
    )
