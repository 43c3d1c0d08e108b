"""A resident's notification e-mail address, used once they open the link mailed to it."""

from __future__ import annotations

from datetime import timedelta

import aiosmtplib

from accounts.models import Resident
from accounts.service import normalize_email
from core import clock, security
from core.errors import AppError, ErrorCode
from core.i18n import t
from core.settings.delivery import DeliverySettings
from notifications.channels import SendFailure
from notifications.channels.email.models import EmailAddress
from notifications.channels.email.smtp import client_for, compose, send_one

CONFIRM_PATH = "/notifications/email/confirm"
LINK_HOURS = 24
RESEND_SECONDS = 60


def confirm_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}{CONFIRM_PATH}?token={token}"


async def set_address(
    resident: Resident, email: str, *, settings: DeliverySettings, base_url: str
) -> EmailAddress:
    """Store the address unconfirmed and mail it a confirmation link."""
    if not settings.email_enabled:
        raise AppError(ErrorCode.VALIDATION, "notifications.email_unavailable", field="email")
    address = normalize_email(email)
    now = clock.now()
    record = await EmailAddress.get_or_none(resident_id=resident.id)
    if record is not None and record.last_sent_at is not None:
        wait = RESEND_SECONDS - (now - record.last_sent_at).total_seconds()
        if wait > 0:
            raise AppError(
                ErrorCode.RATE_LIMITED, "notifications.email_too_soon", seconds=int(wait) + 1
            )
    token = security.opaque_token()
    values = {
        "address": address,
        "verified_at": None,
        "bounced_at": None,
        "token_hash": security.digest(token),
        "token_expires_at": now + timedelta(hours=LINK_HOURS),
        "last_sent_at": now,
    }
    if record is None:
        record = await EmailAddress.create(resident_id=resident.id, confirmations_sent=1, **values)
    else:
        record.update_from_dict({**values, "confirmations_sent": record.confirmations_sent + 1})
        await record.save()
    await _mail_link(settings, address, confirm_link(base_url, token), resident.language)
    return record


async def _mail_link(settings: DeliverySettings, address: str, link: str, language: str) -> None:
    message = compose(
        settings,
        address,
        t("notifications.email_confirm.subject", language),
        t("notifications.email_confirm.body", language, link=link),
    )
    client = client_for(settings)
    try:
        async with client:
            await send_one(client, message)
    except (aiosmtplib.SMTPException, OSError, SendFailure) as exc:
        raise AppError(ErrorCode.VALIDATION, "notifications.email_not_sent", field="email") from exc


async def confirm(token: str) -> EmailAddress | None:
    """The address whose link this is, now confirmed; None for an unknown or old link."""
    if not token or len(token) > 200:
        return None
    now = clock.now()
    record = await EmailAddress.get_or_none(token_hash=security.digest(token))
    if record is None or record.token_expires_at is None or record.token_expires_at <= now:
        return None
    taken = await EmailAddress.filter(id=record.id, token_hash=record.token_hash).update(
        verified_at=now, token_hash=None, token_expires_at=None
    )
    return record if taken else None


async def remove(resident: Resident) -> None:
    await EmailAddress.filter(resident_id=resident.id).delete()


async def address_of(resident: Resident) -> EmailAddress | None:
    return await EmailAddress.get_or_none(resident_id=resident.id)
