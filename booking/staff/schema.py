"""Staff in the API: a facility's calendar, closures (cancel with full refund), lotteries.
Staff manage their own department's facilities; admins manage all."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

import strawberry
from strawberry.types import Info

from accounts.models import Resident
from accounts.permissions import IsStaff
from booking import cancellation, catalog
from booking.lottery import service as lottery_service
from booking.lottery.schema import lottery_view
from booking.models import ACTIVE_STATUSES, LotterySlot, LotteryState, Reservation, Space
from booking.rules.window import local_midnight
from booking.service import parse_int_id
from booking.staff.service import ensure_manages
from booking.types import LotteryType, ReservationType, reservation_view
from core.clock import TOKYO
from core.errors import invalid
from payments.gateway import for_settings


@strawberry.type
class CalendarEntry:
    kind: str = strawberry.field(description="RESERVATION or LOTTERY.")
    id: strawberry.ID
    space_id: strawberry.ID
    space_name: str
    start: datetime
    end: datetime
    status: str
    receipt_number: str | None
    resident_name: str | None
    amount_yen: int | None


def _aware(moment: datetime, field: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise invalid("booking.error.INVALID_TIME", field=field)
    return moment


async def _calendar(
    facility_id: int, from_: date, to: date, include_cancelled: bool, language: str
) -> list[CalendarEntry]:
    catalog.check_range(from_, to)
    start, end = local_midnight(from_, TOKYO), local_midnight(to + timedelta(days=1), TOKYO)
    spaces = {s.id: s for s in await Space.filter(facility_id=facility_id)}
    reservations = Reservation.filter(
        space_id__in=list(spaces), starts_at__lt=end, ends_at__gt=start
    )
    if not include_cancelled:
        reservations = reservations.filter(status__in=list(ACTIVE_STATUSES))
    found = await reservations.order_by("starts_at", "id")
    names = dict(
        await Resident.filter(id__in={r.resident_id for r in found}).values_list(
            "id", "display_name"
        )
    )
    entries = [
        CalendarEntry(
            kind="RESERVATION",
            id=strawberry.ID(str(r.public_id)),
            space_id=strawberry.ID(str(r.space_id)),
            space_name=_name(spaces[r.space_id], language),
            start=r.starts_at,
            end=r.ends_at,
            status=r.status.value,
            receipt_number=r.receipt_number,
            resident_name=names.get(r.resident_id),
            amount_yen=r.amount_yen,
        )
        for r in found
    ]
    lotteries = await LotterySlot.filter(
        space_id__in=list(spaces),
        starts_at__lt=end,
        ends_at__gt=start,
        state__in=[LotteryState.OPEN, LotteryState.DRAWN],
    )
    entries += [
        CalendarEntry(
            kind="LOTTERY",
            id=strawberry.ID(str(slot.public_id)),
            space_id=strawberry.ID(str(slot.space_id)),
            space_name=_name(spaces[slot.space_id], language),
            start=slot.starts_at,
            end=slot.ends_at,
            status=slot.state.value,
            receipt_number=None,
            resident_name=None,
            amount_yen=None,
        )
        for slot in lotteries
    ]
    return sorted(entries, key=lambda entry: (entry.start, entry.space_id))


def _name(space: Space, language: str) -> str:
    return space.name_ja if language == "ja" else space.name_en


@strawberry.type
class BookingStaffQuery:
    @strawberry.field(
        permission_classes=[IsStaff],
        description="Reservations and lotteries of a facility on local days from..to.",
    )
    async def facility_calendar(
        self,
        info: Info,
        facility_id: strawberry.ID,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        include_cancelled: bool = False,
    ) -> list[CalendarEntry]:
        facility = await catalog.get_facility(parse_int_id(facility_id))
        ensure_manages(info.context.staff, facility)
        return await _calendar(facility.id, from_, to, include_cancelled, info.context.language)


@strawberry.type
class BookingStaffMutation:
    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Cancel a reservation for the facility (a closure): always refunded in full; the resident is told why.",
    )
    async def staff_cancel_reservation(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> ReservationType:
        reservation = await cancellation.cancel_by_staff(
            staff=info.context.staff,
            reservation_id=id,
            reason=reason,
            gateway=for_settings(info.context.settings),
        )
        return await reservation_view(reservation, info.context.language)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Put a slot up for lottery; the seed's hash is published at once.",
    )
    async def create_lottery(
        self,
        info: Info,
        space_id: strawberry.ID,
        start: datetime,
        end: datetime,
        entries_open_at: datetime,
        entries_close_at: datetime,
        draw_at: datetime,
        pay_within_days: int = 3,
    ) -> LotteryType:
        plan = lottery_service.LotteryPlan(
            space_id=space_id,
            starts_at=_aware(start, "start"),
            ends_at=_aware(end, "end"),
            entries_open_at=_aware(entries_open_at, "entriesOpenAt"),
            entries_close_at=_aware(entries_close_at, "entriesCloseAt"),
            draw_at=_aware(draw_at, "drawAt"),
            pay_within_days=pay_within_days,
        )
        slot = await lottery_service.put_up(staff=info.context.staff, plan=plan)
        return await lottery_view(slot, info)
