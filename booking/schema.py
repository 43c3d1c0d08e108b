"""Booking in the API: facilities and free slots for anyone; holds, payment and
cancellation for residents (their own reservations only); lotteries; staff calendar."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from accounts.permissions import IsAuthenticated
from booking import cancellation, catalog, payment_flow, service
from booking.lottery.schema import LotteryMutation, LotteryQuery
from booking.models import Reservation, ReservationStatus, Space, SpaceKind
from booking.pricing import price_for
from booking.service import parse_int_id
from booking.staff.schema import BookingStaffMutation, BookingStaffQuery
from booking.types import (
    Checkout,
    FacilityType,
    LatLngInput,
    ReservationType,
    SlotType,
    SpaceAvailability,
    SpaceKindEnum,
    SpaceType,
    reservation_view,
    reservation_views,
)
from core import clock
from core.errors import invalid
from payments.gateway import for_settings

ACTIVE_AND_UPCOMING = (
    ReservationStatus.HELD,
    ReservationStatus.PENDING_PAYMENT,
    ReservationStatus.CONFIRMED,
)


def _near(near: LatLngInput | None) -> tuple[float, float] | None:
    if near is None:
        return None
    if not (-90 <= near.latitude <= 90 and -180 <= near.longitude <= 180):
        raise invalid("error.validation", field="near", detail="latitude/longitude")
    return (near.latitude, near.longitude)


def _is_resident_rate(info: Info) -> bool:
    resident = info.context.resident
    return resident.is_city_resident if resident is not None else True


def priced(space: Space, slots, info: Info) -> list[SlotType]:
    pricing, rate = space.pricing(), _is_resident_rate(info)
    return [
        SlotType.from_slot(
            slot, price_for(pricing, slot.start_utc, slot.end_utc, rate), info.context.language
        )
        for slot in slots
    ]


@strawberry.type
class CatalogQuery:
    @strawberry.field(
        description="Facilities, nearest first when `near` is given; with `date`, those with a free slot that day and those closed that day (`closedOn` says why)."
    )
    async def facilities(
        self,
        info: Info,
        near: LatLngInput | None = None,
        date: date | None = None,
        kind: SpaceKindEnum | None = None,
        name: str | None = None,
        limit: int = 20,
    ) -> list[FacilityType]:
        hits = await catalog.find_facilities(
            near=_near(near),
            name=name,
            kind=SpaceKind(kind) if kind else None,
            day=date,
            limit=limit,
        )
        spaces = await Space.filter(
            facility_id__in=[hit.facility.id for hit in hits], is_active=True
        ).order_by("id")
        by_facility: dict[int, list[Space]] = {}
        for space in spaces:
            by_facility.setdefault(space.facility_id, []).append(space)
        language = info.context.language
        return [
            FacilityType.from_model(
                hit.facility,
                by_facility.get(hit.facility.id, []),
                language,
                hit.distance_m,
                hit.closed,
            )
            for hit in hits
        ]

    @strawberry.field
    async def facility(self, info: Info, id: strawberry.ID) -> FacilityType:
        facility = await catalog.get_facility(parse_int_id(id))
        spaces = await Space.filter(facility_id=facility.id, is_active=True).order_by("id")
        return FacilityType.from_model(facility, spaces, info.context.language)

    @strawberry.field
    async def space(self, info: Info, id: strawberry.ID) -> SpaceType:
        return SpaceType.from_model(await service.get_space(id), info.context.language)

    @strawberry.field(description="Free slots of a space on local days from..to (at most 62 days).")
    async def availability(
        self,
        info: Info,
        space_id: strawberry.ID,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> list[SlotType]:
        space = await service.get_space(space_id)
        slots = await catalog.space_availability(space=space, from_date=from_, to_date=to)
        return priced(space, slots, info)

    @strawberry.field(description="Free slots of every space of a facility on local days from..to.")
    async def facility_availability(
        self,
        info: Info,
        facility_id: strawberry.ID,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> list[SpaceAvailability]:
        facility = await catalog.get_facility(parse_int_id(facility_id))
        spaces = {
            space.id: space for space in await Space.filter(facility_id=facility.id, is_active=True)
        }
        by_space = await catalog.facility_availability(
            facility_id=facility.id, from_date=from_, to_date=to
        )
        language = info.context.language
        return [
            SpaceAvailability(
                space=SpaceType.from_model(spaces[space_id], language),
                slots=priced(spaces[space_id], slots, info),
            )
            for space_id, slots in sorted(by_space.items())
        ]


@strawberry.type
class ReservationQuery:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The caller's reservations, soonest first.",
    )
    async def my_reservations(
        self, info: Info, include_past: bool = False
    ) -> list[ReservationType]:
        query = Reservation.filter(resident_id=info.context.resident.id)
        if not include_past:
            query = query.filter(status__in=list(ACTIVE_AND_UPCOMING), ends_at__gt=clock.now())
        reservations = await query.order_by("starts_at", "id").limit(200)
        return await reservation_views(list(reservations), info.context.language)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def reservation(self, info: Info, id: strawberry.ID) -> ReservationType:
        reservation = await service.reservation_of(info.context.resident, id)
        return await reservation_view(reservation, info.context.language)


@strawberry.type
class ReservationMutation:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Hold a free slot for a while (30 minutes by default) to pay for it. SLOT_TAKEN when someone has it; PAYMENT_NOT_CONFIGURED, before holding, when the slot has a fee and online payment is not set up.",
    )
    async def hold_slot(
        self, info: Info, space_id: strawberry.ID, start: datetime, end: datetime
    ) -> ReservationType:
        reservation = await service.hold_slot(
            resident=info.context.resident,
            space_id=space_id,
            start=start,
            end=end,
            online_payment=for_settings(info.context.settings).configured,
        )
        return await reservation_view(reservation, info.context.language)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Pay for a held reservation: a Stripe Checkout URL. A free space is confirmed at once.",
    )
    async def checkout_reservation(self, info: Info, id: strawberry.ID) -> Checkout:
        context = info.context
        checkout = await payment_flow.checkout_reservation(
            resident=context.resident,
            reservation_id=id,
            gateway=for_settings(context.settings),
            settings=context.settings,
            language=context.language,
        )
        payment = checkout.payment
        return Checkout(
            reservation=await reservation_view(checkout.reservation, context.language),
            url=payment.checkout_url if payment else None,
            expires_at=payment.expires_at if payment else None,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Cancel your reservation; paid bookings are refunded by the facility's policy.",
    )
    async def cancel_reservation(self, info: Info, id: strawberry.ID) -> ReservationType:
        reservation = await cancellation.cancel_by_resident(
            resident=info.context.resident,
            reservation_id=id,
            gateway=for_settings(info.context.settings),
        )
        return await reservation_view(reservation, info.context.language)


@strawberry.type
class BookingQuery(CatalogQuery, ReservationQuery, LotteryQuery, BookingStaffQuery):
    pass


@strawberry.type
class BookingMutation(ReservationMutation, LotteryMutation, BookingStaffMutation):
    pass
