"""The reads and writes of a submission, in plain SQL.

Tortoise's query builder and model machinery cost about 0.7 ms of CPU a statement where the
statement itself costs about 0.1 ms, and a submission makes a dozen of them: most of its
time. These write the same rows into the models' own tables and columns, every value as a
parameter (no text is spliced in), JSON written by the models' own fields."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from applications.attachments.models import Attachment
from applications.cases.models import Application, ApplicationStatus, Case, CaseEvent, CaseEventKind
from applications.catalogue.models import ProcedureVersion
from core.sql import Statement

_CASE_COLUMNS = (
    "public_id",
    "receipt_number",
    "application_id",
    "resident_id",
    "procedure_id",
    "procedure_version_id",
    "department_id",
    "status",
    "answers",
    "applicant_name",
    "fee_yen",
    "paid_yen",
    "refunded",
    "submitted_at",
    "due_at",
    "decision_reason",
    "updated_at",
)
_EVENT_COLUMNS = (
    "case_id",
    "at",
    "kind",
    "from_status",
    "to_status",
    "message",
    "by_resident",
)


@cache
def _application_columns() -> str:
    # Read once Tortoise has set the models up (foreign keys' columns come in then).
    return ", ".join(f'a."{c}"' for c in Application._meta.fields_db_projection.values())


def _names(columns: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


@dataclass(frozen=True)
class Draft:
    """An application as a submission reads it, with what its checks need besides."""

    application: Application
    #: The checksums of its procedure versions, by version id.
    checksums: dict[int, str]
    #: (field key, public id) of the files uploaded to it.
    files: set[tuple[str, str]]
    #: Its answers as the database returned them, to tell later whether they changed.
    stored_answers: Any = None


async def draft(resident_id: int, public_id: uuid.UUID, *, lock: bool) -> Draft | None:
    """The resident's application by its public id (row-locked on PostgreSQL when `lock`),
    its versions' checksums and its files, in one statement."""
    sql = Statement()
    where = f"a.public_id = {sql.param(public_id)} AND a.resident_id = {sql.param(resident_id)}"
    versions = ProcedureVersion._meta.db_table
    files = Attachment._meta.db_table
    if sql.postgres:
        version_ids = "SELECT value::int FROM jsonb_array_elements_text(a.version_ids)"
        pairs = "COALESCE(json_agg(json_build_array({}, {})), '[]'::json)"
        suffix = " FOR UPDATE OF a" if lock else ""
    else:
        version_ids = "SELECT value FROM json_each(a.version_ids)"
        pairs = "json_group_array(json_array({}, {}))"
        suffix = ""
    rows = await sql.dicts(
        f"SELECT {_application_columns()},"
        f' (SELECT {pairs.format("v.id", "v.checksum")} FROM "{versions}" v'
        f" WHERE v.id IN ({version_ids})) AS versions_read,"
        f' (SELECT {pairs.format("f.field_key", "f.public_id")} FROM "{files}" f'
        " WHERE f.application_id = a.id) AS files_read"
        f' FROM "application" a WHERE {where}{suffix}'
    )
    if not rows:
        return None
    row = rows[0]
    checksums = {int(i): str(c) for i, c in json.loads(row.pop("versions_read"))}
    uploaded = {(str(k), str(i)) for k, i in json.loads(row.pop("files_read"))}
    return Draft(Application._init_from_db(**row), checksums, uploaded, row["answers"])


async def uploaded(application_id: int, public_ids: Sequence[str]) -> set[tuple[str, str]]:
    """(field key, public id) of the application's attachments among `public_ids`."""
    wanted = [parsed for parsed in map(_uuid_or_none, public_ids) if parsed is not None]
    if not wanted:
        return set()
    sql = Statement()
    owner = sql.param(application_id)
    ids = ", ".join(sql.param(public_id) for public_id in wanted)
    table = Attachment._meta.db_table
    rows = await sql.dicts(
        f'SELECT field_key, public_id FROM "{table}" WHERE application_id = {owner}'
        f" AND public_id IN ({ids})"
    )
    return {(row["field_key"], str(row["public_id"])) for row in rows}


