"""Evacuation sites, shelters and AEDs as imported from open data (see geo.readers).

`source_id` is the key an import updates by (GSI 共通ID, a dataset's own ID scoped by
municipality, or a content hash); ids are the project's own. Positions are WGS84 degrees;
nearest-neighbour queries run on the in-process index (geo.index), not in SQL.
"""

from __future__ import annotations

from tortoise import fields, models


class Shelter(models.Model):
    """A 指定緊急避難場所 (evacuation site), a 指定避難所 (shelter), or a place that is both."""

    id = fields.IntField(primary_key=True)
    source_id = fields.CharField(max_length=100, unique=True)
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
    is_open = fields.BooleanField(default=True, description="opened (開設) by the city now")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "geo_shelter"

    def __str__(self) -> str:
        return self.name


class Aed(models.Model):
    id = fields.IntField(primary_key=True)
    source_id = fields.CharField(max_length=100, unique=True)
    name = fields.TextField()
    kana = fields.TextField(default="")
    address = fields.TextField(default="")
    lat = fields.FloatField()
    lng = fields.FloatField()
    placement = fields.TextField(default="", description="設置位置: where in the building")
    available_days = fields.TextField(default="")
    available_hours = fields.TextField(default="")
    availability_notes = fields.TextField(default="")
    pediatric = fields.BooleanField(null=True, description="小児対応; null when not stated")
    phone = fields.TextField(default="")
    municipality_code = fields.CharField(max_length=6, default="", db_index=True)
    notes = fields.TextField(default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "geo_aed"

    def __str__(self) -> str:
        return self.name
