"""Facilities, spaces, reservations, lotteries and the block rows that stop double booking."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from tortoise import fields, models

from booking.pricing import PriceUnit, Pricing
from booking.rules import SpaceRules
from booking.rules.as_json import policy_from_json, rules_from_json
from booking.rules.policy import CancellationPolicy


class UtcDatetimeField(fields.DatetimeField):
    """A datetime written in UTC whatever offset it comes with, so that SQLite, which keeps
    datetimes as text, orders and compares them as instants."""

    def to_db_value(self, value: Any, instance: Any) -> Any:
        value = super().to_db_value(value, instance)
        if isinstance(value, datetime) and value.utcoffset() is not None:
            return value.astimezone(UTC)
        return value

    def to_python_value(self, value: Any) -> Any:
        # SQLite hands back text, which the standard library parses many times faster.
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                pass
        return super().to_python_value(value)


@lru_cache(maxsize=1024)
def _parsed_rules(text: str) -> SpaceRules:
    """Rules are read on every availability and hold: parse each distinct text once."""
    return rules_from_json(json.loads(text))


def rules_of(rules: Any) -> SpaceRules:
    """A space's rules from their JSON value, parsed once per distinct value."""
    return _parsed_rules(json.dumps(rules, sort_keys=True))


class SpaceKind(StrEnum):
    GYM = "GYM"
    ROOM = "ROOM"
    GROUND = "GROUND"


class ReservationStatus(StrEnum):
    HELD = "HELD"
    PENDING_PAYMENT = "PENDING_PAYMENT"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"


#: Statuses whose block rows are active, i.e. that keep the slot taken.
ACTIVE_STATUSES = frozenset(
    {ReservationStatus.HELD, ReservationStatus.PENDING_PAYMENT, ReservationStatus.CONFIRMED}
)


class LotteryState(StrEnum):
    OPEN = "OPEN"
    DRAWN = "DRAWN"
    SETTLED = "SETTLED"
    CANCELLED = "CANCELLED"


def full_refund_policy() -> dict[str, Any]:
    """Cancel until the slot starts, money back in full."""
    return {"tiers": [{"days_before": 0, "percent": 100}]}


