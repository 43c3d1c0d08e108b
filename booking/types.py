"""The GraphQL types of booking, built from models in the caller's language."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from booking.models import (
    Facility,
    LotteryEntry,
    LotterySlot,
    LotteryState,
    Reservation,
    ReservationStatus,
    Space,
    SpaceKind,
)
from booking.pricing import PriceUnit
from booking.rules import ClosedDay, ClosedReason, FixedGrid, Slot
from booking.rules.policy import cancellation_deadline

ReservationStatusEnum = strawberry.enum(ReservationStatus, name="ReservationStatus")
SpaceKindEnum = strawberry.enum(SpaceKind, name="SpaceKind")
LotteryStateEnum = strawberry.enum(LotteryState, name="LotteryState")
PriceUnitEnum = strawberry.enum(PriceUnit, name="PriceUnit")


def _pick(language: str, ja: str, en: str) -> str:
    return ja if language == "ja" or not en else en


@strawberry.input
class LatLngInput:
    latitude: float
    longitude: float


@strawberry.type
class GridPeriod:
    label: str
    start: str = strawberry.field(description="Local time, HH:MM.")
    end: str


@strawberry.type
class SlotGrid:
    kind: str = strawberry.field(description="FIXED periods, or INTERVAL cells.")
    step_minutes: int | None
    min_minutes: int | None
    max_minutes: int | None
    periods: list[GridPeriod]


@strawberry.type(name="Space")
class SpaceType:
    id: strawberry.ID
    facility_id: strawberry.ID
    parent_id: strawberry.ID | None
    name: str
    kind: SpaceKindEnum
    capacity: int | None
    price_unit: PriceUnitEnum
    resident_price_yen: int
    non_resident_price_yen: int
    is_free: bool
    grid: SlotGrid

    @classmethod
    def from_model(cls, space: Space, language: str) -> SpaceType:
        pricing = space.pricing()
        return cls(
            id=strawberry.ID(str(space.id)),
            facility_id=strawberry.ID(str(space.facility_id)),
            parent_id=strawberry.ID(str(space.parent_id)) if space.parent_id else None,
            name=_pick(language, space.name_ja, space.name_en),
            kind=space.kind,
            capacity=space.capacity,
            price_unit=pricing.unit,
            resident_price_yen=pricing.resident_yen,
            non_resident_price_yen=pricing.non_resident_yen,
            is_free=pricing.is_free,
            grid=_grid(space, language),
        )


def _grid(space: Space, language: str) -> SlotGrid:
    grid = space.space_rules().grid
    if isinstance(grid, FixedGrid):
        periods = [
            GridPeriod(
                label=p.label.text(language),
                start=p.starts.strftime("%H:%M"),
                end=p.ends.strftime("%H:%M"),
            )
            for p in grid.periods
        ]
        return SlotGrid(
            kind="FIXED", step_minutes=None, min_minutes=None, max_minutes=None, periods=periods
        )
    return SlotGrid(
        kind="INTERVAL",
        step_minutes=grid.step_minutes,
        min_minutes=grid.min_minutes,
        max_minutes=grid.max_minutes,
        periods=[],
    )


@strawberry.type
class RefundTier:
    days_before: int
    percent: int


@strawberry.type(name="Facility")
class FacilityType:
    id: strawberry.ID
    name: str
    address: str
    latitude: float | None
    longitude: float | None
    distance_meters: float | None
    spaces: list[SpaceType]
    cancellation_deadline_days_before: int
    cancellation_refund_percents: list[RefundTier]
    closed_on: ClosedDayType | None = strawberry.field(
        default=None,
        description="With facilities(date): why the facility is closed that day (else null).",
    )

    @classmethod
    def from_model(
        cls,
        facility: Facility,
        spaces: list[Space],
        language: str,
        distance: float | None = None,
        closed: ClosedDay | None = None,
    ) -> FacilityType:
        policy = facility.policy()
        return cls(
            closed_on=ClosedDayType.from_closed(closed, language) if closed else None,
            id=strawberry.ID(str(facility.id)),
            name=_pick(language, facility.name_ja, facility.name_en),
            address=_pick(language, facility.address_ja, facility.address_en),
            latitude=facility.latitude,
            longitude=facility.longitude,
            distance_meters=round(distance, 1) if distance is not None else None,
            spaces=[SpaceType.from_model(space, language) for space in spaces],
            cancellation_deadline_days_before=policy.deadline_days_before,
            cancellation_refund_percents=[
                RefundTier(days_before=tier.days_before, percent=tier.percent)
                for tier in policy.tiers
            ],
        )


ClosedReasonEnum = strawberry.enum(ClosedReason, name="ClosedReason")


@strawberry.type(name="ClosedDay")
class ClosedDayType:
    date: date
    reason: ClosedReasonEnum  # type: ignore[valid-type]
    label: str | None = strawberry.field(description="The closure's or holiday's name.")

    @classmethod
    def from_closed(cls, closed: ClosedDay, language: str) -> ClosedDayType:
        label = closed.label.text(language) if closed.label else None
        return cls(date=closed.day, reason=ClosedReasonEnum(closed.reason), label=label)


@strawberry.type(name="Slot")
class SlotType:
    start: datetime
    end: datetime
    label: str | None
    price_yen: int

    @classmethod
    def from_slot(cls, slot: Slot, price_yen: int, language: str) -> SlotType:
        label = slot.label.text(language) if slot.label else None
        return cls(start=slot.start_utc, end=slot.end_utc, label=label, price_yen=price_yen)


@strawberry.type
class SpaceAvailability:
    space: SpaceType
    slots: list[SlotType]


@strawberry.type(name="Reservation")
class ReservationType:
    id: strawberry.ID
    receipt_number: str
    status: ReservationStatusEnum
    start: datetime
    end: datetime
    hold_expires_at: datetime | None
    amount_yen: int
    refund_yen: int | None
    space_id: strawberry.ID
    space_name: str
    facility_id: strawberry.ID
    facility_name: str
    cancellable_until: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    from_lottery: bool
    created_at: datetime

    @classmethod
    def from_model(cls, reservation: Reservation, space: Space, language: str) -> ReservationType:
        facility = space.facility
        active = reservation.status in (
            ReservationStatus.HELD,
            ReservationStatus.PENDING_PAYMENT,
            ReservationStatus.CONFIRMED,
        )
        return cls(
            id=strawberry.ID(str(reservation.public_id)),
            receipt_number=reservation.receipt_number,
            status=reservation.status,
            start=reservation.starts_at,
            end=reservation.ends_at,
            hold_expires_at=reservation.hold_expires_at,
            amount_yen=reservation.amount_yen,
            refund_yen=reservation.refund_yen,
            space_id=strawberry.ID(str(space.id)),
            space_name=_pick(language, space.name_ja, space.name_en),
            facility_id=strawberry.ID(str(facility.id)),
            facility_name=_pick(language, facility.name_ja, facility.name_en),
            cancellable_until=cancellation_deadline(facility.policy(), reservation.starts_at)
            if active
            else None,
            cancelled_at=reservation.cancelled_at,
            cancel_reason=reservation.cancel_reason or None,
            from_lottery=reservation.from_lottery,
            created_at=reservation.created_at,
        )


async def reservation_view(reservation: Reservation, language: str) -> ReservationType:
    return (await reservation_views([reservation], language))[0]


async def reservation_views(
    reservations: list[Reservation], language: str
) -> list[ReservationType]:
    """Views of several reservations, their spaces read in one query."""
    space_ids = {reservation.space_id for reservation in reservations}
    spaces = (
        {
            space.id: space
            for space in await Space.filter(id__in=space_ids).select_related("facility")
        }
        if space_ids
        else {}
    )
    return [
        ReservationType.from_model(reservation, spaces[reservation.space_id], language)
        for reservation in reservations
    ]


@strawberry.type
class Checkout:
    reservation: ReservationType
    url: str | None = strawberry.field(
        description="Stripe Checkout; null when the space is free and the booking is confirmed."
    )
    expires_at: datetime | None


@strawberry.type(name="LotteryEntry")
class LotteryEntryType:
    slot: strawberry.Private[LotterySlot]
    id: strawberry.ID
    lottery_id: strawberry.ID
    position: int | None
    won: bool
    pay_by: datetime | None
    reservation_id: strawberry.ID | None

    @strawberry.field(description="The lottery entered, with its draw's outcome.")
    async def lottery(self, info: Info) -> LotteryType:
        from booking.lottery.schema import lottery_view  # the view module imports these types

        return await lottery_view(self.slot, info)

    @classmethod
    def from_model(
        cls, entry: LotteryEntry, lottery: LotterySlot, reservation: Reservation | None
    ) -> LotteryEntryType:
        return cls(
            slot=lottery,
            id=strawberry.ID(str(entry.public_id)),
            lottery_id=strawberry.ID(str(lottery.public_id)),
            position=entry.position,
            won=entry.won,
            pay_by=entry.pay_by,
            reservation_id=strawberry.ID(str(reservation.public_id)) if reservation else None,
        )


@strawberry.type(name="Lottery")
class LotteryType:
    id: strawberry.ID
    space: SpaceType
    facility_name: str
    start: datetime
    end: datetime
    entries_open_at: datetime
    entries_close_at: datetime
    draw_at: datetime
    pay_within_days: int
    state: LotteryStateEnum
    seed_hash: str = strawberry.field(
        description="SHA-256 (hex) of the seed, published when entries open."
    )
    seed: str | None = strawberry.field(description="The seed (hex), revealed at the draw.")
    slot_key: str = strawberry.field(
        description="The text that names the slot in the draw (booking/lottery/draw.py)."
    )
    entry_count: int
    entrants: list[str] | None = strawberry.field(description="Entry ids, once entries close.")
    draw_order: list[str] | None = strawberry.field(
        description="Entry ids in winning order, after the draw."
    )
    my_entry: LotteryEntryType | None
