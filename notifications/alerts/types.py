"""GraphQL types and inputs of alerts, watch areas and subscriptions."""

from __future__ import annotations

import datetime as dt

import strawberry

import geo.schema  # noqa: F401 - registers the Hazard enum
from core.clock import TOKYO
from geo.hazards import Hazard
from notifications.alerts.content import AlertContent
from notifications.alerts.models import (
    Alert,
    AlertSource,
    AlertStatus,
    AlertSubscription,
    Category,
    Certainty,
    MsgType,
    Severity,
    SharedLocation,
    Urgency,
    WatchArea,
)
from notifications.alerts.watch import WatchAreaDraft

strawberry.enum(AlertStatus, name="AlertStatus", description="CAP 1.2 status")
strawberry.enum(MsgType, name="AlertMsgType", description="CAP 1.2 msgType")
strawberry.enum(Category, name="AlertCategory", description="CAP 1.2 category")
strawberry.enum(Urgency, name="AlertUrgency")
strawberry.enum(Severity, name="AlertSeverity")
strawberry.enum(Certainty, name="AlertCertainty")
strawberry.enum(
    AlertSource, name="AlertSource", description="Who issued it: city staff, a CAP feed, 気象庁."
)


@strawberry.type
class AlertPoint:
    lat: float
    lng: float


@strawberry.type
class AlertCircle:
    lat: float
    lng: float
    radius_meters: float


@strawberry.type
class AlertGeocode:
    value_name: str
    value: str


@strawberry.type
class AlertArea:
    description: str
    circles: list[AlertCircle]
    polygons: list[list[AlertPoint]]
    geocodes: list[AlertGeocode]

    @classmethod
    def from_json(cls, area: dict) -> AlertArea:
        return cls(
            description=area.get("description", ""),
            circles=[AlertCircle(**c) for c in _circles(area)],
            polygons=[
                [AlertPoint(lat=p["lat"], lng=p["lng"]) for p in ring]
                for ring in area.get("polygons", ())
            ],
            geocodes=[
                AlertGeocode(value_name=g["valueName"], value=g["value"])
                for g in area.get("geocodes", ())
            ],
        )


def _circles(area: dict) -> list[dict]:
    return [
        {"lat": c["lat"], "lng": c["lng"], "radius_meters": c["radiusMeters"]}
        for c in area.get("circles", ())
    ]


@strawberry.type(name="Alert", description="An alert in the shape of a CAP 1.2 message.")
class AlertType:
    id: strawberry.ID
    identifier: str = strawberry.field(description="The CAP identifier of its latest message.")
    sender: str
    sent: dt.datetime
    status: AlertStatus
    msg_type: MsgType
    references: list[str] = strawberry.field(
        description="sender,identifier,sent of earlier messages."
    )
    source: AlertSource
    category: Category
    event: str
    urgency: Urgency
    severity: Severity
    certainty: Certainty
    headline: str
    description: str
    instruction: str
    sender_name: str
    language: str
    effective: dt.datetime
    onset: dt.datetime | None
    expires: dt.datetime | None
    hazard: Hazard | None = strawberry.field(description="The geo hazard it is about, if any.")
    areas: list[AlertArea]
    note: str
    is_active: bool
    cap_url: str = strawberry.field(description="Path of its CAP 1.2 XML.")

    @classmethod
    def from_model(cls, alert: Alert, language: str, *, active: bool) -> AlertType:
        texts = _translation(alert, language)
        return cls(
            id=strawberry.ID(str(alert.public_id)),
            identifier=alert.identifier,
            sender=alert.sender,
            sent=alert.sent,
            status=AlertStatus(alert.status),
            msg_type=MsgType(alert.msg_type),
            references=alert.references.split(),
            source=AlertSource(alert.source),
            category=Category(alert.category),
            event=texts.get("event") or alert.event,
            urgency=Urgency(alert.urgency),
            severity=Severity(alert.severity),
            certainty=Certainty(alert.certainty),
            headline=texts.get("headline") or alert.headline,
            description=texts.get("description") or alert.description,
            instruction=texts.get("instruction") or alert.instruction,
            sender_name=texts.get("senderName") or alert.sender_name,
            language=texts.get("language") or alert.language,
            effective=alert.effective,
            onset=alert.onset,
            expires=alert.expires,
            hazard=Hazard(alert.hazard) if alert.hazard else None,
            areas=[AlertArea.from_json(area) for area in alert.areas],
            note=alert.note,
            is_active=active,
            cap_url=f"/alerts/{alert.public_id}.cap.xml",
        )


def _translation(alert: Alert, language: str) -> dict[str, str]:
    """The texts of the caller's language when the primary one is another."""
    if alert.language.lower().startswith(language):
        return {}
    for tag, texts in alert.translations.items():
        if tag.lower().startswith(language):
            return {**texts, "language": tag}
    return {}


COUNTS = ("targeted", "sent", "delivered", "failed", "unknown")


