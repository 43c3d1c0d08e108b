from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from payments.models import PaymentStatus, RefundStatus


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Payment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                ("purpose", fields.CharField(max_length=40)),
                ("reference", fields.CharField(max_length=100)),
                ("amount_yen", fields.IntField()),
                ("currency", fields.CharField(default="jpy", max_length=3)),
                (
                    "status",
                    fields.CharEnumField(
                        default=PaymentStatus.OPEN,
                        description="OPEN: OPEN\nPROCESSING: PROCESSING\nPAID: PAID\nFAILED: FAILED\nEXPIRED: EXPIRED",
                        enum_type=PaymentStatus,
                        max_length=12,
                    ),
                ),
                ("idempotency_key", fields.CharField(unique=True, max_length=200)),
                ("stripe_session_id", fields.CharField(unique=True, max_length=255)),
                ("stripe_payment_intent_id", fields.CharField(null=True, max_length=255)),
                ("checkout_url", fields.CharField(default="", max_length=2000)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("paid_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("refunded_yen", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "payment",
                "app": "payments",
                "indexes": [
                    Index(fields=["purpose", "reference"]),
                    Index(fields=["status", "expires_at"]),
                ],
                "pk_attr": "id",
                "table_description": "One Checkout Session and what became of it. Amounts are whole yen.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Refund",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("public_id", fields.UUIDField(default=uuid4, unique=True)),
                (
                    "payment",
                    fields.ForeignKeyField(
                        "payments.Payment",
                        source_field="payment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="refunds",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("amount_yen", fields.IntField()),
                ("reason", fields.CharField(max_length=40)),
                (
                    "status",
                    fields.CharEnumField(
                        default=RefundStatus.PENDING,
                        description="PENDING: PENDING\nSENT: SENT\nFAILED: FAILED",
                        enum_type=RefundStatus,
                        max_length=10,
                    ),
                ),
                ("stripe_refund_id", fields.CharField(null=True, max_length=255)),
                ("attempts", fields.IntField(default=0)),
                ("next_attempt_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("last_error", fields.CharField(default="", max_length=500)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("sent_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "payment_refund",
                "app": "payments",
                "indexes": [Index(fields=["status", "next_attempt_at"])],
                "pk_attr": "id",
                "table_description": "Money to give back, written with the decision and sent to Stripe after it is committed.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StripeEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("event_id", fields.CharField(unique=True, max_length=255)),
                ("type", fields.CharField(max_length=100)),
                ("object_id", fields.CharField(default="", max_length=255)),
                ("stripe_created", fields.BigIntField(default=0)),
                ("received_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "payment_stripe_event",
                "app": "payments",
                "pk_attr": "id",
                "table_description": "A Stripe event as received, kept once so a replay changes nothing.",
            },
            bases=["Model"],
        ),
    ]
