"""Reservations: hold a slot, confirm it, let it go; and the look-ups the API needs.

No double booking is the database's job (booking.constraints): a hold writes one
block row per space it occupies and the insert fails when a slot is taken. What the
constraint cannot do, because it cannot look at the clock, is done here first in the
same transaction: lapsed holds on the slot are released.
Callers own no transaction here: each use case opens its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

import booking.texts  # noqa: F401 - registers the texts
from accounts.models import Resident
from accounts.service import on_merge
from booking.constraints import is_overlap_violation
from booking.display import span_texts
from booking.errors import BookingError
from booking.hold_reads import HoldTarget, Standing, hold_target, standing_on
from booking.locking import area_of, hold_turn, lock_area, retrying
from booking.models import (
    ACTIVE_STATUSES,
    Facility,
    LotteryEntry,
    Reservation,
    ReservationStatus,
    Space,
    SpaceBlock,
)
from booking.pricing import price_for
from booking.rules.policy import ensure_under_active_limit
from booking.rules.window import local_date
from booking.slots import validate_hold
from booking.spaces import block_space_ids
from booking.texts import app_error
from core import clock
from core.database import dialect
from core.errors import AppError, ErrorCode, not_found, public_id_or_not_found
from core.receipts import receipt_number
from notifications.service import notify

#: A lapsed hold with a checkout session is left this long for the worker to ask Stripe
#: about it before a new hold may take its slot.
PAYMENT_GRACE = timedelta(minutes=5)
HOLDING = (ReservationStatus.HELD, ReservationStatus.PENDING_PAYMENT)


def parse_int_id(value: object) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise not_found() from None
    if not 0 < number < 2**31:
        raise not_found()
    return number


parse_public_id = public_id_or_not_found


def new_receipt_number() -> str:
    return receipt_number(prefix="R", length=9)


async def get_space(space_id: object, *, unlisted: bool = False) -> Space:
    """An active space with its facility (two plain queries cost less than Tortoise's join);
    a space of an unlisted facility only when `unlisted`."""
    space = await Space.get_or_none(id=parse_int_id(space_id), is_active=True)
    if space is None:
        raise not_found()
    space.facility = await Facility.get(id=space.facility_id)
    if not space.facility.listed and not unlisted:
        raise not_found()
    return space


async def space_tree(facility_id: int) -> dict[int, int | None]:
    """Each space of the facility and the space it is part of."""
    rows = await Space.filter(facility_id=facility_id).values_list("id", "parent_id")
    return {space_id: parent_id for space_id, parent_id in rows}


async def reservation_of(resident: Resident, reservation_id: object) -> Reservation:
    """The resident's own reservation; anyone else's is NOT_FOUND, like a missing one."""
    found = await Reservation.get_or_none(
        public_id=parse_public_id(reservation_id), resident_id=resident.id
    )
    if found is None:
        raise not_found()
    return found


async def locked(reservation_id: int) -> Reservation:
    """The reservation, row-locked on PostgreSQL (SQLite writes one at a time anyway)."""
    return await Reservation.select_for_update().get(id=reservation_id)


def is_lapsed(reservation: Reservation | Standing, now: datetime) -> bool:
    """A hold whose time is up, and that a new hold may release (lottery wins excepted)."""
    if reservation.status not in HOLDING or reservation.from_lottery:
        return False
    if reservation.hold_expires_at is None:
        return False
    grace = PAYMENT_GRACE if reservation.payment_reference else timedelta(0)
    return reservation.hold_expires_at + grace <= now


# --- holding --------------------------------------------------------------------------


async def hold_slot(
    *,
    resident: Resident,
    space_id: object,
    start: datetime,
    end: datetime,
    online_payment: bool = True,
    unlisted: bool = False,
) -> Reservation:
    """Hold a slot to pay for it. Without online payment (`online_payment` False) a slot with a
    fee is refused before anything is held: a hold nobody can pay for only blocks others.
    A space of an unlisted facility (a city hall counter) only when `unlisted`."""
    space_key = parse_int_id(space_id)
    # In a rush a hundred residents ask for each slot at once: they take turns here, and
    # those after the winner find its booking in their one read and are refused without a
    # transaction, a turn at the database's lock or a refused insert.
    async with hold_turn(space_key, start):
        target = await hold_target(space_key, start, end, unlisted=unlisted)
        now = clock.now()
        try:
            slot = validate_hold(target.rules, start, end, now)
            amount = price_for(
                target.pricing, slot.start_utc, slot.end_utc, resident.is_city_resident
            )
        except BookingError as error:
            raise app_error(error) from None
        if amount > 0 and not online_payment:
            raise AppError(ErrorCode.PAYMENT_NOT_CONFIGURED, "booking.online_payment_off")
        hold = _Hold(resident, target, slot.start_utc, slot.end_utc, amount, now)
        if target.rules.max_active_bookings is None:  # else the limit is checked first
            _refuse_if_held(await hold.standing(), now)
        try:
            return await retrying(hold.in_transaction)
        except IntegrityError as error:
            if is_overlap_violation(error):
                raise AppError(ErrorCode.SLOT_TAKEN, "booking.slot_taken") from None
            raise


@dataclass(frozen=True)
class _Hold:
    resident: Resident
    target: HoldTarget
    starts_at: datetime
    ends_at: datetime
    amount: int
    now: datetime

    @property
    def block_ids(self) -> list[int]:
        return sorted(block_space_ids(self.target.space_id, self.target.tree))

    @property
    def area(self) -> int:
        return area_of(self.target.space_id, self.target.tree)

    async def standing(self) -> list[Standing]:
        if self.target.asked == (self.starts_at, self.ends_at):  # read with the space
            return self.target.standing_on(self.block_ids)
        return await standing_on(self.block_ids, self.starts_at, self.ends_at)

    async def in_transaction(self) -> Reservation:
        target, block_ids, now = self.target, self.block_ids, self.now
        async with in_transaction():
            await lock_area(self.area, local_date(self.starts_at, target.rules.zone))
            standing = await release_lapsed(block_ids, self.starts_at, self.ends_at, now)
            limit = target.rules.max_active_bookings
            await _check_active_limit(self.resident, target.facility_id, limit, now)
            _refuse_if_held(standing, now)
            reservation = await Reservation.create(
                receipt_number=new_receipt_number(),
                space_id=target.space_id,
                resident_id=self.resident.id,
                starts_at=self.starts_at,
                ends_at=self.ends_at,
                status=ReservationStatus.HELD,
                hold_expires_at=now + timedelta(minutes=target.hold_minutes),
                amount_yen=self.amount,
                resident_rate=self.resident.is_city_resident,
            )
            await write_blocks(
                block_ids, self.starts_at, self.ends_at, reservation_id=reservation.id
            )
            return reservation


def _refuse_if_held(standing: list[Standing], now: datetime) -> None:
    """SLOT_TAKEN when a booking that has not lapsed stands on the slot: the insert would be
    refused by the database (booking.constraints), which still decides every other case."""
    if any(row.reservation_id is None or not is_lapsed(row, now) for row in standing):
        raise AppError(ErrorCode.SLOT_TAKEN, "booking.slot_taken")


async def write_blocks(
    space_ids: list[int],
    starts_at: datetime,
    ends_at: datetime,
    *,
    reservation_id: int | None = None,
    lottery_slot_id: int | None = None,
) -> None:
    await SpaceBlock.bulk_create(
        [
            SpaceBlock(
                space_id=space_id,
                reservation_id=reservation_id,
                lottery_slot_id=lottery_slot_id,
                starts_at=starts_at,
                ends_at=ends_at,
            )
            for space_id in space_ids
        ]
    )


async def _check_active_limit(
    resident: Resident, facility_id: int, limit: int | None, now: datetime
) -> None:
    if limit is None:
        return
    if dialect() != "sqlite":  # one hold at a time per resident, so two cannot both pass
        await Resident.select_for_update().get(id=resident.id)
    active = await Reservation.filter(
        resident_id=resident.id,
        space__facility_id=facility_id,
        status__in=list(ACTIVE_STATUSES),
        ends_at__gt=now,
    ).count()
    try:
        ensure_under_active_limit(active, limit)
    except BookingError as error:
        raise app_error(error) from None


async def release_lapsed(
    block_ids: list[int], starts_at: datetime, ends_at: datetime, now: datetime
) -> list[Standing]:
    """Expire the lapsed holds that stand on [starts_at, ends_at) of these spaces; what
    still stands after that."""
    standing = await standing_on(block_ids, starts_at, ends_at)
    released = set()
    for row in standing:
        if row.reservation_id is None or row.reservation_id in released:
            continue
        if row.status not in HOLDING or row.from_lottery:
            continue
        if row.hold_expires_at is None or row.hold_expires_at > now:
            continue
        reservation = await locked(row.reservation_id)
        if is_lapsed(reservation, now):  # read again under the row lock
            await release(reservation, ReservationStatus.EXPIRED)
            await tell(reservation, "booking.hold_expired")
            released.add(row.reservation_id)
    return [row for row in standing if row.reservation_id not in released]


async def lock_area_for(space_id: int, starts_at: datetime) -> None:
    """booking.locking.lock_area for a booking of `space_id` starting at `starts_at`."""
    space = await Space.get(id=space_id)
    tree = await space_tree(space.facility_id)
    await lock_area(area_of(space_id, tree), local_date(starts_at, space.space_rules().zone))


# --- state changes (inside the caller's transaction) ----------------------------------


async def release(reservation: Reservation, status: ReservationStatus, **changes: object) -> None:
    """End a reservation and free its slot."""
    reservation.status = status
    reservation.hold_expires_at = None
    for name, value in changes.items():
        setattr(reservation, name, value)
    await reservation.save(update_fields=["status", "hold_expires_at", "updated_at", *changes])
    await SpaceBlock.filter(reservation_id=reservation.id, active=True).update(active=False)


async def confirm(reservation: Reservation, *, tell_resident: bool = True) -> None:
    """Confirm a reservation; the resident is told unless they just did it themselves (the
    answer to their own call already says so, and a second message would repeat it)."""
    reservation.status = ReservationStatus.CONFIRMED
    reservation.confirmed_at = clock.now()
    reservation.hold_expires_at = None
    await reservation.save(
        update_fields=["status", "confirmed_at", "hold_expires_at", "updated_at"]
    )
    if tell_resident:
        await tell(reservation, "booking.confirmed")


async def describe(reservation: Reservation) -> dict[str, str]:
    """The parameters every booking message uses: where, when, which receipt."""
    space = await Space.get(id=reservation.space_id).select_related("facility")
    return {
        "facility_ja": space.facility.name_ja,
        "facility_en": space.facility.name_en,
        "space_ja": space.name_ja,
        "space_en": space.name_en,
        "receipt": reservation.receipt_number,
        **span_texts(reservation.starts_at, reservation.ends_at),
    }


async def tell(reservation: Reservation, message_key: str, **params: object) -> None:
    """Notify the reservation's resident through the outbox, in the caller's transaction."""
    resident = await Resident.get(id=reservation.resident_id)
    await notify(
        resident,
        kind="booking",
        message_key=message_key,
        params={**await describe(reservation), **params},
        link=f"madoguchi://reservations/{reservation.public_id}",
    )


@on_merge
async def move_to(source: Resident, target: Resident) -> None:
    """A Telegram resident joined an app account: their reservations and entries move along.
    Where both entered the same lottery, the account's own entry stays."""
    await Reservation.filter(resident_id=source.id).update(resident_id=target.id)
    taken = await LotteryEntry.filter(resident_id=target.id).values_list(
        "lottery_slot_id", flat=True
    )
    await LotteryEntry.filter(resident_id=source.id, lottery_slot_id__in=list(taken)).delete()
    await LotteryEntry.filter(resident_id=source.id).update(resident_id=target.id)