@strawberry.type
class ChannelDelivery:
    channel: str
    targeted: int = strawberry.field(
        description="Messages to send; on push by topic, the devices following the alert's "
        "topics (FCM reports no per-device outcome for a topic message: sent and delivered "
        "count the devices of the topic messages it accepted)."
    )
    sent: int
    delivered: int
    failed: int
    unknown: int = strawberry.field(
        description="Sent, but the sender stopped before the provider answered (not resent)."
    )


@strawberry.type
class AlertDelivery:
    targeted: int
    sent: int
    delivered: int
    failed: int
    unknown: int = strawberry.field(
        description="Residents whose message was sent but whose outcome is unknown."
    )
    by_channel: list[ChannelDelivery]

    @classmethod
    def from_counts(cls, counts: dict[str, dict[str, int]]) -> AlertDelivery:
        total = counts.get("total", {})
        return cls(
            targeted=total.get("targeted", 0),
            sent=total.get("sent", 0),
            delivered=total.get("delivered", 0),
            failed=total.get("failed", 0),
            unknown=total.get("unknown", 0),
            by_channel=[
                ChannelDelivery(
                    channel=name,
                    **{k: v.get(k, 0) for k in COUNTS},
                )
                for name, v in sorted(counts.items())
                if name != "total"
            ],
        )


@strawberry.type(name="WatchArea")
class WatchAreaType:
    id: strawberry.ID
    label: str
    lat: float
    lng: float
    radius_meters: float

    @classmethod
    def from_model(cls, area: WatchArea) -> WatchAreaType:
        return cls(
            id=strawberry.ID(str(area.id)),
            label=area.label,
            lat=area.lat,
            lng=area.lng,
            radius_meters=area.radius_m,
        )


@strawberry.type(name="AlertSubscription")
class AlertSubscriptionType:
    city_wide: bool = strawberry.field(description="Every alert that touches the city.")
    exercises: bool = strawberry.field(description="Test and exercise alerts too (testers).")

    @classmethod
    def from_model(cls, subscription: AlertSubscription) -> AlertSubscriptionType:
        return cls(city_wide=subscription.city_wide, exercises=subscription.exercises)


@strawberry.type(name="SharedLocation")
class SharedLocationType:
    lat: float
    lng: float
    shared_at: dt.datetime
    expires_at: dt.datetime

    @classmethod
    def from_model(cls, location: SharedLocation) -> SharedLocationType:
        from notifications.alerts.recipients import SHARED_LOCATION_LIFETIME

        return cls(
            lat=location.lat,
            lng=location.lng,
            shared_at=location.shared_at,
            expires_at=location.shared_at + SHARED_LOCATION_LIFETIME,
        )


@strawberry.input
class AlertPointInput:
    lat: float
    lng: float


@strawberry.input
class AlertCircleInput:
    lat: float
    lng: float
    radius_meters: float


@strawberry.input
class AlertAreaInput:
    description: str
    circles: list[AlertCircleInput] = strawberry.field(default_factory=list)
    polygons: list[list[AlertPointInput]] = strawberry.field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "description": self.description.strip(),
            "circles": [
                {"lat": c.lat, "lng": c.lng, "radiusMeters": c.radius_meters} for c in self.circles
            ],
            "polygons": [
                _closed([{"lat": p.lat, "lng": p.lng} for p in ring]) for ring in self.polygons
            ],
            "geocodes": [],
        }


def _closed(ring: list[dict]) -> list[dict]:
    """CAP polygons repeat the first point last; a client may leave that out."""
    return ring if not ring or ring[0] == ring[-1] else [*ring, ring[0]]


@strawberry.input
class AlertInput:
    status: AlertStatus = AlertStatus.ACTUAL
    msg_type: MsgType = MsgType.ALERT
    category: Category
    event: str
    urgency: Urgency
    severity: Severity
    certainty: Certainty
    headline: str = ""
    description: str = ""
    instruction: str = ""
    effective: dt.datetime | None = strawberry.field(
        default=None, description="Now when left out; a time without offset is Japan time."
    )
    expires: dt.datetime | None = None
    hazard: Hazard | None = None
    areas: list[AlertAreaInput]

    def as_content(self, now: dt.datetime) -> AlertContent:
        return AlertContent(
            category=self.category,
            event=self.event.strip(),
            urgency=self.urgency,
            severity=self.severity,
            certainty=self.certainty,
            headline=self.headline.strip(),
            description=self.description.strip(),
            instruction=self.instruction.strip(),
            effective=_aware(self.effective) or now,
            expires=_aware(self.expires),
            hazard=self.hazard.value if self.hazard else None,
            areas=[area.as_json() for area in self.areas],
        )


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=TOKYO)
    return moment


@strawberry.input
class WatchAreaInput:
    label: str
    lat: float
    lng: float
    radius_meters: float

    def as_draft(self) -> WatchAreaDraft:
        return WatchAreaDraft(
            label=self.label, lat=self.lat, lng=self.lng, radius_m=self.radius_meters
        )
