"""GraphQL of the register of people who need help to evacuate. Every view of an entry and
every change is written to the audit log (disaster.audit)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info
from tortoise.transactions import in_transaction

from accounts.permissions import IsAuthenticated
from core.errors import AppError, ErrorCode
from core.sealing import sealer
from disaster import audit
from disaster.districts.service import district_at
from disaster.support import access, service
from disaster.support.models import CheckStatus
from disaster.support.types import (
    SupportAreaInput,
    SupportCheckType,
    SupportNeededInput,
    SupportNeededPersonType,
)
from geo.operation.service import parse_area
from notifications.alerts import service as alerts
from notifications.alerts.geometry import matcher_for


class IsSignedIn(BasePermission):
    """A resident or a member of staff."""

    message = "UNAUTHENTICATED"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if info.context.staff is None and info.context.resident is None:
            raise AppError(ErrorCode.UNAUTHENTICATED, "error.unauthenticated")
        return True


def _sealer(info: Info):
    return sealer(info.context.settings.data_keys)


async def _out(info: Info, person, *, alert=None) -> SupportNeededPersonType:
    entry = await service.entry(person, _sealer(info), alert=alert)
    return SupportNeededPersonType.of(entry, info.context.language)


async def _filtered(info: Info, area: SupportAreaInput | None) -> list[service.Entry]:
    settings = info.context.settings
    found = await service.entries(await service.all_people(), _sealer(info))
    if area is None:
        return service.in_area(found)
    box = parse_area(area.bbox, settings.service_area, "area.bbox") if area.bbox else None
    covers = None
    if area.alert_id is not None:
        matcher = matcher_for((await alerts.alert_by_public_id(area.alert_id)).areas)
        covers = matcher.contains if matcher is not None else (lambda lat, lng: False)
    chosen = service.in_area(found, box=box, covers=covers)
    if area.district:
        chosen = [
            e
            for e in chosen
            if (d := await district_at(e.details.lat, e.details.lng, settings.service_area))
            and d.code == area.district
        ]
    return chosen


@strawberry.type
class SupportQuery:
    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="An entry of the register: for welfare staff (福祉課), the person's supporters "
        "and the person. Each view is audited.",
    )
    async def support_needed_person(self, info: Info, id: strawberry.ID) -> SupportNeededPersonType:
        staff, resident = info.context.staff, info.context.resident
        async with in_transaction():
            person = await access.readable_person(id, staff=staff, resident=resident)
            await audit.record("support_needed.viewed", [person], staff=staff, resident=resident)
        return await _out(info, person)

    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="The register (welfare staff): in an area, an alert's area or a district. "
        "Each entry listed is audited.",
    )
    async def support_needed_people(
        self, info: Info, area: SupportAreaInput | None = None
    ) -> list[SupportNeededPersonType]:
        staff = access.require_welfare_staff(info.context.staff)
        chosen = await _filtered(info, area)
        async with in_transaction():
            await audit.record("support_needed.listed", [e.person for e in chosen], staff=staff)
        language = info.context.language
        return [SupportNeededPersonType.of(entry, language) for entry in chosen]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The people you are a supporter of. Each view is audited.",
    )
    async def my_supportees(self, info: Info) -> list[SupportNeededPersonType]:
        resident = info.context.resident
        persons = await service.supported_by(resident)
        async with in_transaction():
            await audit.record("support_needed.viewed", persons, staff=None, resident=resident)
        return [await _out(info, person) for person in persons]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Your own registration, if you registered yourself.",
    )
    async def my_support_registration(self, info: Info) -> SupportNeededPersonType | None:
        person = await service.own_registration(info.context.resident)
        return await _out(info, person) if person else None


@strawberry.type
class SupportMutation:
    @strawberry.mutation(
        permission_classes=[IsSignedIn],
        description="Register a person who needs help to evacuate: welfare staff (written "
        "consent on file) or a resident registering themself. consent must be true.",
    )
    async def register_support_needed(
        self, info: Info, input: SupportNeededInput
    ) -> SupportNeededPersonType:
        staff, resident = info.context.staff, info.context.resident
        if staff is not None:
            access.require_welfare_staff(staff)
        async with in_transaction():
            person = await service.register(
                details=input.as_details(),
                supporters=input.supporter_choices(),
                consent=input.consent,
                sealer=_sealer(info),
                service_area=info.context.settings.service_area,
                staff=staff,
                resident=resident,
            )
            await audit.record(
                "support_needed.registered", [person], staff=staff, resident=resident
            )
        return await _out(info, person)

    @strawberry.mutation(
        permission_classes=[IsSignedIn],
        description="Replace an entry's details and supporters (welfare staff, or the person).",
    )
    async def update_support_needed(
        self, info: Info, id: strawberry.ID, input: SupportNeededInput
    ) -> SupportNeededPersonType:
        staff, resident = info.context.staff, info.context.resident
        async with in_transaction():
            person = await access.changeable_person(id, staff=staff, resident=resident)
            await service.update(
                person,
                details=input.as_details(),
                supporters=input.supporter_choices(),
                sealer=_sealer(info),
                service_area=info.context.settings.service_area,
            )
            await audit.record("support_needed.updated", [person], staff=staff, resident=resident)
        return await _out(info, person)

    @strawberry.mutation(
        permission_classes=[IsSignedIn],
        description="Consent withdrawn: the person leaves the register (welfare staff, or the "
        "person).",
    )
    async def withdraw_support_consent(self, info: Info, id: strawberry.ID) -> bool:
        staff, resident = info.context.staff, info.context.resident
        async with in_transaction():
            person = await access.changeable_person(id, staff=staff, resident=resident)
            await audit.record("support_needed.withdrawn", [person], staff=staff, resident=resident)
            await service.withdraw(person)
        return True

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="As a supporter, say how the person is doing during the alert (again: "
        "replaces it); the welfare department sees it.",
    )
    async def mark_support_check(
        self,
        info: Info,
        person_id: strawberry.ID,
        alert_id: strawberry.ID,
        status: CheckStatus,
        note: str = "",
    ) -> SupportCheckType:
        resident = info.context.resident
        async with in_transaction():
            person = await access.readable_person(person_id, staff=None, resident=resident)
            alert = await alerts.alert_by_public_id(alert_id)
            check = await service.mark_check(
                person=person,
                alert=alert,
                supporter=resident,
                status=CheckStatus(status),
                note=note,
            )
            await audit.record(
                "support_needed.checked", [person], staff=None, resident=resident, status=status
            )
        await check.fetch_related("supporter", "alert")
        return SupportCheckType.of(check, info.context.language)
