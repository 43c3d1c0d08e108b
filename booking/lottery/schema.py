"""Lotteries in the API: anyone can see them and check a draw; residents enter."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from accounts.permissions import IsAuthenticated
from booking.lottery import service as lottery_service
from booking.models import LotteryEntry, LotterySlot, LotteryState, Reservation, Space
from booking.service import parse_int_id
from booking.types import LotteryEntryType, LotteryType, SpaceType
from core import clock


async def lottery_view(slot: LotterySlot, info: Info) -> LotteryType:
    language = info.context.language
    space = await Space.get(id=slot.space_id).select_related("facility")
    entries = await LotteryEntry.filter(lottery_slot_id=slot.id)
    closed = clock.now() >= slot.entries_close_at
    drawn = slot.seed_revealed_at is not None
    resident = info.context.resident
    mine = next((e for e in entries if resident is not None and e.resident_id == resident.id), None)
    return LotteryType(
        id=strawberry.ID(str(slot.public_id)),
        space=SpaceType.from_model(space, language),
        facility_name=space.facility.name_ja if language == "ja" else space.facility.name_en,
        start=slot.starts_at,
        end=slot.ends_at,
        entries_open_at=slot.entries_open_at,
        entries_close_at=slot.entries_close_at,
        draw_at=slot.draw_at,
        pay_within_days=slot.pay_within_days,
        state=slot.state,
        seed_hash=slot.seed_hash,
        seed=slot.seed_hex if drawn else None,
        slot_key=lottery_service.key_of(slot),
        entry_count=len(entries),
        entrants=sorted(str(e.public_id) for e in entries) if closed or drawn else None,
        draw_order=[str(e.public_id) for e in sorted(entries, key=_position)] if drawn else None,
        my_entry=await entry_view(mine, slot) if mine else None,
    )


def _position(entry: LotteryEntry) -> int:
    return entry.position or 0


async def entry_view(entry: LotteryEntry, slot: LotterySlot) -> LotteryEntryType:
    reservation = (
        await Reservation.get_or_none(id=entry.reservation_id) if entry.reservation_id else None
    )
    return LotteryEntryType.from_model(entry, slot, reservation)


@strawberry.type
class LotteryQuery:
    @strawberry.field(description="Lotteries, soonest draw first; by default those not yet drawn.")
    async def lotteries(
        self, info: Info, facility_id: strawberry.ID | None = None, include_drawn: bool = False
    ) -> list[LotteryType]:
        query = LotterySlot.all()
        if facility_id is not None:
            query = query.filter(space__facility_id=parse_int_id(facility_id))
        if not include_drawn:
            query = query.filter(state=LotteryState.OPEN)
        slots = await query.order_by("draw_at", "id").limit(100)
        return [await lottery_view(slot, info) for slot in slots]

    @strawberry.field
    async def lottery(self, info: Info, id: strawberry.ID) -> LotteryType:
        return await lottery_view(await lottery_service.get_lottery(id), info)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def my_lottery_entries(self, info: Info) -> list[LotteryEntryType]:
        entries = (
            await LotteryEntry.filter(resident_id=info.context.resident.id)
            .order_by("-entered_at")
            .limit(100)
            .select_related("lottery_slot", "reservation")
        )
        return [
            LotteryEntryType.from_model(entry, entry.lottery_slot, entry.reservation)
            for entry in entries
        ]


@strawberry.type
class LotteryMutation:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Enter a lottery (once per slot, within the facility's monthly cap).",
    )
    async def enter_lottery(self, info: Info, id: strawberry.ID) -> LotteryEntryType:
        entry = await lottery_service.enter(resident=info.context.resident, lottery_id=id)
        return await entry_view(entry, await LotterySlot.get(id=entry.lottery_slot_id))