class Facility(models.Model):
    """A city facility (体育館, 公民館, 運動場) run by one department."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    department_id: int
    name_ja = fields.CharField(max_length=200)
    name_en = fields.CharField(max_length=200)
    address_ja = fields.CharField(max_length=300)
    address_en = fields.CharField(max_length=300, default="")
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    department = fields.ForeignKeyField(
        "accounts.Department", related_name="facilities", null=True, on_delete=fields.SET_NULL
    )
    #: Refund tiers for residents' own cancellations, see booking.rules.as_json.
    cancellation_policy = fields.JSONField(default=full_refund_policy)
    #: Most lottery entries a resident may make per month of use, null for no cap.
    lottery_monthly_cap = fields.IntField(null=True)
    #: How long a held slot waits for payment.
    hold_minutes = fields.IntField(default=30)
    #: Shown in the facility search and bookable by anyone. A city hall counter is not:
    #: applications book its slots for counter visits.
    listed = fields.BooleanField(default=True, db_default=True)  # for existing rows
    created_at = UtcDatetimeField(auto_now_add=True)

    class Meta:
        table = "booking_facility"

    def policy(self) -> CancellationPolicy:
        return policy_from_json(self.cancellation_policy)


class Space(models.Model):
    """A bookable space. `parent` is the space it is part of (half of a gym)."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    facility_id: int
    facility = fields.ForeignKeyField(
        "booking.Facility", related_name="spaces", on_delete=fields.RESTRICT
    )
    parent = fields.ForeignKeyField(
        "booking.Space", related_name="parts", null=True, on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(SpaceKind, max_length=16)
    name_ja = fields.CharField(max_length=200)
    name_en = fields.CharField(max_length=200)
    capacity = fields.IntField(null=True)
    #: Opening hours, grid and advance window, see booking.rules.as_json.
    rules = fields.JSONField()
    price_unit = fields.CharEnumField(PriceUnit, max_length=16, default=PriceUnit.PER_SLOT)
    resident_price_yen = fields.IntField(default=0)
    non_resident_price_yen = fields.IntField(default=0)
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "booking_space"

    def space_rules(self) -> SpaceRules:
        return rules_of(self.rules)

    def pricing(self) -> Pricing:
        return Pricing(self.price_unit, self.resident_price_yen, self.non_resident_price_yen)


class Reservation(models.Model):
    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    resident_id: int
    space_id: int
    public_id = fields.UUIDField(unique=True, default=uuid.uuid4)
    #: Short number (受付番号) a resident quotes on the phone.
    receipt_number = fields.CharField(max_length=20, unique=True)
    space = fields.ForeignKeyField(
        "booking.Space", related_name="reservations", on_delete=fields.RESTRICT
    )
    resident = fields.ForeignKeyField(
        "accounts.Resident", related_name="reservations", on_delete=fields.RESTRICT
    )
    starts_at = UtcDatetimeField()
    ends_at = UtcDatetimeField()
    status = fields.CharEnumField(ReservationStatus, max_length=20, default=ReservationStatus.HELD)
    hold_expires_at = UtcDatetimeField(null=True)
    amount_yen = fields.IntField()
    resident_rate = fields.BooleanField(default=True)
    payment_reference = fields.CharField(max_length=255, null=True)
    refund_yen = fields.IntField(null=True)
    confirmed_at = UtcDatetimeField(null=True)
    cancelled_at = UtcDatetimeField(null=True)
    cancelled_by_staff = fields.BooleanField(default=False)
    cancel_reason = fields.CharField(max_length=300, default="")
    #: Won in a lottery: an unpaid win passes to the next in line, not to first come.
    from_lottery = fields.BooleanField(default=False)
    created_at = UtcDatetimeField(auto_now_add=True)
    updated_at = UtcDatetimeField(auto_now=True)

    class Meta:
        table = "booking_reservation"
        indexes = (
            ("space_id", "starts_at"),
            ("resident_id", "status"),
            ("status", "hold_expires_at"),
        )


class LotterySlot(models.Model):
    """A slot put up for lottery. The seed is committed to by `seed_hash` when entries open."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    space_id: int
    public_id = fields.UUIDField(unique=True, default=uuid.uuid4)
    space = fields.ForeignKeyField(
        "booking.Space", related_name="lottery_slots", on_delete=fields.RESTRICT
    )
    starts_at = UtcDatetimeField()
    ends_at = UtcDatetimeField()
    entries_open_at = UtcDatetimeField()
    entries_close_at = UtcDatetimeField()
    draw_at = UtcDatetimeField()
    #: Days a winner has to pay before the win passes to the next in line.
    pay_within_days = fields.IntField(default=3)
    seed_hash = fields.CharField(max_length=64)
    #: The secret seed, published only once the state is DRAWN.
    seed_hex = fields.CharField(max_length=128)
    seed_revealed_at = UtcDatetimeField(null=True)
    drawn_at = UtcDatetimeField(null=True)
    state = fields.CharEnumField(LotteryState, max_length=16, default=LotteryState.OPEN)
    created_at = UtcDatetimeField(auto_now_add=True)

    class Meta:
        table = "booking_lottery_slot"
        indexes = (("state", "draw_at"), ("space_id", "starts_at"))


class LotteryEntry(models.Model):
    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    lottery_slot_id: int
    resident_id: int
    #: The entry number published with the entrant list and the drawn order.
    public_id = fields.UUIDField(unique=True, default=uuid.uuid4)
    lottery_slot = fields.ForeignKeyField(
        "booking.LotterySlot", related_name="entries", on_delete=fields.CASCADE
    )
    resident = fields.ForeignKeyField(
        "accounts.Resident", related_name="lottery_entries", on_delete=fields.CASCADE
    )
    #: Local month of use, "YYYY-MM", counted for the monthly entry cap.
    use_month = fields.CharField(max_length=7)
    entered_at = UtcDatetimeField(auto_now_add=True)
    #: Place in the drawn order, 1 first, null until the draw.
    position = fields.IntField(null=True)
    won = fields.BooleanField(default=False)
    pay_by = UtcDatetimeField(null=True)
    #: When the win passed on (declined or unpaid by `pay_by`).
    passed_at = UtcDatetimeField(null=True)
    reservation = fields.ForeignKeyField(
        "booking.Reservation", related_name="lottery_entries", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "booking_lottery_entry"
        unique_together = (("lottery_slot", "resident"),)
        indexes = (("resident_id", "use_month"),)


class SpaceBlock(models.Model):
    """One space taken for [starts_at, ends_at) by a reservation or a lottery slot.

    A booking writes a row for its space and each of its parts. The database refuses
    two active rows of one space that overlap (booking.constraints).
    """

    id = fields.IntField(primary_key=True)
    space = fields.ForeignKeyField(
        "booking.Space", related_name="blocks", on_delete=fields.RESTRICT
    )
    reservation = fields.ForeignKeyField(
        "booking.Reservation", related_name="blocks", null=True, on_delete=fields.CASCADE
    )
    lottery_slot = fields.ForeignKeyField(
        "booking.LotterySlot", related_name="blocks", null=True, on_delete=fields.CASCADE
    )
    starts_at = UtcDatetimeField()
    ends_at = UtcDatetimeField()
    active = fields.BooleanField(default=True)

    class Meta:
        table = "booking_space_block"
        indexes = (("space_id", "starts_at"),)
