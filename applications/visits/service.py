"""Counter visits: the slots of a department's counter, and holding one for a case that the
law keeps in person. The slot is a booking reservation (free, confirmed at once)."""

from __future__ import annotations

from datetime import date, datetime

from tortoise.transactions import in_transaction

from accounts.models import Resident
from applications.cases.models import Application, ApplicationStatus, Case, CaseStatus
from applications.cases.service import application_of
from applications.cases.workflow import tell
from applications.visits.models import Counter
from booking import service as booking
from booking.catalog import space_availability
from booking.display import span_texts
from booking.models import Reservation, ReservationStatus, Space
from booking.rules import Slot
from core.errors import AppError, ErrorCode, not_found, public_id_or_not_found


async def _visit_case(application: Application, case_id: object | None) -> Case:
    """The case of the submission waiting for a counter visit (the one named, if any)."""
    if application.status is not ApplicationStatus.SUBMITTED:
        raise AppError(ErrorCode.CONFLICT, "applications.not_submitted")
    query = Case.filter(application_id=application.id)
    if case_id is not None:
        case = await query.get_or_none(public_id=public_id_or_not_found(case_id))
        if case is None:
            raise not_found()
    else:
        case = await query.filter(status=CaseStatus.AWAITING_VISIT).order_by("id").first()
    if case is None or case.status is not CaseStatus.AWAITING_VISIT:
        raise AppError(ErrorCode.CONFLICT, "applications.no_visit_needed")
    return case


async def _counter_space(department_id: int) -> Space:
    counter = await Counter.get_or_none(department_id=department_id)
    if counter is None:
        raise AppError(ErrorCode.CONFLICT, "applications.no_counter")
    return await booking.get_space(counter.space_id, unlisted=True)


async def counter_slots(
    *, resident: Resident, application_id: object, from_date: date, to_date: date
) -> list[Slot]:
    application = await application_of(resident, application_id)
    case = await _visit_case(application, None)
    space = await _counter_space(case.department_id)
    return await space_availability(space=space, from_date=from_date, to_date=to_date)


async def hold_counter_visit(
    *,
    resident: Resident,
    application_id: object,
    start: datetime,
    case_id: object | None = None,
) -> tuple[Case, Reservation]:
    """Book the counter slot that starts at `start` for the case (a new time replaces the
    old one)."""
    application = await application_of(resident, application_id)
    case = await _visit_case(application, case_id)
    space = await _counter_space(case.department_id)
    day = start.astimezone(space.space_rules().zone).date()
    slot = next(
        (
            s
            for s in await space_availability(space=space, from_date=day, to_date=day)
            if s.start_utc == start
        ),
        None,
    )
    if slot is None:
        raise AppError(ErrorCode.SLOT_TAKEN, "booking.slot_taken")
    reservation = await booking.hold_slot(
        resident=resident,
        space_id=space.id,
        start=slot.start_utc,
        end=slot.end_utc,
        unlisted=True,
    )
    async with in_transaction():
        held = await booking.locked(reservation.id)
        await booking.confirm(held)
        current = await Case.select_for_update().get(id=case.id)
        if current.visit_id and current.visit_id != held.id:
            earlier = await booking.locked(current.visit_id)
            await booking.release(earlier, ReservationStatus.CANCELLED)
        current.visit_id = held.id
        await current.save(update_fields=["visit_id", "updated_at"])
        texts = span_texts(held.starts_at, held.ends_at)
        await tell(
            current, "applications.visit_booked", when_ja=texts["when_ja"], when_en=texts["when_en"]
        )
    return current, held
