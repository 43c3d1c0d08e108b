"""The booking models, as migrated, take the constraints and refuse double booking,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.models import Resident
from booking.constraints import is_overlap_violation
from booking.models import (
    ACTIVE_STATUSES,
    Facility,
    LotteryEntry,
    LotterySlot,
    Reservation,
    ReservationStatus,
    Space,
    SpaceBlock,
    SpaceKind,
)
from booking.pricing import PriceUnit
from booking.rules.as_json import rules_to_json
from booking.rules.policy import CancellationPolicy
from booking.spaces import block_space_ids
from core.database import dialect

JST = ZoneInfo("Asia/Tokyo")
START = datetime(2025, 6, 1, 9, tzinfo=JST)


@pytest.fixture
async def engine(app) -> str:
    """The app's migrated database (SQLite or PostgreSQL); yields the dialect."""
    return dialect()


async def make_gym(gym_rules) -> dict[str, Space]:
    facility = await Facility.create(
        name_ja="市民体育館", name_en="City Gymnasium", address_ja="本町1-1"
    )
    common = {"facility": facility, "kind": SpaceKind.GYM, "rules": rules_to_json(gym_rules)}
    whole = await Space.create(name_ja="全面", name_en="Whole floor", **common)
    half_a = await Space.create(name_ja="A面", name_en="Half A", parent=whole, **common)
    half_b = await Space.create(name_ja="B面", name_en="Half B", parent=whole, **common)
    return {"whole": whole, "a": half_a, "b": half_b}


async def reserve(space: Space, parent_of: dict, start: datetime, hours: int = 3) -> Reservation:
    """What the hold service will do: the reservation and its block rows, all or nothing."""
    resident = await Resident.create(display_name="山田花子")
    end = start + timedelta(hours=hours)
    async with in_transaction() as transaction:
        reservation = await Reservation.create(
            receipt_number=uuid.uuid4().hex[:10].upper(),
            space=space,
            resident=resident,
            starts_at=start,
            ends_at=end,
            amount_yen=1500,
            hold_expires_at=start - timedelta(days=1),
            using_db=transaction,
        )
        for space_id in sorted(block_space_ids(space.id, parent_of)):
            await SpaceBlock.create(
                space_id=space_id,
                reservation=reservation,
                starts_at=start,
                ends_at=end,
                using_db=transaction,
            )
    return reservation


def parents(spaces: dict[str, Space]) -> dict[int, int | None]:
    return {space.id: space.parent_id for space in spaces.values()}


async def test_models__whole_gym_after_half__refused_and_rolled_back(engine, gym_rules):
    spaces = await make_gym(gym_rules)
    await reserve(spaces["a"], parents(spaces), START)

    with pytest.raises(IntegrityError) as caught:
        await reserve(spaces["whole"], parents(spaces), START + timedelta(hours=1))

    assert is_overlap_violation(caught.value)
    assert await Reservation.all().count() == 1
    assert await SpaceBlock.all().count() == 1


async def test_models__other_half_and_back_to_back__allowed(engine, gym_rules):
    spaces = await make_gym(gym_rules)
    await reserve(spaces["a"], parents(spaces), START)
    await reserve(spaces["b"], parents(spaces), START)
    await reserve(spaces["whole"], parents(spaces), START + timedelta(hours=3))

    assert await SpaceBlock.filter(space_id=spaces["a"].id).count() == 2


async def test_models__cancelled_reservation_frees_its_blocks(engine, gym_rules):
    spaces = await make_gym(gym_rules)
    first = await reserve(spaces["whole"], parents(spaces), START)
    first.status = ReservationStatus.CANCELLED
    await first.save()
    await SpaceBlock.filter(reservation=first).update(active=False)

    second = await reserve(spaces["b"], parents(spaces), START)

    assert second.status is ReservationStatus.HELD
    assert ReservationStatus.CANCELLED not in ACTIVE_STATUSES


async def test_models__times_come_back_as_the_same_instants(engine, gym_rules):
    spaces = await make_gym(gym_rules)
    made = await reserve(spaces["a"], parents(spaces), START)

    loaded = await Reservation.get(id=made.id)

    assert loaded.starts_at == START
    assert loaded.starts_at.utcoffset() == timedelta(0)
    assert isinstance(loaded.public_id, uuid.UUID)


async def test_models__times_are_written_in_utc_and_filter_as_instants(engine, gym_rules):
    spaces = await make_gym(gym_rules)
    made = await reserve(spaces["a"], parents(spaces), START)
    connection = Reservation._meta.db

    _, rows = await connection.execute_query(
        f"SELECT starts_at FROM booking_reservation WHERE id = {made.id}"
    )
    stored = rows[0][0]

    if engine == "sqlite":
        assert stored == "2025-06-01 00:00:00+00:00"
    else:
        assert stored == START
    assert (
        await Reservation.filter(
            starts_at__gte=START, starts_at__lt=START + timedelta(minutes=1)
        ).count()
        == 1
    )
    assert (
        await Reservation.filter(
            starts_at__gt=START - timedelta(hours=1), ends_at__lte=START
        ).count()
        == 0
    )


async def test_models__space_reads_its_rules_pricing_and_policy(engine, gym_rules):
    spaces = await make_gym(gym_rules)
    space = await Space.get(id=spaces["a"].id).prefetch_related("facility")

    assert space.space_rules() == gym_rules
    assert space.pricing().unit is PriceUnit.PER_SLOT
    assert space.facility.policy() == CancellationPolicy.full()


async def test_models__one_lottery_entry_per_resident_and_slot(engine, gym_rules):
    spaces = await make_gym(gym_rules)
    resident = await Resident.create(display_name="佐藤一郎")
    now = datetime(2025, 5, 1, tzinfo=UTC)
    slot = await LotterySlot.create(
        space=spaces["whole"],
        starts_at=START,
        ends_at=START + timedelta(hours=3),
        entries_open_at=now,
        entries_close_at=now + timedelta(days=10),
        draw_at=now + timedelta(days=11),
        seed_hash="0" * 64,
        seed_hex="1" * 64,
    )
    await LotteryEntry.create(lottery_slot=slot, resident=resident, use_month="2025-06")

    with pytest.raises(IntegrityError):
        await LotteryEntry.create(lottery_slot=slot, resident=resident, use_month="2025-06")