def _uuid_or_none(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def new_case(**values: Any) -> Case:
    """A case to file with `insert_cases`: `values` by column, the columns a new case leaves
    empty filled in. Built as Tortoise builds a case it has read, since its constructor costs
    more than the statement that writes the case."""
    case = Case._init_from_db(
        **{
            "id": None,
            "public_id": uuid.uuid4(),
            "paid_yen": 0,
            "refunded": False,
            "claimed_by_id": None,
            "visit_id": None,
            "decided_at": None,
            "decision_reason": "",
            "closed_at": None,
            "updated_at": values["submitted_at"],
            **values,
        }
    )
    case._saved_in_db = False  # until insert_cases has written it
    return case


async def insert_cases(cases: Sequence[Case]) -> None:
    """The cases in one statement; each gets the id the database gave it."""
    sql = Statement()
    answers = Case._meta.fields_map["answers"]
    values = ", ".join(
        sql.row(
            [
                case.public_id,
                case.receipt_number,
                case.application_id,
                case.resident_id,
                case.procedure_id,
                case.procedure_version_id,
                case.department_id,
                case.status.value,
                answers.to_db_value(case.answers, case),
                case.applicant_name,
                case.fee_yen,
                case.paid_yen,
                case.refunded,
                case.submitted_at,
                case.due_at,
                case.decision_reason,
                case.submitted_at,
            ]
        )
        for case in cases
    )
    rows = await sql.dicts(
        f'INSERT INTO "{Case._meta.db_table}" ({_names(_CASE_COLUMNS)}) VALUES {values}'
        ' RETURNING "id", "public_id"'
    )
    ids = {str(row["public_id"]): row["id"] for row in rows}
    for case in cases:
        case.id = ids[str(case.public_id)]
        case.updated_at = case.submitted_at
        case._saved_in_db = True


async def insert_status_events(cases: Sequence[Case], at: datetime) -> None:
    """Each case's first history line (its status, set by the resident), in one statement."""
    sql = Statement()
    values = ", ".join(
        sql.row([case.id, at, CaseEventKind.STATUS.value, "", case.status.value, "", True])
        for case in cases
    )
    await sql.run(
        f'INSERT INTO "{CaseEvent._meta.db_table}" ({_names(_EVENT_COLUMNS)}) VALUES {values}'
    )


async def mark_submitted(application: Application, *, unchanged: Draft | None = None) -> bool:
    """Write the submission's status, time, fee total and salt (the caller set them) if the
    application is still a draft and, given `unchanged`, still has the answers read there;
    whether it was. On PostgreSQL the row stays locked to the end of the transaction."""
    sql = Statement()
    assignments = ", ".join(
        f'"{column}" = {sql.param(value)}'
        for column, value in (
            ("status", ApplicationStatus.SUBMITTED.value),
            ("submitted_at", application.submitted_at),
            ("fee_total_yen", application.fee_total_yen),
            ("lookup_salt", application.lookup_salt),
            ("updated_at", application.updated_at),
        )
    )
    where = (
        f"id = {sql.param(application.id)} AND status = {sql.param(ApplicationStatus.DRAFT.value)}"
    )
    if unchanged is not None:
        where += f" AND answers = {_stored_answers(sql, unchanged)}"
    return await sql.run(f'UPDATE "application" SET {assignments} WHERE {where}') == 1


def _stored_answers(sql: Statement, draft: Draft) -> str:
    if sql.postgres:  # compared as jsonb: equal answers, however written
        field = Application._meta.fields_map["answers"]
        return f"{sql.param(field.to_db_value(draft.application.answers, Application))}::jsonb"
    return sql.param(draft.stored_answers)  # the very text read
