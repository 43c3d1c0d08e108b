"""Lotteries (抽選) in the database: put a slot up, take entries, draw, pass unpaid wins on.

The slot is blocked for first-come booking from the moment it is put up (block rows
owned by the lottery). At the draw the blocks pass to the winner's reservation, and
from one reservation to the next while wins lapse; when nobody is left, the slot is
free for first-come booking. The draw itself is booking.lottery.draw's commit and reveal.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.models import Resident, StaffMember
from booking.constraints import is_overlap_violation
from booking.display import moment_texts, span_texts
from booking.errors import BookingError
from booking.locking import area_of, become_writer, lock_area
from booking.lottery import draw as lottery
from booking.models import (
    LotteryEntry,
    LotterySlot,
    LotteryState,
    Reservation,
    ReservationStatus,
    Space,
    SpaceBlock,
)
from booking.pricing import price_for
from booking.rules import AdvanceWindow
from booking.rules.window import local_date
from booking.service import (
    get_space,
    lock_area_for,
    new_receipt_number,
    parse_public_id,
    release,
    release_lapsed,
    space_tree,
    tell,
    write_blocks,
)
from booking.slots import validate_hold
from booking.spaces import block_space_ids
from booking.staff.service import ensure_manages
from booking.texts import app_error
from core import clock
from core.errors import AppError, ErrorCode, invalid, not_found
from notifications.service import notify

_ANY_TIME_AHEAD = AdvanceWindow(opens_months=120, closes_days=0)


@dataclasses.dataclass(frozen=True)
class LotteryPlan:
    space_id: object
    starts_at: datetime
    ends_at: datetime
    entries_open_at: datetime
    entries_close_at: datetime
    draw_at: datetime
    pay_within_days: int = 3


async def get_lottery(lottery_id: object) -> LotterySlot:
    found = await LotterySlot.get_or_none(public_id=parse_public_id(lottery_id))
    if found is None:
        raise not_found()
    return found


async def put_up(*, staff: StaffMember, plan: LotteryPlan) -> LotterySlot:
    """Put a slot up for lottery; its seed's hash is fixed (published) from now on."""
    space = await get_space(plan.space_id)
    ensure_manages(staff, space.facility)
    now = clock.now()
    _check_plan(space, plan, now)
    seed = lottery.new_seed()
    tree = await space_tree(space.facility_id)
    block_ids = sorted(block_space_ids(space.id, tree))
    day = local_date(plan.starts_at, space.space_rules().zone)
    try:
        async with in_transaction():
            await lock_area(area_of(space.id, tree), day)
            await release_lapsed(block_ids, plan.starts_at, plan.ends_at, now)
            slot = await LotterySlot.create(
                space_id=space.id,
                starts_at=plan.starts_at,
                ends_at=plan.ends_at,
                entries_open_at=plan.entries_open_at,
                entries_close_at=plan.entries_close_at,
                draw_at=plan.draw_at,
                pay_within_days=plan.pay_within_days,
                seed_hash=lottery.seed_hash(seed),
                seed_hex=seed.hex(),
            )
            await write_blocks(block_ids, plan.starts_at, plan.ends_at, lottery_slot_id=slot.id)
    except IntegrityError as error:
        if is_overlap_violation(error):
            raise AppError(ErrorCode.SLOT_TAKEN, "booking.slot_taken") from None
        raise
    return slot


def _check_plan(space: Space, plan: LotteryPlan, now: datetime) -> None:
    rules = dataclasses.replace(space.space_rules(), window=_ANY_TIME_AHEAD)
    try:
        validate_hold(rules, plan.starts_at, plan.ends_at, now)
    except BookingError as error:
        raise app_error(error) from None
    ordered = plan.entries_open_at < plan.entries_close_at <= plan.draw_at < plan.starts_at
    if not ordered or plan.draw_at <= now:
        raise invalid("booking.lottery_bad_times", field="drawAt")
    if not 1 <= plan.pay_within_days <= 14:
        raise invalid("booking.lottery_bad_times", field="payWithinDays")


async def enter(*, resident: Resident, lottery_id: object) -> LotteryEntry:
    slot = await get_lottery(lottery_id)
    space = await Space.get(id=slot.space_id).select_related("facility")
    month = lottery.entry_month(slot.starts_at)
    try:
        async with in_transaction():
            await become_writer()
            await Resident.select_for_update().get(id=resident.id)
            already = await LotteryEntry.exists(lottery_slot_id=slot.id, resident_id=resident.id)
            this_month = await LotteryEntry.filter(
                resident_id=resident.id,
                use_month=month,
                lottery_slot__space__facility_id=space.facility_id,
            ).count()
            lottery.validate_entry(
                opens_at=slot.entries_open_at,
                closes_at=slot.entries_close_at,
                now=clock.now(),
                already_entered=already,
                entries_this_month=this_month,
                monthly_cap=space.facility.lottery_monthly_cap,
            )
            return await LotteryEntry.create(
                lottery_slot_id=slot.id, resident_id=resident.id, use_month=month
            )
    except BookingError as error:
        raise app_error(error) from None
    except IntegrityError:  # the same resident entered twice at once
        raise AppError(ErrorCode.CONFLICT, "booking.error.LOTTERY_ALREADY_ENTERED") from None


def key_of(slot: LotterySlot) -> str:
    return lottery.slot_key(slot.space_id, slot.starts_at, slot.ends_at)


