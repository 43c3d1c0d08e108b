"""Payments taken through Stripe Checkout, the Stripe events received, and refunds.

A payment belongs to a purpose (`booking`, later `applications`) and a reference
the purpose understands (a reservation's public id). Payments knows nothing more
about either.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from tortoise import fields, models


class PaymentStatus(StrEnum):
    OPEN = "OPEN"
    PROCESSING = "PROCESSING"
    PAID = "PAID"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"


class RefundStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"


class Payment(models.Model):
    """One Checkout Session and what became of it. Amounts are whole yen."""

    id = fields.IntField(primary_key=True)
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    purpose = fields.CharField(max_length=40)
    reference = fields.CharField(max_length=100)
    amount_yen = fields.IntField()
    currency = fields.CharField(max_length=3, default="jpy")
    status = fields.CharEnumField(PaymentStatus, max_length=12, default=PaymentStatus.OPEN)
    idempotency_key = fields.CharField(max_length=200, unique=True)
    stripe_session_id = fields.CharField(max_length=255, unique=True)
    stripe_payment_intent_id = fields.CharField(max_length=255, null=True)
    checkout_url = fields.CharField(max_length=2000, default="")
    expires_at = fields.DatetimeField()
    paid_at = fields.DatetimeField(null=True)
    refunded_yen = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "payment"
        indexes = (("purpose", "reference"), ("status", "expires_at"))


class StripeEvent(models.Model):
    """A Stripe event as received, kept once so a replay changes nothing."""

    id = fields.IntField(primary_key=True)
    event_id = fields.CharField(max_length=255, unique=True)
    type = fields.CharField(max_length=100)
    object_id = fields.CharField(max_length=255, default="")
    stripe_created = fields.BigIntField(default=0)
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "payment_stripe_event"


class Refund(models.Model):
    """Money to give back, written with the decision and sent to Stripe after it is committed."""

    id = fields.IntField(primary_key=True)
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    payment: fields.ForeignKeyRelation[Payment] = fields.ForeignKeyField(
        "payments.Payment", related_name="refunds", on_delete=fields.RESTRICT
    )
    amount_yen = fields.IntField()
    reason = fields.CharField(max_length=40)
    status = fields.CharEnumField(RefundStatus, max_length=10, default=RefundStatus.PENDING)
    stripe_refund_id = fields.CharField(max_length=255, null=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "payment_refund"
        indexes = (("status", "next_attempt_at"),)
