"""The register of people who need help to evacuate: the rules, no GraphQL. Callers own the
transaction; access is checked by disaster.support.access before anything here is reached."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

import disaster.texts  # noqa: F401 - registers the texts
from accounts.models import Resident, StaffMember
from core import clock
from core.errors import AppError, ErrorCode, invalid, not_found, public_id_or_not_found
from core.sealing import Sealer
from disaster.support.details import PersonDetails
from disaster.support.models import (
    CheckStatus,
    ConsentMethod,
    SupportCheck,
    Supporter,
    SupportNeededPerson,
    SupportRelation,
)
from notifications.alerts.models import Alert
from notifications.alerts.validation import check_text
from notifications.models import Notification

MAX_SUPPORTERS = 5
MAX_NOTE = 200


@dataclass(frozen=True)
class SupporterChoice:
    resident_id: str
    relation: SupportRelation


@dataclass
class Entry:
    """A person with their details opened, their supporters and supporters' latest checks."""

    person: SupportNeededPerson
    details: PersonDetails
    supporters: list[Supporter]
    checks: list[SupportCheck]


def notice_link(person: SupportNeededPerson) -> str:
    """What messages to supporters about the person link to (deleted with the person)."""
    return f"support-needed:{person.public_id}"


async def _supporters(
    choices: list[SupporterChoice], person_resident: Resident | None
) -> list[tuple[Resident, SupportRelation]]:
    if len(choices) > MAX_SUPPORTERS:
        raise invalid(
            "disaster.support.too_many_supporters", field="supporters", max=MAX_SUPPORTERS
        )
    chosen: list[tuple[Resident, SupportRelation]] = []
    for index, choice in enumerate(choices):
        field = f"supporters[{index}].residentId"
        try:
            key = public_id_or_not_found(choice.resident_id)
        except AppError:
            raise invalid("disaster.support.unknown_supporter", field=field) from None
        resident = await Resident.get_or_none(public_id=key)
        if resident is None:
            raise invalid("disaster.support.unknown_supporter", field=field)
        if person_resident is not None and resident.id == person_resident.id:
            raise invalid("disaster.support.own_supporter", field=field)
        if any(resident.id == other.id for other, _ in chosen):
            raise invalid("disaster.support.supporter_twice", field=field)
        chosen.append((resident, SupportRelation(choice.relation)))
    return chosen


async def _replace_supporters(
    person: SupportNeededPerson, chosen: list[tuple[Resident, SupportRelation]]
) -> None:
    await Supporter.filter(person=person).delete()
    await Supporter.bulk_create(
        [
            Supporter(person=person, resident=resident, relation=relation, position=position)
            for position, (resident, relation) in enumerate(chosen)
        ]
    )


async def register(
    *,
    details: PersonDetails,
    supporters: list[SupporterChoice],
    consent: bool,
    sealer: Sealer,
    service_area: tuple[float, float, float, float],
    staff: StaffMember | None = None,
    resident: Resident | None = None,
) -> SupportNeededPerson:
    """By welfare staff (written consent on file) or by the person themself (in the app)."""
    if not consent:
        raise invalid("disaster.support.consent_needed", field="consent")
    details = details.checked(service_area)
    own = resident if staff is None else None
    chosen = await _supporters(supporters, own)
    if own is not None and await SupportNeededPerson.exists(resident=own):
        raise AppError(ErrorCode.CONFLICT, "disaster.support.already_registered")
    person = await SupportNeededPerson.create(
        resident=own,
        sealed=details.sealed(sealer),
        consent_method=ConsentMethod.WRITTEN if staff else ConsentMethod.APP,
        consent_at=clock.now(),
        consent_recorded_by=staff.display_name if staff else "",
        registered_by_staff=staff,
    )
    await _replace_supporters(person, chosen)
    return person


async def update(
    person: SupportNeededPerson,
    *,
    details: PersonDetails,
    supporters: list[SupporterChoice],
    sealer: Sealer,
    service_area: tuple[float, float, float, float],
) -> SupportNeededPerson:
    details = details.checked(service_area)
    own = await Resident.get_or_none(id=person.resident_id) if person.resident_id else None
    chosen = await _supporters(supporters, own)
    person.sealed = details.sealed(sealer)
    await person.save(update_fields=["sealed", "updated_at"])
    await _replace_supporters(person, chosen)
    return person


async def withdraw(person: SupportNeededPerson) -> None:
    """Consent withdrawn: the person leaves the register, with their supporters, the checks
    and the messages supporters were sent about them."""
    await Notification.filter(link=notice_link(person)).delete()
    await person.delete()


async def entry(
    person: SupportNeededPerson, sealer: Sealer, *, alert: Alert | None = None
) -> Entry:
    supporters = (
        await Supporter.filter(person=person).order_by("position").prefetch_related("resident")
    )
    checks = SupportCheck.filter(person=person)
    if alert is not None:
        checks = checks.filter(alert=alert)
    found = await checks.order_by("-at", "-id").limit(50).prefetch_related("supporter", "alert")
    return Entry(person, PersonDetails.opened(sealer, person.sealed), list(supporters), found)


async def entries(
    persons: list[SupportNeededPerson], sealer: Sealer, *, alert: Alert | None = None
) -> list[Entry]:
    return [await entry(person, sealer, alert=alert) for person in persons]


async def all_people() -> list[SupportNeededPerson]:
    return await SupportNeededPerson.all().order_by("id")


def in_area(
    found: list[Entry],
    *,
    box: tuple[float, float, float, float] | None = None,
    covers=None,
) -> list[Entry]:
    """Those whose address lies in the box (minLng, minLat, maxLng, maxLat) and is covered by
    `covers(lat, lng)`, by name."""
    chosen = []
    for item in found:
        lat, lng = item.details.lat, item.details.lng
        if box is not None and not (box[1] <= lat <= box[3] and box[0] <= lng <= box[2]):
            continue
        if covers is not None and not covers(lat, lng):
            continue
        chosen.append(item)
    return sorted(chosen, key=lambda e: (e.details.kana or e.details.name, e.person.id))


async def supported_by(resident: Resident) -> list[SupportNeededPerson]:
    return await SupportNeededPerson.filter(supporters__resident=resident).order_by("id")


async def mark_check(
    *,
    person: SupportNeededPerson,
    alert: Alert,
    supporter: Resident,
    status: CheckStatus,
    note: str,
) -> SupportCheck:
    """The supporter's latest word on the person for this alert (again: replaces it)."""
    note = note.strip()
    check_text(note, "note", MAX_NOTE)
    if not await Supporter.exists(person=person, resident=supporter):
        raise not_found()
    at = clock.now()
    found = await SupportCheck.get_or_none(person=person, alert=alert, supporter=supporter)
    if found is None:
        try:
            async with in_transaction():
                return await SupportCheck.create(
                    person=person, alert=alert, supporter=supporter, status=status, note=note, at=at
                )
        except IntegrityError:
            found = await SupportCheck.get(person=person, alert=alert, supporter=supporter)
    await SupportCheck.filter(id=found.id).update(status=status, note=note, at=at)
    await found.refresh_from_db()
    return found


async def own_registration(resident: Resident) -> SupportNeededPerson | None:
    return await SupportNeededPerson.get_or_none(resident=resident)
