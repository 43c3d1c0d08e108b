"""The catalogue in the database: importing definitions as new versions, and look-ups.

A procedure's version never changes once written; editing a definition file and importing
it again adds a version, and cases keep the one they were filed under.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tortoise import connections
from tortoise.transactions import in_transaction

from accounts.models import Department
from applications.catalogue.files import DEFINITIONS_DIR, Catalogue, DefinitionError, read_directory
from applications.catalogue.models import LifeEvent, Procedure, ProcedureVersion
from core.errors import AppError, ErrorCode, not_found


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def checksum(definition: dict[str, Any]) -> str:
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


async def import_directory(directory: Path = DEFINITIONS_DIR) -> ImportSummary:
    """Check every file first, then write all in one transaction (all or nothing)."""
    catalogue = read_directory(directory)
    departments = await _departments(catalogue)
    summary = ImportSummary()
    async with in_transaction():
        for code, definition in catalogue.procedures.items():
            await _import_procedure(code, definition, departments, summary)
        for code, definition in catalogue.life_events.items():
            await _import_life_event(code, definition, summary)
    return summary


async def _departments(catalogue: Catalogue) -> dict[str, Department]:
    wanted = {d["department"] for d in catalogue.procedures.values()}
    found = {d.code: d for d in await Department.filter(code__in=list(wanted))}
    missing = [
        (f"procedure {code}", "department", f"no department {d['department']!r}")
        for code, d in catalogue.procedures.items()
        if d["department"] not in found
    ]
    if missing:
        raise DefinitionError(missing)
    return found


async def _import_procedure(
    code: str, definition: dict[str, Any], departments: dict[str, Department], summary
) -> None:
    digest = checksum(definition)
    department = departments[definition["department"]]
    procedure = await Procedure.get_or_none(code=code)
    if procedure is None:
        procedure = await Procedure.create(code=code, department=department, latest_version=1)
        await ProcedureVersion.create(
            procedure=procedure, version=1, definition=definition, checksum=digest
        )
        summary.created.append(code)
        return
    latest = await ProcedureVersion.get(procedure=procedure, version=procedure.latest_version)
    if latest.checksum == digest:
        summary.unchanged.append(code)
        return
    procedure.latest_version += 1
    procedure.department = department
    procedure.is_active = True
    await procedure.save()
    await ProcedureVersion.create(
        procedure=procedure,
        version=procedure.latest_version,
        definition=definition,
        checksum=digest,
    )
    summary.new_versions.append(code)


async def _import_life_event(code: str, definition: dict[str, Any], summary) -> None:
    digest = checksum(definition)
    event = await LifeEvent.get_or_none(code=code)
    if event is None:
        await LifeEvent.create(code=code, definition=definition, checksum=digest)
        summary.created.append(code)
    elif event.checksum == digest:
        summary.unchanged.append(code)
    else:
        event.definition, event.checksum, event.is_active = definition, digest, True
        await event.save()
        summary.new_versions.append(code)


# --- look-ups ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureView:
    """A procedure at one version: what the API shows and the rules apply."""

    id: int
    version_id: int
    checksum: str
    code: str
    version: int
    department_id: int
    definition: dict[str, Any]

    @property
    def form(self) -> dict[str, Any]:
        return self.definition["form"]

    @property
    def needs_counter_visit(self) -> bool:
        return "counterVisit" in self.definition

    def fee_for(self, answers: dict[str, Any]) -> int:
        """Whole yen; a per-item fee counts the answer it names (¥300 per copy)."""
        fee = self.definition.get("fee") or {}
        yen = int(fee.get("yen", 0))
        per_field = fee.get("perField")
        if per_field:
            count = answers.get(per_field)
            return yen * count if isinstance(count, int) and count > 0 else 0
        return yen


#: Versions never change once written, so each process keeps those it has read, by id and
#: checksum (another database, e.g. a restored one, may reuse an id for other content).
_VIEWS: dict[tuple[int, str], ProcedureView] = {}
MAX_VIEWS = 2048


async def versions_by_id(version_ids: list[int]) -> list[ProcedureView]:
    """The procedure versions, in the order asked."""
    if not version_ids:
        return []
    return await views_of(version_ids, await _checksums(version_ids))


async def views_of(version_ids: list[int], keys: dict[int, str]) -> list[ProcedureView]:
    """The versions, in the order asked, given their checksums as just read (`keys`); a
    version missing from `keys` is left out."""
    missing = [i for i, digest in keys.items() if (i, digest) not in _VIEWS]
    if missing:
        if len(_VIEWS) > MAX_VIEWS:
            _VIEWS.clear()
        rows = await ProcedureVersion.filter(id__in=missing).select_related("procedure")
        for row in rows:
            _VIEWS[(row.id, row.checksum)] = ProcedureView(
                id=row.procedure_id,
                version_id=row.id,
                checksum=row.checksum,
                code=row.procedure.code,
                version=row.version,
                department_id=row.procedure.department_id,
                definition=row.definition,
            )
    return [_VIEWS[(i, keys[i])] for i in version_ids if (i, keys.get(i)) in _VIEWS]


async def _checksums(version_ids: list[int]) -> dict[int, str]:
    """Checksums of the versions, by id: read on every submission and answer, in plain SQL
    (Tortoise's query costs several times the read)."""
    connection = connections.get("default")
    table = ProcedureVersion._meta.db_table
    ids = [int(i) for i in version_ids]
    values: list[object]
    if connection.capabilities.dialect == "postgres":
        where, values = "= ANY($1::int[])", [ids]
    else:
        where, values = "IN (SELECT value FROM json_each(?))", [json.dumps(ids)]
    _, rows = await connection.execute_query(
        f'SELECT id, checksum FROM "{table}" WHERE id {where}', values
    )
    return {row[0]: row[1] for row in rows}


async def current_procedures(codes: list[str] | None = None) -> list[ProcedureView]:
    """Active procedures at their latest version, in the order of `codes` (else by code)."""
    query = Procedure.filter(is_active=True)
    if codes is not None:
        query = query.filter(code__in=codes)
    procedures = await query.order_by("code")
    if not procedures:
        return []
    versions = await ProcedureVersion.filter(
        procedure_id__in=[p.id for p in procedures]
    ).values_list("id", "procedure_id", "version")
    latest = {p.id: p.latest_version for p in procedures}
    ids = {pid: vid for vid, pid, number in versions if latest[pid] == number}
    views = await versions_by_id(list(ids.values()))
    if codes is None:
        return views
    by_code = {v.code: v for v in views}
    return [by_code[c] for c in codes if c in by_code]


async def procedure_by_code(code: str) -> ProcedureView:
    found = await current_procedures([code])
    if not found:
        raise not_found()
    return found[0]


async def life_events() -> list[LifeEvent]:
    return await LifeEvent.filter(is_active=True).order_by("id")


async def life_event(code: str) -> LifeEvent:
    event = await LifeEvent.get_or_none(code=code, is_active=True)
    if event is None:
        raise not_found()
    return event


def applies(item: dict[str, Any], event_answers: dict[str, Any] | None) -> bool:
    """A bundled procedure applies when every answer its `when` names matches."""
    when = item.get("when") or {}
    if not when:
        return True
    if event_answers is None:
        return True
    return all(event_answers.get(key) == value for key, value in when.items())


def procedures_for_event(event: LifeEvent, event_answers: dict[str, Any] | None) -> list[str]:
    return [i["code"] for i in event.definition["procedures"] if applies(i, event_answers)]


def guidance_for(event: LifeEvent, event_answers: dict[str, Any] | None) -> list[dict[str, str]]:
    return [
        g["text"]
        for g in event.definition.get("guidance", [])
        if event_answers is not None and applies(g, event_answers)
    ]


def check_event_answers(event: LifeEvent, answers: Any) -> dict[str, Any] | None:
    if answers is None:
        return None
    keys = {q["key"] for q in event.definition.get("questions", [])}
    if not isinstance(answers, dict) or any(
        k not in keys or not isinstance(v, bool) for k, v in answers.items()
    ):
        raise AppError(ErrorCode.VALIDATION, "applications.bad_event_answers", field="eventAnswers")
    return answers
