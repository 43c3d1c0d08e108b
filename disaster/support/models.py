"""The register of people who need help to evacuate. What identifies or describes a person
(name, date of birth, sex, address and its position, contact, why help is needed) is kept
sealed (core.sealing) in `sealed`; no column holds it in the clear."""

from __future__ import annotations

import uuid
from enum import StrEnum

from tortoise import fields, models


class ConsentMethod(StrEnum):
    WRITTEN = "WRITTEN"  # 書面: the welfare department holds the signed form
    APP = "APP"  # the person registered themself in the app


class SupportRelation(StrEnum):
    FAMILY = "FAMILY"  # 家族
    NEIGHBOUR = "NEIGHBOUR"  # 近隣住民
    MINSEI_IIN = "MINSEI_IIN"  # 民生委員
    OTHER = "OTHER"


class CheckStatus(StrEnum):
    CONTACTED = "CONTACTED"  # 連絡がついた
    EVACUATED = "EVACUATED"  # 避難した
    NOT_REACHABLE = "NOT_REACHABLE"  # 連絡がつかない


class SupportNeededPerson(models.Model):
    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    resident_id: int | None
    registered_by_staff_id: int | None
    public_id = fields.UUIDField(default=uuid.uuid4, unique=True)
    resident: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.Resident",
        related_name="support_registrations",
        null=True,
        unique=True,
        on_delete=fields.SET_NULL,
        description="the person's own account, when they have one",
    )
    sealed = fields.TextField(description="the person's details, encrypted (core.sealing)")
    consent_method = fields.CharEnumField(ConsentMethod, max_length=10)
    consent_at = fields.DatetimeField()
    consent_recorded_by = fields.CharField(max_length=100, default="")
    registered_by_staff: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.StaffMember",
        related_name="support_registrations",
        null=True,
        on_delete=fields.SET_NULL,
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "support_person"


class Supporter(models.Model):
    """A resident who helps the person evacuate (family, a neighbour, the 民生委員)."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    person_id: int
    resident_id: int
    person: fields.ForeignKeyRelation[SupportNeededPerson] = fields.ForeignKeyField(
        "disaster.SupportNeededPerson", related_name="supporters", on_delete=fields.CASCADE
    )
    resident: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="supporting", on_delete=fields.CASCADE
    )
    relation = fields.CharEnumField(SupportRelation, max_length=12)
    position = fields.SmallIntField(default=0)

    class Meta:
        table = "support_supporter"
        unique_together = (("person_id", "resident_id"),)
        indexes = (("resident_id",),)


class SupportCheck(models.Model):
    """What a supporter found during an alert, shown to the welfare department."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    person_id: int
    alert_id: int
    supporter_id: int
    person: fields.ForeignKeyRelation[SupportNeededPerson] = fields.ForeignKeyField(
        "disaster.SupportNeededPerson", related_name="checks", on_delete=fields.CASCADE
    )
    alert: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "alerts.Alert", related_name="support_checks", on_delete=fields.CASCADE
    )
    supporter: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.Resident", related_name="support_checks", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(CheckStatus, max_length=15)
    note = fields.CharField(max_length=200, default="")
    at = fields.DatetimeField()

    class Meta:
        table = "support_check"
        unique_together = (("person_id", "alert_id", "supporter_id"),)


class SupportNotice(models.Model):
    """The person's supporters were told of this alert (once per person per alert)."""

    id = fields.IntField(primary_key=True)
    # Foreign-key columns Tortoise adds, declared for type checkers.
    person_id: int
    alert_id: int
    person: fields.ForeignKeyRelation[SupportNeededPerson] = fields.ForeignKeyField(
        "disaster.SupportNeededPerson", related_name="notices", on_delete=fields.CASCADE
    )
    alert: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "alerts.Alert", related_name="support_notices", on_delete=fields.CASCADE
    )
    at = fields.DatetimeField()
    supporters = fields.SmallIntField(default=0)

    class Meta:
        table = "support_notice"
        unique_together = (("person_id", "alert_id"),)
