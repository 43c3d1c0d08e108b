"""Evacuation sites, shelters and AEDs as imported from open data (see geo.readers, geo.importing).

A `Shelter` is one place: every published row with the same name at the same position (to a
millionth of a degree) is one place, so a school listed once as 指定緊急避難場所 and once as
指定避難所 (GSI gives the two entries different 共通IDs) is one row that is both. Each
published row is kept as a `ShelterSource`, keyed by the id an import updates by (GSI 共通ID,
a dataset's own ID scoped by municipality, or a content hash), and the place's columns are
combined from its sources. AEDs are devices: one row per published row.

Ids are the project's own; clients see `public_id`. Positions are WGS84 degrees; nearest
neighbour queries run on the in-process index (geo.runtime), not in SQL.
"""

from __future__ import annotations

import uuid

from tortoise import fields, models


class Shelter(models.Model):
    """A 指定緊急避難場所 (evacuation site), a 指定避難所 (shelter), or a place that is both."""

    id = fields.IntField(primary_key=True)
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    place_key = fields.CharField(
        max_length=40, unique=True, description="hash of name and position"
    )
    source_id = fields.CharField(max_length=100, db_index=True, description="first source's id")
    source_ids = fields.TextField(default="", description="every source's id, space separated")
    name = fields.TextField()
    kana = fields.TextField(default="")
    address = fields.TextField(default="")
    lat = fields.FloatField()
    lng = fields.FloatField()
    hazards = fields.SmallIntField(default=0, description="geo.hazards bit mask")
    capacity = fields.IntField(null=True)
    is_evacuation_site = fields.BooleanField(default=False)
    is_shelter = fields.BooleanField(default=False)
    municipality_code = fields.CharField(max_length=6, default="", db_index=True)
    notes = fields.TextField(default="")
    is_open = fields.BooleanField(default=True, description="staff have not closed it")
    opened = fields.BooleanField(
        default=False, description="staff have opened it for evacuees (geo.service.ShelterStatus)"
    )
    full = fields.BooleanField(
        default=False, description="its headcount has reached its capacity (geo.operation)"
    )
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "geo_shelter"
        indexes = (("lat", "lng"),)

    def __str__(self) -> str:
        return self.name


class ShelterSource(models.Model):
    """One published row of a site file, as read (geo.readers.SiteRecord as JSON)."""

    id = fields.IntField(primary_key=True)
    source_id = fields.CharField(max_length=100, unique=True)
    dataset = fields.CharField(max_length=20, description="emergency or shelter")
    municipality_code = fields.CharField(max_length=6, default="")
    shelter: fields.ForeignKeyRelation[Shelter] = fields.ForeignKeyField(
        "geo.Shelter", related_name="sources", on_delete=fields.CASCADE
    )
    digest = fields.CharField(max_length=40, description="hash of the record")
    record = fields.TextField(description="the SiteRecord as JSON")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "geo_shelter_source"
        indexes = (("dataset", "municipality_code"), ("shelter_id",))


class Aed(models.Model):
    id = fields.IntField(primary_key=True)
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    source_id = fields.CharField(max_length=100, unique=True)
    digest = fields.CharField(max_length=40, description="hash of the record")
    name = fields.TextField()
    kana = fields.TextField(default="")
    address = fields.TextField(default="")
    lat = fields.FloatField()
    lng = fields.FloatField()
    placement = fields.TextField(default="", description="設置位置: where in the building")
    available_days = fields.TextField(default="")
    available_hours = fields.TextField(default="")
    availability_notes = fields.TextField(default="")
    pediatric = fields.BooleanField(null=True, description="小児対応, null when not stated")
    phone = fields.TextField(default="")
    municipality_code = fields.CharField(max_length=6, default="", db_index=True)
    notes = fields.TextField(default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "geo_aed"

    def __str__(self) -> str:
        return self.name


class GeoState(models.Model):
    """One row: versions every app process polls to know when to rebuild its index."""

    id = fields.IntField(primary_key=True)
    data_version = fields.BigIntField(
        default=0, description="bumped by every import that changes rows"
    )
    open_version = fields.BigIntField(
        default=0, description="bumped when staff open or close a site"
    )

    class Meta:
        table = "geo_state"


# The operation sub-package's models belong to this Tortoise app.
from geo.operation.models import ShelterLogEntry, ShelterOperation

__all__ = ["Aed", "GeoState", "Shelter", "ShelterLogEntry", "ShelterOperation", "ShelterSource"]
