"""Exercise and test alerts reach staff: every active staff member, at the e-mail address
they sign in with, through the same ledger as the residents' messages.

A staff member's message is a Notification naming them instead of a resident, with one
e-mail row in the ledger. Both are unique per broadcast, so writing them again (a repeated
call, a restart) adds nothing."""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from accounts.models import StaffMember
from notifications.broadcasts.models import Broadcast
from notifications.models import Channel, Lane, Notification
from notifications.rows import insert_deliveries

KIND = "alert"


async def add_staff(broadcast: Broadcast, now: datetime) -> int:
    """A message and an e-mail row for each active staff member the broadcast lacks;
    returns how many staff members it targets."""
    staff = (
        await StaffMember.filter(is_active=True)
        .order_by("id")
        .values_list("id", "email", "language")
    )
    async with in_transaction():
        have = set(
            await Notification.filter(
                broadcast_id=broadcast.id, staff_id__isnull=False
            ).values_list("staff_id", flat=True)
        )
        await Notification.bulk_create(
            [
                Notification(
                    staff_id=staff_id,
                    broadcast_id=broadcast.id,
                    kind=KIND,
                    message_key=broadcast.message_key,
                )
                for staff_id, _, _ in staff
                if staff_id not in have
            ],
            ignore_conflicts=True,
        )
        messages = dict(
            await Notification.filter(
                broadcast_id=broadcast.id, staff_id__in=[s[0] for s in staff]
            ).values_list("staff_id", "id")
        )
        await insert_deliveries(
            [
                (
                    messages[staff_id],
                    None,
                    broadcast.id,
                    Channel.EMAIL,
                    email,
                    language,
                    Lane.ALERT,
                    now,
                )
                for staff_id, email, language in staff
                if staff_id in messages
            ],
            now,
        )
    return len(messages)
