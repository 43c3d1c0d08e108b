"""Takes in an alert message from outside (CAP 1.2 or 気象庁防災情報XML) and applies it to the
stored alerts: a new alert, an update, an end (JMA 解除) or a cancel.

The same message again changes nothing (known by the file's digest and by CAP's
sender + identifier); an older message than the alert's latest is not applied.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from core import clock
from core.settings import Settings
from notifications.alerts import cap, jma, sending, service
from notifications.alerts.content import AlertContent, IncomingMessage
from notifications.alerts.models import Alert, AlertMessage, MsgType, Severity
from notifications.alerts.xmlin import XmlRefused, parse_xml

MAX_BYTES = 10_000_000

# Only recent news is sent to residents: importing an archive or a late file informs the
# feeds and activeAlerts, but messages nobody.
ANNOUNCE_WITHIN = timedelta(hours=1)
ANNOUNCED_SEVERITIES = (Severity.EXTREME, Severity.SEVERE)
_COMPARED = (
    "category", "event", "urgency", "severity", "certainty", "headline", "description",
    "instruction", "effective", "onset", "expires", "hazard", "areas", "translations",
)  # fmt: skip


class Outcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    ENDED = "ended"
    CANCELLED = "cancelled"
    UNCHANGED = "unchanged"
    IGNORED = "ignored"


@dataclass
class Imported:
    outcome: Outcome
    alert: Alert | None = None
    message: AlertMessage | None = None
    reason: str = ""


class ImportRefused(ValueError):
    """The document is neither a CAP 1.2 message nor JMA XML this service reads."""


def read(data: bytes, settings: Settings) -> IncomingMessage | None:
    """The message in a document (None: a JMA telegram with nothing for the city's areas)."""
    try:
        root = parse_xml(data, MAX_BYTES)
    except XmlRefused as error:
        raise ImportRefused(str(error)) from None
    digest = hashlib.sha256(data).hexdigest()
    if root.tag.startswith(f"{{{cap.NS}}}"):
        try:
            return cap.message_of(root, digest) if root.tag == f"{{{cap.NS}}}alert" else _no(root)
        except cap.CapError as error:
            raise ImportRefused(f"CAP 1.2: {error}") from None
    if root.tag.startswith(f"{{{jma.NS}}}"):
        try:
            return jma.from_root(root, digest, settings)
        except jma.JmaError as error:
            raise ImportRefused(f"JMA XML: {error}") from None
    raise ImportRefused(f"neither a CAP 1.2 message nor 気象庁防災情報XML (root {root.tag!r})")


def _no(root) -> IncomingMessage:
    raise cap.CapError(f"the root element is {root.tag!r}, not <alert>")


async def import_document(data: bytes, settings: Settings) -> Imported:
    """Read, apply in one transaction, then tell subscribers and residents."""
    incoming = read(data, settings)
    if incoming is None:
        return Imported(Outcome.IGNORED, reason="nothing in it for the city's area codes")
    async with in_transaction():
        imported = await apply(incoming, settings)
    if imported.alert is not None and imported.message is not None:
        service.publish(imported.alert)
        if _worth_announcing(imported, incoming):
            await sending.announce(
                imported.alert,
                imported.message,
                settings,
                lifted=imported.outcome == Outcome.ENDED,
            )
    return imported


def _worth_announcing(imported: Imported, incoming: IncomingMessage) -> bool:
    if imported.outcome in (Outcome.UNCHANGED, Outcome.IGNORED) or imported.alert is None:
        return False
    fresh = incoming.sent >= clock.now() - ANNOUNCE_WITHIN
    return fresh and imported.alert.severity in ANNOUNCED_SEVERITIES


async def apply(incoming: IncomingMessage, settings: Settings) -> Imported:
    known = await _known(incoming)
    if known is not None:
        return Imported(Outcome.UNCHANGED, alert=await known.alert, reason="already imported")
    target = await _target(incoming)
    if incoming.msg_type == MsgType.CANCEL:
        return await _cancel(target, incoming)
    if target is None:
        if incoming.ends:
            return Imported(Outcome.IGNORED, reason="nothing in force to lift")
        return await _create(incoming)
    if target.msg_type == MsgType.CANCEL:
        return Imported(Outcome.IGNORED, alert=target, reason="the alert was cancelled")
    if incoming.sent < target.sent:
        return Imported(Outcome.IGNORED, alert=target, reason="older than the alert's latest")
    return await _update(target, incoming)


async def _known(incoming: IncomingMessage) -> AlertMessage | None:
    query = Q(sender=incoming.sender, identifier=incoming.identifier)
    if incoming.digest:
        query |= Q(digest=incoming.digest)
    return await AlertMessage.filter(query).first()


async def _target(incoming: IncomingMessage) -> Alert | None:
    if incoming.references:
        pairs = Q()
        for reference in incoming.references:
            pairs |= Q(sender=reference.sender, identifier=reference.identifier)
        message = await AlertMessage.filter(pairs).order_by("-id").first()
        if message is not None:
            return await Alert.get(id=message.alert_id)
    if incoming.thread_key:
        return (
            await Alert.filter(thread_key=incoming.thread_key)
            .filter(Q(expires__isnull=True) | Q(expires__gt=incoming.sent))
            .order_by("-sent", "-id")
            .first()
        )
    return None


def _stamp(alert: Alert, incoming: IncomingMessage) -> None:
    alert.identifier, alert.sender, alert.sent = incoming.identifier, incoming.sender, incoming.sent
    alert.msg_type = incoming.msg_type
    alert.note = incoming.note


async def _references(alert: Alert, incoming: IncomingMessage) -> str:
    if incoming.references:
        return " ".join(str(reference) for reference in incoming.references)
    return await service.references_of(alert)


async def _create(incoming: IncomingMessage) -> Imported:
    assert incoming.content is not None
    alert = Alert(source=incoming.source, status=incoming.status, thread_key=incoming.thread_key)
    _stamp(alert, incoming)
    alert.references = " ".join(str(r) for r in incoming.references)
    service.apply_content(alert, incoming.content)
    await alert.save()
    message = await service.record_message(alert, digest=incoming.digest)
    return Imported(Outcome.CREATED, alert=alert, message=message)


def _same(alert: Alert, content: AlertContent) -> bool:
    return all(getattr(alert, name) == getattr(content, name) for name in _COMPARED)


async def _update(alert: Alert, incoming: IncomingMessage) -> Imported:
    assert incoming.content is not None
    if _same(alert, incoming.content) and not incoming.ends:
        message = await AlertMessage.create(
            alert=alert,
            identifier=incoming.identifier,
            sender=incoming.sender,
            sent=incoming.sent,
            msg_type=incoming.msg_type,
            digest=incoming.digest,
        )
        return Imported(Outcome.UNCHANGED, alert=alert, reason="the same as in force")
    alert.references = await _references(alert, incoming)
    _stamp(alert, incoming)
    alert.msg_type = MsgType.UPDATE  # a JMA 発表 about what is in force updates it
    service.apply_content(alert, incoming.content)
    await alert.save()
    message = await service.record_message(alert, digest=incoming.digest)
    return Imported(Outcome.ENDED if incoming.ends else Outcome.UPDATED, alert, message)


async def _cancel(alert: Alert | None, incoming: IncomingMessage) -> Imported:
    if alert is None:
        return Imported(Outcome.IGNORED, reason="it cancels an alert this service does not have")
    if alert.msg_type == MsgType.CANCEL:
        return Imported(Outcome.UNCHANGED, alert=alert, reason="already cancelled")
    alert.references = await _references(alert, incoming)
    _stamp(alert, incoming)
    if incoming.content is not None:
        service.apply_content(alert, incoming.content)
    alert.cancelled_at = clock.now()
    await alert.save()
    message = await service.record_message(alert, digest=incoming.digest)
    return Imported(Outcome.CANCELLED, alert=alert, message=message)
