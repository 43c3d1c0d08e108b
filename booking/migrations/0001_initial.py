import functools
from json import dumps, loads
from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from booking.models import (
    LotteryState,
    ReservationStatus,
    SpaceKind,
    UtcDatetimeField,
    full_refund_policy,
)
from booking.pricing import PriceUnit


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="Facility",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name_ja", fields.CharField(max_length=200)),
                ("name_en", fields.CharField(max_length=200)),
                ("address_ja", fields.CharField(max_length=300)),
                ("address_en", fields.CharField(default="", max_length=300)),
                ("latitude", fields.FloatField(null=True)),
                ("longitude", fields.FloatField(null=True)),
                (
                    "department",
                    fields.ForeignKeyField(
                        "accounts.Department",
                        source_field="department_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="facilities",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "cancellation_policy",
                    fields.JSONField(
                        default=full_refund_policy,
                        description="Refund tiers for residents' own cancellations, see booking.rules.as_json.",
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "lottery_monthly_cap",
                    fields.IntField(
                        null=True,
                        description="Most lottery entries a resident may make per month of use, null for no cap.",
                    ),
                ),
                (
                    "hold_minutes",
                    fields.IntField(
                        default=30, description="How long a held slot waits for payment."
                    ),
                ),
                ("created_at", UtcDatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "booking_facility",
                "app": "booking",
                "pk_attr": "id",
                "table_description": "A city facility (体育館, 公民館, 運動場) run by one department.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Space",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "facility",
                    fields.ForeignKeyField(
                        "booking.Facility",
                        source_field="facility_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="spaces",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "booking.Space",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="parts",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="GYM: GYM\nROOM: ROOM\nGROUND: GROUND",
                        enum_type=SpaceKind,
                        max_length=16,
                    ),
                ),
                ("name_ja", fields.CharField(max_length=200)),
                ("name_en", fields.CharField(max_length=200)),
                ("capacity", fields.IntField(null=True)),
                (
                    "rules",
                    fields.JSONField(
                        description="Opening hours, grid and advance window, see booking.rules.as_json.",
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "price_unit",
                    fields.CharEnumField(
                        default=PriceUnit.PER_SLOT,
                        description="PER_SLOT: PER_SLOT\nPER_HOUR: PER_HOUR",
                        enum_type=PriceUnit,
                        max_length=16,
                    ),
                ),
                ("resident_price_yen", fields.IntField(default=0)),
                ("non_resident_price_yen", fields.IntField(default=0)),
                ("is_active", fields.BooleanField(default=True)),
            ],
            options={
                "table": "booking_space",
                "app": "booking",
                "pk_attr": "id",
                "table_description": "A bookable space. `parent` is the space it is part of (half of a gym).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LotterySlot",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                (
                    "space",
                    fields.ForeignKeyField(
                        "booking.Space",
                        source_field="space_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lottery_slots",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("starts_at", UtcDatetimeField(auto_now=False, auto_now_add=False)),
                ("ends_at", UtcDatetimeField(auto_now=False, auto_now_add=False)),
                ("entries_open_at", UtcDatetimeField(auto_now=False, auto_now_add=False)),
                ("entries_close_at", UtcDatetimeField(auto_now=False, auto_now_add=False)),
                ("draw_at", UtcDatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "pay_within_days",
                    fields.IntField(
                        default=3,
                        description="Days a winner has to pay before the win passes to the next in line.",
                    ),
                ),
                ("seed_hash", fields.CharField(max_length=64)),
                (
                    "seed_hex",
                    fields.CharField(
                        description="The secret seed, published only once the state is DRAWN.",
                        max_length=128,
                    ),
                ),
                (
                    "seed_revealed_at",
                    UtcDatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("drawn_at", UtcDatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "state",
                    fields.CharEnumField(
                        default=LotteryState.OPEN,
                        description="OPEN: OPEN\nDRAWN: DRAWN\nSETTLED: SETTLED\nCANCELLED: CANCELLED",
                        enum_type=LotteryState,
                        max_length=16,
                    ),
                ),
                ("created_at", UtcDatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "booking_lottery_slot",
                "app": "booking",
                "indexes": [
                    Index(fields=["state", "draw_at"]),
                    Index(fields=["space_id", "starts_at"]),
                ],
                "pk_attr": "id",
                "table_description": "A slot put up for lottery. The seed is committed to by `seed_hash` when entries open.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Reservation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                (
                    "receipt_number",
                    fields.CharField(
                        unique=True,
                        description="Short number (受付番号) a resident quotes on the phone.",
                        max_length=20,
                    ),
                ),
                (
                    "space",
                    fields.ForeignKeyField(
                        "booking.Space",
                        source_field="space_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reservations",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reservations",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("starts_at", UtcDatetimeField(auto_now=False, auto_now_add=False)),
                ("ends_at", UtcDatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ReservationStatus.HELD,
                        description="HELD: HELD\nPENDING_PAYMENT: PENDING_PAYMENT\nCONFIRMED: CONFIRMED\nCANCELLED: CANCELLED\nEXPIRED: EXPIRED",
                        enum_type=ReservationStatus,
                        max_length=20,
                    ),
                ),
                (
                    "hold_expires_at",
                    UtcDatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("amount_yen", fields.IntField()),
                ("resident_rate", fields.BooleanField(default=True)),
                ("payment_reference", fields.CharField(null=True, max_length=255)),
                ("refund_yen", fields.IntField(null=True)),
                ("confirmed_at", UtcDatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("cancelled_at", UtcDatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("cancelled_by_staff", fields.BooleanField(default=False)),
                ("cancel_reason", fields.CharField(default="", max_length=300)),
                (
                    "from_lottery",
                    fields.BooleanField(
                        default=False,
                        description="Won in a lottery: an unpaid win passes to the next in line, not to first come.",
                    ),
                ),
                ("created_at", UtcDatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", UtcDatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "booking_reservation",
                "app": "booking",
                "indexes": [
                    Index(fields=["space_id", "starts_at"]),
                    Index(fields=["resident_id", "status"]),
                    Index(fields=["status", "hold_expires_at"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LotteryEntry",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "public_id",
                    fields.UUIDField(
                        default=uuid4,
                        unique=True,
                        description="The entry number published with the entrant list and the drawn order.",
                    ),
                ),
                (
                    "lottery_slot",
                    fields.ForeignKeyField(
                        "booking.LotterySlot",
                        source_field="lottery_slot_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="entries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "resident",
                    fields.ForeignKeyField(
                        "accounts.Resident",
                        source_field="resident_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lottery_entries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "use_month",
                    fields.CharField(
                        description='Local month of use, "YYYY-MM", counted for the monthly entry cap.',
                        max_length=7,
                    ),
                ),
                ("entered_at", UtcDatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "position",
                    fields.IntField(
                        null=True,
                        description="Place in the drawn order, 1 first, null until the draw.",
                    ),
                ),
                ("won", fields.BooleanField(default=False)),
                ("pay_by", UtcDatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "passed_at",
                    UtcDatetimeField(
                        null=True,
                        description="When the win passed on (declined or unpaid by `pay_by`).",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                (
                    "reservation",
                    fields.ForeignKeyField(
                        "booking.Reservation",
                        source_field="reservation_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="lottery_entries",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
            ],
            options={
                "table": "booking_lottery_entry",
                "app": "booking",
                "unique_together": (("lottery_slot", "resident"),),
                "indexes": [Index(fields=["resident_id", "use_month"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SpaceBlock",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "space",
                    fields.ForeignKeyField(
                        "booking.Space",
                        source_field="space_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="blocks",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "reservation",
                    fields.ForeignKeyField(
                        "booking.Reservation",
                        source_field="reservation_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="blocks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "lottery_slot",
                    fields.ForeignKeyField(
                        "booking.LotterySlot",
                        source_field="lottery_slot_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="blocks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("starts_at", UtcDatetimeField(auto_now=False, auto_now_add=False)),
                ("ends_at", UtcDatetimeField(auto_now=False, auto_now_add=False)),
                ("active", fields.BooleanField(default=True)),
            ],
            options={
                "table": "booking_space_block",
                "app": "booking",
                "indexes": [Index(fields=["space_id", "starts_at"])],
                "pk_attr": "id",
                "table_description": "One space taken for [starts_at, ends_at) by a reservation or a lottery slot.",
            },
            bases=["Model"],
        ),
    ]
