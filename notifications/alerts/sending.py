"""Hands an alert message to the broadcast engine, with its text kept per language.

Each CAP message (the alert, each update, the cancel) is one broadcast, keyed by the
AlertMessage id: a resident gets each message once, whatever areas of theirs it matched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.i18n import LANGUAGES
from core.settings import Settings
from notifications.alerts import recipients
from notifications.alerts.geometry import shape_of
from notifications.alerts.models import (
    Alert,
    AlertMessage,
    AlertSource,
    AlertStatus,
    MsgType,
    Severity,
)
from notifications.broadcasts import service as broadcasts
from notifications.channels.push import topics

# What a message says, by message type; `lifted` is an update that ends the alert.
MESSAGE_KEYS = {
    MsgType.ALERT: "alerts.message.issued",
    MsgType.UPDATE: "alerts.message.updated",
    MsgType.CANCEL: "alerts.message.cancelled",
}
LIFTED_KEY = "alerts.message.lifted"
SENT_STATUSES = (AlertStatus.ACTUAL, AlertStatus.TEST, AlertStatus.EXERCISE)

# Run before an alert message's area broadcast starts, in order: those who must hear first
# (the supporters of residents who need help to evacuate: disaster.support.alerting).
FirstTold = Callable[[Alert, AlertMessage, Settings], Awaitable[object]]
_first_told: list[FirstTold] = []


def tell_first(hook: FirstTold) -> FirstTold:
    """Register a hook that runs before each announced message's broadcast."""
    if hook not in _first_told:
        _first_told.append(hook)
    return hook


def _text(alert: Alert, name: str, language: str) -> str:
    for tag, texts in alert.translations.items():
        if tag.lower().startswith(language) and texts.get(name):
            return texts[name]
    return getattr(alert, "sender_name" if name == "senderName" else name) or ""


def message_params(alert: Alert) -> dict[str, str]:
    """The alert's words for each template language (`headline_ja`, `headline_en` ...)."""
    params: dict[str, str] = {}
    for language in ("ja", "en"):
        for name in ("event", "headline", "instruction"):
            params[f"{name}_{language}"] = _text(alert, name, language)
        params[f"areas_{language}"] = "、".join(a.get("description", "") for a in alert.areas)
    params["source_ja"] = "出典：気象庁" if alert.source == AlertSource.JMA else ""
    params["source_en"] = "Source: Japan Meteorological Agency" if params["source_ja"] else ""
    params["mark_ja"] = params["mark_en"] = ""  # the broadcast engine marks exercises itself
    # What the message's buttons, if any, need (notifications.actions).
    params["alert_id"] = str(alert.public_id)
    params["status"] = AlertStatus(alert.status).value
    params["severity"] = Severity(alert.severity).value
    return params


def message_key(alert: Alert, *, lifted: bool = False) -> str:
    return LIFTED_KEY if lifted else MESSAGE_KEYS[alert.msg_type]


async def announce(
    alert: Alert, message: AlertMessage, settings: Settings, *, lifted: bool = False
) -> int:
    """Select the recipients and start the broadcast of this message; how many it targets."""
    if alert.status not in SENT_STATUSES:
        return 0
    for hook in _first_told:
        await hook(alert, message, settings)
    resident_ids = await recipients.select_recipients(alert, service_area=settings.service_area)
    exercise = alert.status != AlertStatus.ACTUAL
    # Exercises and tests also reach staff by e-mail; an actual alert goes to residents only.
    staff = exercise and settings.delivery.email_enabled
    if not resident_ids and not staff:
        return 0
    delivery = settings.delivery
    by_topic = delivery.push_enabled and delivery.push_alert_topics and not exercise
    broadcast_id = await start_broadcast(
        alert_id=message.id,
        message_key=message_key(alert, lifted=lifted),
        params=message_params(alert),
        resident_ids=resident_ids,
        exercise=exercise,
        staff=staff,
        push_topics=alert_topics(alert, settings) if by_topic else None,
    )
    return len(resident_ids) + (await broadcasts.staff_targeted(broadcast_id) if staff else 0)


def alert_topics(alert: Alert, settings: Settings) -> dict[str, list[str]]:
    """Per language, the push topics whose devices the alert reaches (exercises and tests go
    to their few testers device by device)."""
    shape = shape_of(alert.areas)
    city = recipients.touches_city(alert, settings.service_area)
    return {language: topics.alert_topics(shape, city, language) for language in LANGUAGES}


async def start_broadcast(
    *,
    alert_id: int,
    message_key: str,
    params: dict,
    resident_ids: list[int],
    exercise: bool,
    staff: bool = False,
    push_topics: dict[str, list[str]] | None = None,
) -> int:
    """notifications.broadcasts' engine: paced, alerts ahead of status updates, crash-safe."""
    return await broadcasts.start_broadcast(
        alert_id=alert_id,
        message_key=message_key,
        params=params,
        resident_ids=resident_ids,
        exercise=exercise,
        staff=staff,
        push_topics=push_topics,
    )


async def delivery_counts(alert: Alert) -> dict[str, dict[str, int]]:
    """Per channel (and "total"): targeted, sent, delivered, failed, over all its messages."""
    message_ids = await AlertMessage.filter(alert=alert).values_list("id", flat=True)
    counts_of = broadcasts.delivery_counts
    summed: dict[str, dict[str, int]] = {}
    for message_id in message_ids:
        for channel, counts in (await counts_of(message_id)).items():
            into = summed.setdefault(channel, dict.fromkeys(COUNTS, 0))
            for name in COUNTS:
                into[name] += counts.get(name, 0)
    summed.setdefault("total", dict.fromkeys(COUNTS, 0))
    return summed


COUNTS = ("targeted", "sent", "delivered", "failed", "unknown")