async def draw_due(now: datetime | None = None) -> int:
    """Draw every lottery whose time has come; returns how many were drawn."""
    now = now or clock.now()
    due = await LotterySlot.filter(state=LotteryState.OPEN, draw_at__lte=now).values_list(
        "id", flat=True
    )
    for slot_id in due:
        await draw(int(slot_id), now)  # type: ignore[call-overload]
    return len(due)


async def draw(slot_id: int, now: datetime) -> None:
    planned = await LotterySlot.get(id=slot_id)
    async with in_transaction():
        await lock_area_for(planned.space_id, planned.starts_at)
        slot = await LotterySlot.select_for_update().get(id=slot_id)
        if slot.state is not LotteryState.OPEN:
            return
        entries = {
            str(entry.public_id): entry
            for entry in await LotteryEntry.filter(lottery_slot_id=slot.id)
        }
        order = lottery.draw(bytes.fromhex(slot.seed_hex), key_of(slot), entries)
        for position, entry_id in enumerate(order, start=1):
            entries[entry_id].position = position
            await entries[entry_id].save(update_fields=["position"])
        slot.state = LotteryState.DRAWN if order else LotteryState.SETTLED
        slot.seed_revealed_at = slot.drawn_at = now
        await slot.save(update_fields=["state", "seed_revealed_at", "drawn_at"])
        await SpaceBlock.filter(lottery_slot_id=slot.id, active=True).update(active=False)
        if order:
            await _award(entries[order[0]], slot, now, "lottery.won")
        for entry_id in order[1:]:
            await _tell_entrant(
                entries[entry_id],
                slot,
                "lottery.lost",
                position=(entries[entry_id].position or 1) - 1,
            )


async def _award(entry: LotteryEntry, slot: LotterySlot, now: datetime, message_key: str) -> None:
    """Give the slot to an entrant: a held reservation they have until the deadline to pay."""
    space = await Space.get(id=slot.space_id)
    resident = await Resident.get(id=entry.resident_id)
    pay_by = min(lottery.pay_by(now, slot.pay_within_days), slot.starts_at)
    reservation = await Reservation.create(
        receipt_number=new_receipt_number(),
        space_id=space.id,
        resident_id=resident.id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        status=ReservationStatus.HELD,
        hold_expires_at=pay_by,
        amount_yen=price_for(
            space.pricing(), slot.starts_at, slot.ends_at, resident.is_city_resident
        ),
        resident_rate=resident.is_city_resident,
        from_lottery=True,
    )
    block_ids = sorted(block_space_ids(space.id, await space_tree(space.facility_id)))
    await write_blocks(block_ids, slot.starts_at, slot.ends_at, reservation_id=reservation.id)
    entry.won, entry.pay_by, entry.reservation_id = True, pay_by, reservation.id
    await entry.save(update_fields=["won", "pay_by", "reservation_id"])
    await tell(reservation, message_key, **moment_texts(pay_by - timedelta(minutes=1), "pay_by"))


async def _tell_entrant(
    entry: LotteryEntry, slot: LotterySlot, message_key: str, **params: object
) -> None:
    space = await Space.get(id=slot.space_id).select_related("facility")
    resident = await Resident.get(id=entry.resident_id)
    await notify(
        resident,
        kind="lottery",
        message_key=message_key,
        params={
            "facility_ja": space.facility.name_ja,
            "facility_en": space.facility.name_en,
            "space_ja": space.name_ja,
            "space_en": space.name_en,
            **span_texts(slot.starts_at, slot.ends_at),
            **params,
        },
        link=f"madoguchi://lotteries/{slot.public_id}",
    )


async def lapse(
    reservation: Reservation,
    now: datetime,
    *,
    status: ReservationStatus = ReservationStatus.EXPIRED,
    message_key: str | None = "lottery.win_lapsed",
    **changes: object,
) -> None:
    """The winner did not pay in time (or gave the win up): the next in line gets it."""
    await release(reservation, status, **changes)
    if message_key:
        await tell(reservation, message_key)
    entry = await LotteryEntry.get_or_none(reservation_id=reservation.id)
    if entry is None:
        return
    entry.passed_at = now
    await entry.save(update_fields=["passed_at"])
    slot = await LotterySlot.select_for_update().get(id=entry.lottery_slot_id)
    following = (
        await LotteryEntry.filter(
            lottery_slot_id=slot.id, won=False, passed_at__isnull=True, position__gt=entry.position
        )
        .order_by("position")
        .first()
    )
    if following is None or slot.starts_at <= now:
        slot.state = LotteryState.SETTLED  # nobody left: the slot goes to first come
        await slot.save(update_fields=["state"])
        return
    await _award(following, slot, now, "lottery.moved_up")


async def settle(reservation: Reservation) -> None:
    """The win was paid for: the lottery is over."""
    entry = await LotteryEntry.get_or_none(reservation_id=reservation.id)
    if entry is not None:
        await LotterySlot.filter(id=entry.lottery_slot_id).update(state=LotteryState.SETTLED)


async def reopen_win(reservation: Reservation) -> None:
    """A payment for a win failed: the win stands until its deadline, to be paid again."""
    entry = await LotteryEntry.get_or_none(reservation_id=reservation.id)
    if entry is None or entry.pay_by is None:
        return
    reservation.status = ReservationStatus.HELD
    reservation.hold_expires_at = entry.pay_by
    reservation.payment_reference = None
    await reservation.save(
        update_fields=["status", "hold_expires_at", "payment_reference", "updated_at"]
    )
