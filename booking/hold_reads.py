"""The read every holdSlot makes, written as plain SQL.

In the 9:00 rush a thousand residents press holdSlot at once. Tortoise's query builder
costs about three times the query itself (≈450 µs against ≈130 µs of CPU for a one-row
read), so the hot path's read is written out: the space with its facility's hold time,
the facility's space tree and what stands on the asked-for time, in one statement.
Only numbers, dates and constants go into the parameters; no text is spliced in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from booking.models import ReservationStatus, SpaceRules, rules_of
from booking.pricing import PriceUnit, Pricing
from core.errors import not_found
from core.sql import Statement


class Standing(NamedTuple):
    """An active block row on a slot, with what `is_lapsed` reads of its reservation."""

    reservation_id: int | None  # None: a lottery slot's block
    status: ReservationStatus | None
    from_lottery: bool
    hold_expires_at: datetime | None
    payment_reference: str | None


@dataclass(frozen=True, slots=True)
class HoldTarget:
    """An active space as a hold needs it, its facility's space tree, and what stands on
    the asked-for time in the facility's spaces."""

    space_id: int
    facility_id: int
    rules: SpaceRules
    pricing: Pricing
    hold_minutes: int
    tree: dict[int, int | None]
    asked: tuple[datetime, datetime]
    standing: tuple[tuple[int, Standing], ...]  # (space id, block row)

    def standing_on(self, block_ids: list[int]) -> list[Standing]:
        spaces = set(block_ids)
        return [row for space_id, row in self.standing if space_id in spaces]


def _standing(row: Any) -> Standing:
    """(reservation_id, status, from_lottery, hold_expires_at, payment_reference) as the
    engine hands them back (SQLite: text and integers)."""
    reservation_id, status, from_lottery, expires, payment_reference = row
    return Standing(
        reservation_id=reservation_id,
        status=ReservationStatus(status) if status is not None else None,
        from_lottery=bool(from_lottery),
        hold_expires_at=datetime.fromisoformat(expires) if isinstance(expires, str) else expires,
        payment_reference=payment_reference,
    )


async def hold_target(
    space_id: int, starts_at: datetime, ends_at: datetime, *, unlisted: bool = False
) -> HoldTarget:
    """The active space `space_id` (NOT_FOUND otherwise; a space of an unlisted facility
    only when `unlisted`) and what stands on [starts_at, ends_at) in its facility, in one
    statement."""
    sql = Statement()
    rows = await sql.rows(
        "SELECT s.id, s.parent_id, s.facility_id, s.is_active, s.rules, s.price_unit,"
        " s.resident_price_yen, s.non_resident_price_yen, f.hold_minutes, f.listed,"
        " b.id, b.reservation_id, r.status, r.from_lottery, r.hold_expires_at,"
        " r.payment_reference"
        " FROM booking_space s JOIN booking_facility f ON f.id = s.facility_id"
        " LEFT JOIN booking_space_block b ON b.space_id = s.id"
        f" AND b.active = {sql.param(True)} AND b.starts_at < {sql.param(ends_at)}"
        f" AND b.ends_at > {sql.param(starts_at)}"
        " LEFT JOIN booking_reservation r ON r.id = b.reservation_id"
        " WHERE s.facility_id = (SELECT facility_id FROM booking_space"
        f" WHERE id = {sql.param(space_id)})"
    )
    found = next((row for row in rows if row[0] == space_id and row[3]), None)
    if found is None or not (found[9] or unlisted):
        raise not_found()
    rules, unit, resident_yen, non_resident_yen, hold_minutes = found[4:9]
    return HoldTarget(
        space_id=space_id,
        facility_id=found[2],
        rules=rules_of(json.loads(rules) if isinstance(rules, str) else rules),
        pricing=Pricing(PriceUnit(unit), resident_yen, non_resident_yen),
        hold_minutes=hold_minutes,
        tree={row[0]: row[1] for row in rows},
        asked=(starts_at, ends_at),
        standing=tuple((row[0], _standing(row[11:])) for row in rows if row[10] is not None),
    )


async def standing_on(
    block_ids: list[int], starts_at: datetime, ends_at: datetime
) -> list[Standing]:
    """The active block rows on [starts_at, ends_at) of these spaces, in one statement."""
    sql = Statement()
    spaces = ",".join(sql.param(int(space_id)) for space_id in block_ids) or "NULL"
    rows = await sql.rows(
        "SELECT b.reservation_id, r.status, r.from_lottery, r.hold_expires_at,"
        " r.payment_reference"
        " FROM booking_space_block b"
        " LEFT JOIN booking_reservation r ON r.id = b.reservation_id"
        f" WHERE b.space_id IN ({spaces}) AND b.active = {sql.param(True)}"
        f" AND b.starts_at < {sql.param(ends_at)} AND b.ends_at > {sql.param(starts_at)}"
    )
    return [_standing(row) for row in rows]
