"""Strawberry types of the catalogue: life events and procedures."""

from __future__ import annotations

import asyncio

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON
from strawberry.types import Info
from tortoise import connections

from accounts.models import Department
from applications.catalogue.models import LifeEvent
from applications.catalogue.service import ProcedureView, current_procedures, versions_by_id
from applications.forms.texts import localized


@strawberry.type(name="Department")
class DepartmentType:
    code: str
    name: str


class DepartmentsById:
    """Every department, read once per request (there are a handful); the cases of one
    answer asking at once share the one read."""

    def __init__(self) -> None:
        self._read: asyncio.Future[dict[int, Department]] | None = None

    async def get(self, department_id: int) -> Department:
        by_id = await self._all()
        if department_id not in by_id:  # made during the request
            self._read = None
            by_id = await self._all()
        return by_id[department_id]

    def _all(self) -> asyncio.Future[dict[int, Department]]:
        if self._read is None:
            self._read = asyncio.ensure_future(_departments())
        return self._read


async def _departments() -> dict[int, Department]:
    # In plain SQL: Tortoise's query costs several times reading the handful of rows.
    columns = ", ".join(f'"{c}"' for c in Department._meta.fields_db_projection.values())
    rows = await connections.get("default").execute_query_dict(
        f'SELECT {columns} FROM "{Department._meta.db_table}"'
    )
    return {row["id"]: Department._init_from_db(**row) for row in rows}


async def _versions(version_ids: list[int]) -> list[ProcedureView]:
    found = {v.version_id: v for v in await versions_by_id(version_ids)}
    return [found[i] for i in version_ids]


class VersionsById(DataLoader[int, ProcedureView]):
    """Procedure versions by id for one request: the cases of one answer in one read."""

    def __init__(self) -> None:
        super().__init__(load_fn=_versions)


async def department_type(info: Info, department_id: int) -> DepartmentType:
    department = await info.context.loader(DepartmentsById).get(department_id)
    name = department.name_ja if info.context.language == "ja" else department.name_en
    return DepartmentType(code=department.code, name=name)


@strawberry.type(name="Procedure")
class ProcedureType:
    view: strawberry.Private[ProcedureView]
    code: str
    name: str
    description: str
    version: int
    fee_yen: int = strawberry.field(description="Whole yen; per item when feePerField is set.")
    fee_per_field: str | None
    processing_days: int
    needs_counter_visit: bool
    counter_visit_note: str | None
    delivery: str
    retention_days: int
    short_form: bool = strawberry.field(
        description="Short enough to fill in step by step in a chat."
    )
    documents: list[str] = strawberry.field(description="Documents to have ready or bring.")
    form_schema: JSON = strawberry.field(description="JSON Schema 2020-12 of the answers.")
    ui_schema: JSON = strawberry.field(description="Order, labels, help texts and widgets.")

    @strawberry.field
    async def department(self, info: Info) -> DepartmentType:
        return await department_type(info, self.view.department_id)

    @classmethod
    def of(cls, view: ProcedureView, language: str) -> ProcedureType:
        d = view.definition
        fee = d.get("fee") or {}
        visit = d.get("counterVisit")
        return cls(
            view=view,
            code=view.code,
            name=localized(d["name"], language),
            description=localized(d.get("description"), language),
            version=view.version,
            fee_yen=int(fee.get("yen", 0)),
            fee_per_field=fee.get("perField"),
            processing_days=d["processingDays"],
            needs_counter_visit=visit is not None,
            counter_visit_note=localized(visit["note"], language) if visit else None,
            delivery=d.get("delivery", "online"),
            retention_days=d["retentionDays"],
            short_form=bool(d.get("botSteps")),
            documents=[localized(doc, language) for doc in d.get("documents", [])],
            form_schema=view.form["schema"],
            ui_schema=view.form["ui"],
        )


@strawberry.type
class LifeEventQuestion:
    key: str
    label: str


@strawberry.type(name="LifeEvent")
class LifeEventType:
    model: strawberry.Private[LifeEvent]
    code: str
    name: str
    description: str
    questions: list[LifeEventQuestion]

    @strawberry.field(description="Every procedure the event may bundle.")
    async def procedures(self, info: Info) -> list[ProcedureType]:
        codes = [item["code"] for item in self.model.definition["procedures"]]
        return [ProcedureType.of(v, info.context.language) for v in await current_procedures(codes)]

    @classmethod
    def of(cls, event: LifeEvent, language: str) -> LifeEventType:
        d = event.definition
        return cls(
            model=event,
            code=event.code,
            name=localized(d["name"], language),
            description=localized(d.get("description"), language),
            questions=[
                LifeEventQuestion(key=q["key"], label=localized(q["label"], language))
                for q in d.get("questions", [])
            ],
        )
