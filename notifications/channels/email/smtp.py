"""E-mail through an SMTP server (aiosmtplib): one connection per round, one message each."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from core import clock
from core.i18n import t
from core.settings.delivery import DeliverySettings
from notifications.channels import (
    AddressGone,
    Gate,
    NotSent,
    Outgoing,
    Rejected,
    TemporaryFailure,
)
from notifications.channels.email.models import EmailAddress
from notifications.models import Channel, Lane


def compose(settings: DeliverySettings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rsplit("@", 1)[-1])
    message.set_content(body)
    return message


def client_for(settings: DeliverySettings) -> aiosmtplib.SMTP:
    return aiosmtplib.SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        use_tls=settings.smtp_security == "tls",
        start_tls=settings.smtp_security == "starttls",
        username=settings.smtp_username or None,
        password=settings.smtp_password or None,
        timeout=30,
    )


def _classified(exc: aiosmtplib.SMTPResponseException, gone_if_permanent: bool) -> Exception:
    text = f"smtp {exc.code}: {exc.message[:200]}"
    if 400 <= exc.code < 500:
        return TemporaryFailure(text)
    return AddressGone(text) if gone_if_permanent else Rejected(text)


async def send_one(client: aiosmtplib.SMTP, message: EmailMessage) -> None:
    try:
        await client.send_message(message)
    except aiosmtplib.SMTPRecipientsRefused as exc:
        refused = exc.recipients[0] if exc.recipients else None
        if refused is not None:
            raise _classified(refused, gone_if_permanent=True) from exc
        raise Rejected("smtp: recipient refused") from exc
    except (aiosmtplib.SMTPSenderRefused, aiosmtplib.SMTPDataError) as exc:
        raise _classified(exc, gone_if_permanent=False) from exc


class EmailChannel:
    channel = Channel.EMAIL
    batch_size = 20

    def __init__(self, settings: DeliverySettings) -> None:
        self.settings = settings

    def rate_per_second(self, lane: Lane) -> int:
        return self.settings.email_rate_per_second

    def message_for(self, message: Outgoing) -> EmailMessage:
        language = "en" if message.data.get("language") == "en" else "ja"
        parts = [message.body]
        if message.link.startswith(("http://", "https://")):
            parts.append(message.link)
        footer = "notifications.email_footer"
        if message.data.get("audience") == "staff":
            footer = "notifications.email_footer_staff"
        parts.append("--\n" + t(footer, language))
        return compose(self.settings, message.address, message.title, "\n\n".join(parts))

    async def send_all(
        self, messages: Sequence[Outgoing], gate: Gate | None = None
    ) -> list[BaseException | None]:
        client = client_for(self.settings)
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError) as exc:
            failure = TemporaryFailure(f"smtp unreachable: {type(exc).__name__}")
            return [await _unsent(message, gate, failure) for message in messages]
        outcomes: list[BaseException | None] = []
        try:
            for message in messages:
                try:
                    if gate is not None and not await gate.passing(message.delivery_id):
                        raise NotSent(f"delivery {message.delivery_id} is not ours to send")
                    await send_one(client, self.message_for(message))
                    outcomes.append(None)
                except Exception as exc:  # noqa: BLE001 - recorded per message
                    outcomes.append(exc)
                finally:
                    if gate is not None:
                        gate.written(message.delivery_id)
                        gate.left(message.delivery_id)
        finally:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()
        return outcomes

    async def address_gone(self, resident_id: int, address: str) -> None:
        await EmailAddress.filter(resident_id=resident_id, address=address).update(
            bounced_at=clock.now()
        )


async def _unsent(message: Outgoing, gate: Gate | None, failure: Exception) -> Exception:
    """A message the server could not take: counted as an attempt that failed."""
    if gate is None:
        return failure
    try:
        return failure if await gate.passing(message.delivery_id) else NotSent()
    finally:
        gate.written(message.delivery_id)
        gate.left(message.delivery_id)
