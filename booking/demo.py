"""The demo city's facilities: two gyms, the civic exchange centre's rooms, a sports ground,
with hours, slot grids, advance windows, prices and a lottery for a popular evening."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.models import Department
from booking.lottery import draw as lottery
from booking.models import Facility, LotterySlot, Space, SpaceKind
from booking.pricing import PriceUnit
from booking.rules import (
    AdvanceWindow,
    Closure,
    FixedGrid,
    FixedPeriod,
    IntervalGrid,
    Label,
    OpeningHours,
    Period,
    SpaceRules,
)
from booking.rules.as_json import policy_to_json, rules_to_json
from booking.rules.policy import CancellationPolicy, RefundTier
from booking.service import space_tree, write_blocks
from booking.spaces import block_space_ids
from core import clock
from core.clock import TOKYO

MONDAY = 0


def _new_year(today: date) -> tuple[Closure, ...]:
    label = Label("年末年始休館", "New Year holidays")
    return tuple(
        Closure(date(year, 12, 29), date(year + 1, 1, 3), label)
        for year in (today.year - 1, today.year)
    )


def _gym_rules(today: date) -> dict[str, Any]:
    periods = FixedGrid(
        (
            FixedPeriod(Label("午前", "Morning"), time(9), time(12)),
            FixedPeriod(Label("午後", "Afternoon"), time(13), time(17)),
            FixedPeriod(Label("夜間", "Evening"), time(18), time(21)),
        )
    )
    hours = OpeningHours.same_every_day(
        Period(time(9), time(21)), closed_weekdays=(MONDAY,), closures=_new_year(today)
    )
    window = AdvanceWindow(
        opens_months=2, opens_at_month_start=True, closes_days=1, opens_at=time(9)
    )
    return rules_to_json(
        SpaceRules(hours=hours, grid=periods, window=window, max_active_bookings=4)
    )


def _room_rules(today: date) -> dict[str, Any]:
    hours = OpeningHours.same_every_day(
        Period(time(9), time(22)), closed_weekdays=(MONDAY,), closures=_new_year(today)
    )
    grid = IntervalGrid(step_minutes=30, min_minutes=60, max_minutes=240)
    window = AdvanceWindow(opens_months=3, closes_days=0)
    return rules_to_json(SpaceRules(hours=hours, grid=grid, window=window, max_active_bookings=6))


def _ground_rules(today: date) -> dict[str, Any]:
    grid = FixedGrid(
        (
            FixedPeriod(Label("午前", "Morning"), time(8), time(12)),
            FixedPeriod(Label("午後", "Afternoon"), time(13), time(17)),
        )
    )
    winter = tuple(
        Closure(date(year, 12, 1), date(year + 1, 2, 28), Label("冬季閉鎖", "Closed for winter"))
        for year in (today.year - 1, today.year)
    )
    hours = OpeningHours.same_every_day(Period(time(8), time(17)), closures=winter)
    window = AdvanceWindow(
        opens_months=2, opens_at_month_start=True, closes_days=2, opens_at=time(9)
    )
    return rules_to_json(SpaceRules(hours=hours, grid=grid, window=window, max_active_bookings=2))


GYM_POLICY = CancellationPolicy((RefundTier(7, 100), RefundTier(1, 50)), deadline_days_before=1)
ROOM_POLICY = CancellationPolicy.full(deadline_days_before=0)

# name, address, (lat, lng), policy, monthly lottery cap, spaces:
# (key, parent key, kind, name ja/en, capacity, rules, unit, resident yen, non-resident yen)
FACILITIES = [
    (
        ("二本松市民体育館", "Nihonmatsu City Gymnasium"),
        ("福島県二本松市金色403-1", "403-1 Konjiki, Nihonmatsu"),
        (37.5912, 140.4338),
        GYM_POLICY,
        4,
        [
            (
                "whole",
                None,
                SpaceKind.GYM,
                ("アリーナ全面", "Arena, whole floor"),
                300,
                _gym_rules,
                PriceUnit.PER_SLOT,
                3000,
                6000,
            ),
            (
                "a",
                "whole",
                SpaceKind.GYM,
                ("アリーナA面", "Arena, half A"),
                150,
                _gym_rules,
                PriceUnit.PER_SLOT,
                1500,
                3000,
            ),
            (
                "b",
                "whole",
                SpaceKind.GYM,
                ("アリーナB面", "Arena, half B"),
                150,
                _gym_rules,
                PriceUnit.PER_SLOT,
                1500,
                3000,
            ),
        ],
    ),
    (
        ("安達体育館", "Adachi Gymnasium"),
        ("福島県二本松市油井字八幡町", "Hachimanmachi, Yui, Nihonmatsu"),
        (37.5667, 140.4259),
        GYM_POLICY,
        4,
        [
            (
                "whole",
                None,
                SpaceKind.GYM,
                ("体育館", "Gymnasium"),
                200,
                _gym_rules,
                PriceUnit.PER_SLOT,
                2000,
                4000,
            )
        ],
    ),
    (
        ("二本松市市民交流センター", "Nihonmatsu Civic Exchange Centre"),
        ("福島県二本松市本町二丁目3番地1", "2-3-1 Honcho, Nihonmatsu"),
        (37.5880, 140.4318),
        ROOM_POLICY,
        None,
        [
            (
                "room1",
                None,
                SpaceKind.ROOM,
                ("第1会議室", "Meeting room 1"),
                36,
                _room_rules,
                PriceUnit.PER_HOUR,
                500,
                1000,
            ),
            (
                "room2",
                None,
                SpaceKind.ROOM,
                ("第2会議室", "Meeting room 2"),
                18,
                _room_rules,
                PriceUnit.PER_HOUR,
                300,
                600,
            ),
            (
                "washitsu",
                None,
                SpaceKind.ROOM,
                ("和室", "Japanese-style room"),
                20,
                _room_rules,
                PriceUnit.PER_HOUR,
                300,
                600,
            ),
            (
                "activity",
                None,
                SpaceKind.ROOM,
                ("市民活動室", "Community activity room"),
                12,
                _room_rules,
                PriceUnit.PER_SLOT,
                0,
                0,
            ),
        ],
    ),
    (
        ("城山総合運動場", "Shiroyama Sports Ground"),
        ("福島県二本松市郭内四丁目", "4-chome Kakunai, Nihonmatsu"),
        (37.5962, 140.4372),
        GYM_POLICY,
        2,
        [
            (
                "whole",
                None,
                SpaceKind.GROUND,
                ("グラウンド全面", "Ground, whole field"),
                None,
                _ground_rules,
                PriceUnit.PER_SLOT,
                2000,
                4000,
            ),
            (
                "north",
                "whole",
                SpaceKind.GROUND,
                ("グラウンド北面", "Ground, north half"),
                None,
                _ground_rules,
                PriceUnit.PER_SLOT,
                1000,
                2000,
            ),
            (
                "south",
                "whole",
                SpaceKind.GROUND,
                ("グラウンド南面", "Ground, south half"),
                None,
                _ground_rules,
                PriceUnit.PER_SLOT,
                1000,
                2000,
            ),
        ],
    ),
]


async def seed(report) -> None:
    today = clock.now().astimezone(TOKYO).date()
    department = await Department.get_or_none(code="sports")
    for names, addresses, (lat, lng), policy, cap, spaces in FACILITIES:
        facility, created = await Facility.get_or_create(
            name_ja=names[0],
            defaults={
                "name_en": names[1],
                "address_ja": addresses[0],
                "address_en": addresses[1],
                "latitude": lat,
                "longitude": lng,
                "department": department,
                "cancellation_policy": policy_to_json(policy),
                "lottery_monthly_cap": cap,
            },
        )
        made: dict[str, Space] = {}
        for key, parent, kind, (
            name_ja,
            name_en,
        ), capacity, rules, unit, resident_yen, other_yen in spaces:
            made[key], _ = await Space.get_or_create(
                facility=facility,
                name_ja=name_ja,
                defaults={
                    "parent": made.get(parent) if parent else None,
                    "kind": kind,
                    "name_en": name_en,
                    "capacity": capacity,
                    "rules": rules(today),
                    "price_unit": unit,
                    "resident_price_yen": resident_yen,
                    "non_resident_price_yen": other_yen,
                },
            )
        if created:
            report(f"facility: {names[0]} ({len(spaces)} spaces)")
    await _seed_lottery(today)


async def _seed_lottery(today: date) -> None:
    """A Saturday evening on the whole arena five to six weeks ahead goes by lottery."""
    if await LotterySlot.exists():
        return
    arena = await Space.get_or_none(name_ja="アリーナ全面")
    if arena is None:
        return
    day = today + timedelta(days=35 + (5 - today.weekday()) % 7)
    starts_at = datetime.combine(day, time(18), TOKYO)
    now = clock.now()
    seed = lottery.new_seed()
    try:
        async with in_transaction():
            slot = await LotterySlot.create(
                space=arena,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=3),
                entries_open_at=now,
                entries_close_at=now + timedelta(days=14),
                draw_at=now + timedelta(days=14, hours=1),
                pay_within_days=3,
                seed_hash=lottery.seed_hash(seed),
                seed_hex=seed.hex(),
            )
            block_ids = sorted(block_space_ids(arena.id, await space_tree(arena.facility_id)))
            await write_blocks(block_ids, slot.starts_at, slot.ends_at, lottery_slot_id=slot.id)
    except IntegrityError:  # someone booked that evening already: no demo lottery then
        return
