"""Procedures, their versions and life events, as loaded from definition files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from accounts.models import Department


class Procedure(models.Model):
    """A procedure a resident can file (転入届 …). Its form and rules live in its versions."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=60, unique=True)
    department_id: int
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "accounts.Department", related_name="procedures", on_delete=fields.RESTRICT
    )
    latest_version = fields.IntField(default=1)
    is_active = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "application_procedure"


class ProcedureVersion(models.Model):
    """A procedure's definition as it was when loaded. A filed case keeps its version."""

    id = fields.IntField(primary_key=True)
    procedure_id: int
    procedure: fields.ForeignKeyRelation[Procedure] = fields.ForeignKeyField(
        "applications.Procedure", related_name="versions", on_delete=fields.RESTRICT
    )
    version = fields.IntField()
    definition: fields.JSONField[dict[str, Any]] = fields.JSONField()
    #: sha256 of the canonical JSON of the definition (the same file again adds nothing).
    checksum = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "application_procedure_version"
        unique_together = (("procedure", "version"),)


class LifeEvent(models.Model):
    """A life event (転入, 出生) bundling procedures, with the questions that decide which."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=60, unique=True)
    definition: fields.JSONField[dict[str, Any]] = fields.JSONField()
    checksum = fields.CharField(max_length=64)
    is_active = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "application_life_event"
