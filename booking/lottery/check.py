"""Checking a drawn lottery, as anyone can: the revealed seed is the committed one, and
drawing again with it gives the announced order (see booking.lottery.draw)."""

from __future__ import annotations

import dataclasses

from booking.lottery import draw as lottery
from booking.lottery.service import get_lottery, key_of
from booking.models import LotteryEntry


@dataclasses.dataclass(frozen=True)
class DrawCheck:
    seed_hash: str
    seed: str | None
    slot_key: str
    entrants: list[str]
    order: list[str]
    seed_matches: bool
    order_matches: bool


async def check_draw(lottery_id: object) -> DrawCheck:
    slot = await get_lottery(lottery_id)
    entries = await LotteryEntry.filter(lottery_slot_id=slot.id).order_by("position")
    entrants = sorted(str(entry.public_id) for entry in entries)
    revealed = slot.seed_revealed_at is not None
    order = [str(entry.public_id) for entry in entries] if revealed else []
    seed = slot.seed_hex if revealed else None
    return DrawCheck(
        seed_hash=slot.seed_hash,
        seed=seed,
        slot_key=key_of(slot),
        entrants=entrants,
        order=order,
        seed_matches=bool(seed) and lottery.verify(seed, slot.seed_hash),
        order_matches=bool(seed)
        and lottery.verify_draw(seed, slot.seed_hash, key_of(slot), entrants, order),
    )
