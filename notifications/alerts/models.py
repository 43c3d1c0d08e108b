"""Alerts in the shape of CAP 1.2, whoever issued them (staff, a CAP feed, 気象庁防災情報XML),
and where residents want to hear about them (watch areas, a shared location, the whole city).

The CAP code values (`Actual`, `Update`, `Met` ...) are stored as CAP spells them.
"""

from __future__ import annotations

import uuid
from enum import Enum

from tortoise import fields, models


class AlertSource(str, Enum):
    STAFF = "staff"
    CAP = "cap"
    JMA = "jma"


class AlertStatus(str, Enum):
    ACTUAL = "Actual"
    EXERCISE = "Exercise"
    SYSTEM = "System"
    TEST = "Test"
    DRAFT = "Draft"


class MsgType(str, Enum):
    ALERT = "Alert"
    UPDATE = "Update"
    CANCEL = "Cancel"


class Category(str, Enum):
    GEO = "Geo"
    MET = "Met"
    SAFETY = "Safety"
    SECURITY = "Security"
    RESCUE = "Rescue"
    FIRE = "Fire"
    HEALTH = "Health"
    ENV = "Env"
    TRANSPORT = "Transport"
    INFRA = "Infra"
    CBRNE = "CBRNE"
    OTHER = "Other"


class Urgency(str, Enum):
    IMMEDIATE = "Immediate"
    EXPECTED = "Expected"
    FUTURE = "Future"
    PAST = "Past"
    UNKNOWN = "Unknown"


class Severity(str, Enum):
    EXTREME = "Extreme"
    SEVERE = "Severe"
    MODERATE = "Moderate"
    MINOR = "Minor"
    UNKNOWN = "Unknown"


class Certainty(str, Enum):
    OBSERVED = "Observed"
    LIKELY = "Likely"
    POSSIBLE = "Possible"
    UNLIKELY = "Unlikely"
    UNKNOWN = "Unknown"


class Alert(models.Model):
    """One alert as it stands now: its latest CAP message (Alert, Update or Cancel).

    `areas` is a list of {description, circles: [{lat, lng, radiusMeters}],
    polygons: [[{lat, lng}, ...]], geocodes: [{valueName, value}]}. The bounding box of
    their geometry (null when an area is named by geocodes only) finds candidates in SQL.
    `translations` holds the texts of further CAP <info> blocks by language.
    """

    id = fields.IntField(primary_key=True)
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    source = fields.CharEnumField(AlertSource, max_length=10)
    # Messages about the same thing that are not CAP-linked (a JMA warning for the city).
    thread_key = fields.CharField(max_length=200, null=True, db_index=True)
    identifier = fields.CharField(max_length=250)
    sender = fields.CharField(max_length=250)
    sent = fields.DatetimeField()
    status = fields.CharEnumField(AlertStatus, max_length=10)
    msg_type = fields.CharEnumField(MsgType, max_length=10)
    references = fields.TextField(default="")
    note = fields.TextField(default="")
    language = fields.CharField(max_length=35, default="ja-JP")
    category = fields.CharEnumField(Category, max_length=10)
    event = fields.CharField(max_length=500)
    urgency = fields.CharEnumField(Urgency, max_length=10)
    severity = fields.CharEnumField(Severity, max_length=10)
    certainty = fields.CharEnumField(Certainty, max_length=10)
    response_type = fields.CharField(max_length=20, default="")
    sender_name = fields.CharField(max_length=500, default="")
    headline = fields.CharField(max_length=500, default="")
    description = fields.TextField(default="")
    instruction = fields.TextField(default="")
    web = fields.CharField(max_length=1000, default="")
    contact = fields.CharField(max_length=500, default="")
    effective = fields.DatetimeField()
    onset = fields.DatetimeField(null=True)
    expires = fields.DatetimeField(null=True)
    hazard = fields.CharField(max_length=20, null=True)
    areas = fields.JSONField(default=list)
    translations = fields.JSONField(default=dict)
    min_lat = fields.FloatField(null=True)
    min_lng = fields.FloatField(null=True)
    max_lat = fields.FloatField(null=True)
    max_lng = fields.FloatField(null=True)
    created_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.StaffMember", related_name="alerts", null=True, on_delete=fields.SET_NULL
    )
    cancelled_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "alert"
        indexes = (("status", "msg_type", "expires"),)


class AlertMessage(models.Model):
    """Each CAP message issued or taken in: what `references` point at, and a broadcast's key.

    `digest` is the SHA-256 of an imported file, so the same file imported again is known.
    """

    id = fields.IntField(primary_key=True)
    alert: fields.ForeignKeyRelation[Alert] = fields.ForeignKeyField(
        "alerts.Alert", related_name="messages", on_delete=fields.CASCADE
    )
    identifier = fields.CharField(max_length=250)
    sender = fields.CharField(max_length=250)
    sent = fields.DatetimeField()
    msg_type = fields.CharEnumField(MsgType, max_length=10)
    digest = fields.CharField(max_length=64, null=True, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "alert_message"
        unique_together = (("sender", "identifier"),)


class WatchArea(models.Model):
    """A circle a resident wants alerts for (home, parents' house, school)."""

    id = fields.IntField(primary_key=True)
    resident: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="watch_areas", on_delete=fields.CASCADE
    )
    label = fields.CharField(max_length=50)
    lat = fields.FloatField()
    lng = fields.FloatField()
    radius_m = fields.FloatField()
    min_lat = fields.FloatField()
    min_lng = fields.FloatField()
    max_lat = fields.FloatField()
    max_lng = fields.FloatField()
    position = fields.SmallIntField(default=0)

    class Meta:
        table = "alert_watch_area"
        # Covering the recipient query: the box test and the columns it reads, so neither
        # engine visits the table for the tens of thousands of rows a city-wide alert reaches.
        indexes = (
            ("min_lat", "max_lat", "min_lng", "max_lng", "resident_id", "lat", "lng", "radius_m"),
            ("resident_id",),
        )


class SharedLocation(models.Model):
    """The last location a resident shared in the bot, which counts for a day."""

    resident: fields.OneToOneRelation = fields.OneToOneField(
        "accounts.Resident",
        related_name="shared_location",
        on_delete=fields.CASCADE,
        primary_key=True,
    )
    lat = fields.FloatField()
    lng = fields.FloatField()
    shared_at = fields.DatetimeField()

    class Meta:
        table = "alert_shared_location"
        indexes = (("shared_at",), ("lat", "lng"))


class AlertSubscription(models.Model):
    """Whole-city alerts, and test and exercise alerts for residents who help test them."""

    resident: fields.OneToOneRelation = fields.OneToOneField(
        "accounts.Resident",
        related_name="alert_subscription",
        on_delete=fields.CASCADE,
        primary_key=True,
    )
    city_wide = fields.BooleanField(default=False)
    exercises = fields.BooleanField(default=False)

    class Meta:
        table = "alert_subscription"


class JmaFeed(models.Model):
    """A JMA Atom feed being watched: its validators for conditional requests."""

    id = fields.IntField(primary_key=True)
    url = fields.CharField(max_length=500, unique=True)
    etag = fields.CharField(max_length=200, default="")
    last_modified = fields.CharField(max_length=100, default="")
    checked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "alert_jma_feed"


class JmaFeedEntry(models.Model):
    """A feed entry whose telegram was taken in (whatever it held), never fetched again."""

    id = fields.IntField(primary_key=True)
    entry_id = fields.CharField(max_length=500, unique=True)
    outcome = fields.CharField(max_length=20)
    imported_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "alert_jma_feed_entry"
