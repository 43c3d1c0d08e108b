"""What an alert says, in CAP 1.2's terms, whichever door it came in by (staff, CAP, JMA XML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from notifications.alerts.models import (
    AlertSource,
    AlertStatus,
    Category,
    Certainty,
    MsgType,
    Severity,
    Urgency,
)

TRANSLATED_FIELDS = ("event", "headline", "description", "instruction", "senderName")


@dataclass
class AlertContent:
    """One CAP <info> (the primary language) with the areas of all of them.

    `areas`: [{description, circles: [{lat, lng, radiusMeters}], polygons: [[{lat, lng}]],
    geocodes: [{valueName, value}]}]; `translations`: {language: {event, headline, ...}}.
    """

    category: Category
    event: str
    urgency: Urgency
    severity: Severity
    certainty: Certainty
    effective: datetime
    headline: str = ""
    description: str = ""
    instruction: str = ""
    onset: datetime | None = None
    expires: datetime | None = None
    hazard: str | None = None
    areas: list[dict] = field(default_factory=list)
    language: str = "ja-JP"
    sender_name: str = ""
    response_type: str = ""
    web: str = ""
    contact: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Reference:
    sender: str
    identifier: str
    sent: str

    def __str__(self) -> str:
        return f"{self.sender},{self.identifier},{self.sent}"


@dataclass
class IncomingMessage:
    """A message from outside (CAP or JMA XML), ready to be applied to the stored alerts.

    `content` is None for a Cancel that carries no <info>. `thread_key` links messages that
    CAP would not link by `references` (successive JMA telegrams about one warning).
    """

    source: AlertSource
    identifier: str
    sender: str
    sent: datetime
    status: AlertStatus
    msg_type: MsgType
    content: AlertContent | None
    references: list[Reference] = field(default_factory=list)
    note: str = ""
    thread_key: str | None = None
    digest: str | None = None
    # A JMA telegram that lifts every warning for the city: the alert ends (AllClear).
    ends: bool = False


def cap_time(moment: datetime) -> str:
    """A time as CAP 1.2 writes it: seconds and a numeric offset (Japan time), never 'Z'."""
    from core.clock import local

    return local(moment).replace(microsecond=0).isoformat()
