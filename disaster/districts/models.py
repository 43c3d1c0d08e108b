from __future__ import annotations

from tortoise import fields, models


class District(models.Model):
    """A district of the city, placed at its office: a point belongs to the nearest office."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=20, unique=True)
    name_ja = fields.CharField(max_length=100)
    name_en = fields.CharField(max_length=100)
    lat = fields.FloatField()
    lng = fields.FloatField()

    class Meta:
        table = "disaster_district"
