"""GraphQL: the counter's free slots for a submission, and booking one."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from accounts.permissions import IsAuthenticated
from applications.cases.secrets import lookup_secret
from applications.cases.service import application_of
from applications.cases.types import CounterVisitType, visit_type
from applications.visits import service
from core.errors import invalid

MAX_DAYS = 31


@strawberry.type
class CounterSlot:
    start: datetime
    end: datetime


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise invalid("error.validation", field="start", detail="a time with its offset")
    return moment


@strawberry.type
class VisitsQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def counter_slots(
        self, info: Info, application_id: strawberry.ID, from_date: date, to_date: date
    ) -> list[CounterSlot]:
        if not 0 <= (to_date - from_date).days < MAX_DAYS:
            raise invalid("error.validation", field="toDate", detail=f"1..{MAX_DAYS} days")
        slots = await service.counter_slots(
            resident=info.context.resident,
            application_id=application_id,
            from_date=from_date,
            to_date=to_date,
        )
        return [CounterSlot(start=s.start_utc, end=s.end_utc) for s in slots]


@strawberry.type
class VisitsMutation:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Book a counter slot for the case that needs a visit; the answer carries "
        "the QR code to show at the counter.",
    )
    async def hold_counter_visit(
        self,
        info: Info,
        application_id: strawberry.ID,
        start: datetime,
        case_id: strawberry.ID | None = None,
    ) -> CounterVisitType:
        resident = info.context.resident
        case, reservation = await service.hold_counter_visit(
            resident=resident,
            application_id=application_id,
            start=_aware(start),
            case_id=case_id,
        )
        application = await application_of(resident, application_id)
        secret = lookup_secret(info.context.settings.secret_key, application.lookup_salt)
        return visit_type(case, reservation, secret)
