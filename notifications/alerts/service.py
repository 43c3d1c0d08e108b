"""Alerts: issue, update and cancel them as CAP messages; which are active where.

Callers own the transaction; `announce` (notifications.alerts.sending) runs after the commit.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from tortoise.expressions import Q

import notifications.alerts.texts  # noqa: F401 - registers the texts
from accounts.models import Role, StaffMember
from core import clock, pubsub
from core.errors import forbidden, invalid, not_found, public_id_or_not_found
from core.settings import Settings
from notifications.alerts.content import AlertContent, Reference, cap_time
from notifications.alerts.geometry import bounds_of, matcher_for
from notifications.alerts.models import (
    Alert,
    AlertMessage,
    AlertSource,
    AlertStatus,
    MsgType,
)
from notifications.alerts.validation import check_content

CRISIS_DEPARTMENT = "kikikanri"
ALERTS_TOPIC = "alerts"


def can_manage(staff: StaffMember | None) -> bool:
    """Admins and the crisis-management department (危機管理課) issue and see alerts."""
    if staff is None or not staff.is_active:
        return False
    return Role(staff.role) == Role.ADMIN or staff.department.code == CRISIS_DEPARTMENT


def require_manager(staff: StaffMember | None) -> StaffMember:
    if not can_manage(staff):
        raise forbidden()
    return staff  # type: ignore[return-value]


def new_identifier() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def is_active(alert: Alert, now: datetime) -> bool:
    return (
        alert.msg_type != MsgType.CANCEL
        and alert.effective <= now
        and (alert.expires is None or alert.expires > now)
    )


def _active_filter(now: datetime) -> Q:
    return (
        ~Q(msg_type=MsgType.CANCEL)
        & Q(effective__lte=now)
        & (Q(expires__isnull=True) | Q(expires__gt=now))
    )


def apply_content(alert: Alert, content: AlertContent) -> None:
    """Write the content onto the alert (not saved), with its areas' bounding box."""
    for name in (
        "category", "event", "urgency", "severity", "certainty", "headline", "description",
        "instruction", "effective", "onset", "expires", "hazard", "areas", "language",
        "sender_name", "response_type", "web", "contact", "translations",
    ):  # fmt: skip
        setattr(alert, name, getattr(content, name))
    box = bounds_of(content.areas)
    alert.min_lat, alert.min_lng, alert.max_lat, alert.max_lng = box or (None, None, None, None)


async def record_message(alert: Alert, *, digest: str | None = None) -> AlertMessage:
    return await AlertMessage.create(
        alert=alert,
        identifier=alert.identifier,
        sender=alert.sender,
        sent=alert.sent,
        msg_type=alert.msg_type,
        digest=digest,
    )


async def references_of(alert: Alert) -> str:
    """Every earlier message of the alert, as CAP's `references` (sender,identifier,sent ...)."""
    messages = await AlertMessage.filter(alert=alert).order_by("id")
    return " ".join(str(Reference(m.sender, m.identifier, cap_time(m.sent))) for m in messages)


async def create_alert(
    *, staff: StaffMember, status: AlertStatus, content: AlertContent, settings: Settings
) -> tuple[Alert, AlertMessage]:
    now = clock.now()
    check_content(content, now=now)
    alert = Alert(
        source=AlertSource.STAFF,
        identifier=new_identifier(),
        sender=settings.cap_sender,
        sent=now,
        status=status,
        msg_type=MsgType.ALERT,
        created_by=staff,
    )
    apply_content(alert, content)
    await alert.save()
    return alert, await record_message(alert)


async def update_alert(
    *, alert: Alert, status: AlertStatus, content: AlertContent, settings: Settings
) -> AlertMessage:
    if alert.msg_type == MsgType.CANCEL:
        raise invalid("alerts.already_cancelled", field="id")
    if status != alert.status:
        raise invalid("alerts.status_fixed", field="status")
    now = clock.now()
    check_content(content, now=now)
    alert.references = await references_of(alert)
    alert.identifier, alert.sender, alert.sent = new_identifier(), settings.cap_sender, now
    alert.msg_type = MsgType.UPDATE
    apply_content(alert, content)
    await alert.save()
    return await record_message(alert)


async def cancel_alert(*, alert: Alert, note: str, settings: Settings) -> AlertMessage:
    if alert.msg_type == MsgType.CANCEL:
        raise invalid("alerts.already_cancelled", field="id")
    now = clock.now()
    alert.references = await references_of(alert)
    alert.identifier, alert.sender, alert.sent = new_identifier(), settings.cap_sender, now
    alert.msg_type = MsgType.CANCEL
    alert.note = note
    alert.cancelled_at = now
    await alert.save()
    return await record_message(alert)


async def alert_by_public_id(value: object, *, for_update: bool = False) -> Alert:
    query = Alert.filter(public_id=public_id_or_not_found(value))
    if for_update:
        query = query.select_for_update()
    alert = await query.first()
    if alert is None:
        raise not_found()
    return alert


async def list_alerts(*, active: bool | None, limit: int = 200) -> list[Alert]:
    query = Alert.all()
    now = clock.now()
    if active is True:
        query = query.filter(_active_filter(now))
    elif active is False:
        query = query.exclude(_active_filter(now))
    return await query.order_by("-sent", "-id").limit(limit)


async def active_alerts_at(lat: float, lng: float, *, now: datetime | None = None) -> list[Alert]:
    """The real (status Actual) alerts in force now whose area covers the point, newest first.

    Disaster mode reads this, and each alert's `hazard`.
    """
    now = now or clock.now()
    candidates = await Alert.filter(
        _active_filter(now),
        status=AlertStatus.ACTUAL,
        min_lat__lte=lat,
        max_lat__gte=lat,
        min_lng__lte=lng,
        max_lng__gte=lng,
    ).order_by("-sent", "-id")
    return [alert for alert in candidates if covers(alert, lat, lng)]


def covers(alert: Alert, lat: float, lng: float) -> bool:
    matcher = matcher_for(alert.areas)
    return matcher is not None and matcher.contains(lat, lng)


def publish(alert: Alert) -> None:
    """Tell live subscribers (alertIssued), on every instance, once the change is committed."""
    pubsub.publish(ALERTS_TOPIC, {"id": alert.id})
