"""Which facilities a member of staff manages: their department's, or all for an admin."""

from __future__ import annotations

from accounts.models import Role, StaffMember
from booking.models import Facility
from core.errors import forbidden


def manages(staff: StaffMember, facility: Facility) -> bool:
    return Role(staff.role) is Role.ADMIN or staff.department_id == facility.department_id


def ensure_manages(staff: StaffMember, facility: Facility) -> None:
    if not manages(staff, facility):
        raise forbidden()
