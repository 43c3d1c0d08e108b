"""Who may see an entry of the register: staff of the welfare department (福祉課), the
person's own supporters, and the person. Staff elsewhere are refused (FORBIDDEN); to any other
resident the entry does not exist (NOT_FOUND)."""

from __future__ import annotations

from accounts.models import Resident, StaffMember
from core.errors import forbidden, not_found, public_id_or_not_found
from disaster.support.models import Supporter, SupportNeededPerson

WELFARE_DEPARTMENT = "fukushi"


def is_welfare_staff(staff: StaffMember | None) -> bool:
    return staff is not None and staff.is_active and staff.department.code == WELFARE_DEPARTMENT


def require_welfare_staff(staff: StaffMember | None) -> StaffMember:
    if not is_welfare_staff(staff):
        raise forbidden()
    return staff  # type: ignore[return-value]


async def is_supporter(person: SupportNeededPerson, resident: Resident) -> bool:
    return await Supporter.exists(person_id=person.id, resident_id=resident.id)


async def readable_person(
    public_id: str, *, staff: StaffMember | None, resident: Resident | None, for_update=False
) -> SupportNeededPerson:
    """The entry, if the caller may see it."""
    if staff is not None:
        require_welfare_staff(staff)
    query = SupportNeededPerson.filter(public_id=public_id_or_not_found(public_id))
    person = await (query.select_for_update() if for_update else query).first()
    if person is None:
        raise not_found()
    if staff is None:
        mine = resident is not None and person.resident_id == resident.id
        if not mine and (resident is None or not await is_supporter(person, resident)):
            raise not_found()
    return person


async def changeable_person(
    public_id: str, *, staff: StaffMember | None, resident: Resident | None
) -> SupportNeededPerson:
    """The entry, if the caller may change it or withdraw it: welfare staff or the person (a
    supporter sees the entry but does not change it)."""
    person = await readable_person(public_id, staff=staff, resident=resident, for_update=True)
    if staff is None and (resident is None or person.resident_id != resident.id):
        raise forbidden()
    return person
