"""Strawberry types of the reports domain. Nothing here names a reporter to anyone but staff."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from operator import attrgetter
from typing import Any

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from core import clock
from core.records import RECORD_READERS, Column, Reader, RecordList, Shared, Text
from reports import loaders
from reports.categories import definition, localized
from reports.map.viewport import MapRecord, ReportRecord
from reports.messages import status_label
from reports.models import Category, Report, ReportEvent, ReportPhoto
from reports.queries import is_overdue
from reports.workflow import Status, can_reopen


@strawberry.enum(name="ReportStatus")
class ReportStatus(Enum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


@strawberry.type
class ReportPhotoCheck:
    width: int
    height: int
    has_location: bool = strawberry.field(description="The photo carries a GPS position.")


@strawberry.type
class ReportPhotoLimits:
    max_photos: int
    max_bytes: int = strawberry.field(description="Per photo, as sent.")
    max_megapixels: int
    content_types: list[str] = strawberry.field(description="The image types accepted.")


@strawberry.type
class ReportQuestionValue:
    key: str
    name: str


@strawberry.type
class ReportQuestion:
    code: str
    datatype: str
    required: bool
    description: str
    values: list[ReportQuestionValue]


@strawberry.type(name="ReportCategory")
class ReportCategoryType:
    code: str
    name: str
    description: str
    icon: str
    department_code: str
    department_name: str
    duplicate_radius_m: int
    acknowledge_hours: int | None
    resolve_hours: int | None
    questions: list[ReportQuestion]

    @classmethod
    def from_model(cls, category: Category, language: str) -> ReportCategoryType:
        attributes = definition(category, language).attributes
        return cls(
            code=category.code,
            name=localized(category, "name", language),
            description=localized(category, "description", language),
            icon=category.icon,
            department_code=category.department.code,
            department_name=localized(category.department, "name", language),
            duplicate_radius_m=category.duplicate_radius_m,
            acknowledge_hours=category.acknowledge_hours,
            resolve_hours=category.resolve_hours,
            questions=[
                ReportQuestion(
                    code=a.code,
                    datatype=str(a.datatype),
                    required=a.required,
                    description=a.description,
                    values=[ReportQuestionValue(key=v.key, name=v.name) for v in a.values],
                )
                for a in attributes
            ],
        )


@strawberry.type(name="ReportPhoto")
class ReportPhotoType:
    id: strawberry.ID
    url: str
    thumb_url: str
    width: int
    height: int
    hidden: bool

    @classmethod
    def from_model(cls, photo: ReportPhoto, base_url: str = "") -> ReportPhotoType:
        return cls(
            id=strawberry.ID(str(photo.public_id)),
            url=f"{base_url}/media/reports/{photo.key}",
            thumb_url=f"{base_url}/media/reports/{photo.thumb_key}",
            width=photo.width,
            height=photo.height,
            hidden=photo.hidden,
        )


@strawberry.type
class ReportHistoryEntry:
    kind: str
    at: datetime
    from_status: ReportStatus | None
    to_status: ReportStatus | None
    to_status_label: str | None = strawberry.field(
        description="The status reached, in the caller's language."
    )
    note: str
    public: bool
    actor: str = strawberry.field(
        description="Who made the change: staff see names, others a role."
    )

    @classmethod
    def from_model(
        cls, event: ReportEvent, *, for_staff: bool, language: str
    ) -> ReportHistoryEntry:
        return cls(
            kind=event.kind,
            at=event.created_at,
            from_status=ReportStatus(event.from_status) if event.from_status else None,
            to_status=ReportStatus(event.to_status) if event.to_status else None,
            to_status_label=status_label(event.to_status, language) if event.to_status else None,
            note=event.note,
            public=event.public,
            actor=_actor(event, for_staff=for_staff, language=language),
        )


def _actor(event: ReportEvent, *, for_staff: bool, language: str) -> str:
    if event.staff_id is not None:
        if for_staff and event.staff is not None:
            return event.staff.display_name
        return "市役所" if language == "ja" else "City office"
    if event.resident_id is not None:
        return "通報者" if language == "ja" else "Reporter"
    return "システム" if language == "ja" else "System"


@strawberry.type
class ReportRef:
    id: strawberry.ID
    receipt_number: str


@strawberry.type
class ReportAssignee:
    id: strawberry.ID
    display_name: str
    department_code: str


@strawberry.type
class ReportAnswer:
    code: str
    values: list[str]


@strawberry.type
class ReportStaffDetails:
    reporter_name: str | None
    reporter_contact: str | None
    source: str
    hidden: bool
    hidden_reason: str
    assignee: ReportAssignee | None
    department_code: str
    answers: list[ReportAnswer]


_STATUSES = {status.value: status for status in ReportStatus}


@dataclass(frozen=True, slots=True)
class _Caller:
    """What every report of one answer shares: who asks, in which language, and when."""

    resident_id: int | None
    language: str
    now: datetime

    @classmethod
    def of(cls, context: Any) -> _Caller:
        resident = context.resident
        return cls(resident.id if resident is not None else None, context.language, clock.now())


@strawberry.type(name="Report")
class ReportType:
    model: strawberry.Private[Report | ReportRecord]
    id: strawberry.ID
    receipt_number: str
    description: str
    lat: float
    lng: float
    address: str | None
    status: ReportStatus
    status_label: str
    public_note: str
    created_at: datetime
    updated_at: datetime
    acknowledge_by: datetime | None
    resolve_by: datetime | None
    overdue: bool
    is_mine: bool
    category: ReportCategoryType
    department_name: str

    @classmethod
    def from_model(
        cls,
        report: Report | ReportRecord,
        info: Info,
        category: ReportCategoryType,
        department_name: str,
    ) -> ReportType:
        return ReportView(report, _Caller.of(info.context), category, department_name)

    @strawberry.field
    async def photos(self, info: Info) -> list[ReportPhotoType]:
        photos = await loaders.photos(info.context, self.model.id)
        base_url = info.context.absolute_url("")
        return [ReportPhotoType.from_model(photo, base_url) for photo in photos]

    @strawberry.field
    async def history(self, info: Info) -> list[ReportHistoryEntry]:
        for_staff = info.context.staff is not None
        entries = await loaders.history(info.context, self.model)
        return [
            ReportHistoryEntry.from_model(
                entry, for_staff=for_staff, language=info.context.language
            )
            for entry in entries
        ]

    @strawberry.field
    async def duplicate_of(self) -> ReportRef | None:
        original_id = self.model.duplicate_of_id
        if original_id is None:
            return None
        original = await Report.get_or_none(id=original_id).only(
            "id", "public_id", "receipt_number"
        )
        if original is None:
            return None
        return ReportRef(
            id=strawberry.ID(str(original.public_id)), receipt_number=original.receipt_number
        )

    @strawberry.field
    async def is_following(self, info: Info) -> bool:
        resident = info.context.resident
        if resident is None:
            return False
        return await loaders.is_following(info.context, self.model.id)

    @strawberry.field
    def can_reopen(self, info: Info) -> bool:
        report = self.model
        if not self.is_mine or report.status != Status.RESOLVED or report.resolved_at is None:
            return False
        return can_reopen(report.resolved_at, clock.now())

    @strawberry.field(description="Null unless the caller is staff.")
    async def staff_details(self, info: Info) -> ReportStaffDetails | None:
        if info.context.staff is None:
            return None
        return await loaders.staff_details(info.context, self.model.id)


class ReportView(ReportType):
    """A `ReportType` whose fields are worked out from its record when they are read, so an
    answer pays only for the fields it selects (a map of 500 reports asks for eight). The
    record is a Report, a ReportRecord or, when the selection needs no other column
    (`LIGHT_FIELDS`), a MapRecord."""

    def __init__(
        self,
        report: Report | ReportRecord | MapRecord,
        caller: _Caller,
        category: ReportCategoryType,
        department_name: str,
    ) -> None:
        self.model = report  # type: ignore[assignment]
        self.caller = caller
        self.category = category
        self.department_name = department_name

    id = property(lambda self: strawberry.ID(str(self.model.public_id)))
    receipt_number = property(attrgetter("model.receipt_number"))
    description = property(attrgetter("model.description"))
    lat = property(attrgetter("model.lat"))
    lng = property(attrgetter("model.lng"))
    address = property(attrgetter("model.address"))
    public_note = property(attrgetter("model.public_note"))
    created_at = property(attrgetter("model.created_at"))
    updated_at = property(attrgetter("model.updated_at"))
    acknowledge_by = property(attrgetter("model.acknowledge_due_at"))
    resolve_by = property(attrgetter("model.resolve_due_at"))

    @property
    def status(self) -> ReportStatus:
        status = str(self.model.status)
        return _STATUSES.get(status) or ReportStatus(status)

    @property
    def status_label(self) -> str:
        return status_label(str(self.model.status), self.caller.language)

    @property
    def overdue(self) -> bool:
        return is_overdue(self.model, self.caller.now)

    @property
    def is_mine(self) -> bool:
        resident_id = self.caller.resident_id
        return resident_id is not None and self.model.reporter_id == resident_id


class MapReportView(ReportView):
    """A ReportView of a MapRecord, with the fields every map asks for worked out at once
    (one call per report instead of one per field); the others as in ReportView."""

    __slots__ = ("created_at", "id", "lat", "lng", "overdue", "receipt_number", "status")

    def __init__(
        self, report: MapRecord, caller: _Caller, category: ReportCategoryType, department_name: str
    ) -> None:
        self.model = report  # type: ignore[assignment]
        self.caller = caller
        self.category = category
        self.department_name = department_name
        self.id = strawberry.ID(str(report.public_id))
        self.receipt_number = report.receipt_number
        self.lat = report.lat
        self.lng = report.lng
        self.status = _STATUSES.get(report.status) or ReportStatus(report.status)
        self.created_at = report.created_at
        self.overdue = is_overdue(report, caller.now)


# The fields of a Report (GraphQL names) that a MapRecord answers: its own columns, and
# resolvers that read only the report's id.
LIGHT_FIELDS = frozenset(
    {
        "__typename",
        "id",
        "receiptNumber",
        "lat",
        "lng",
        "status",
        "statusLabel",
        "createdAt",
        "acknowledgeBy",
        "resolveBy",
        "overdue",
        "isMine",
        "category",
        "departmentName",
        "photos",
        "isFollowing",
        "staffDetails",
    }
)


def selects_light_fields(info: Info) -> bool:
    """Whether every field the selection asks of each report is in `LIGHT_FIELDS`
    (fragments included; a field under @skip counts as asked). Worked out once per field of
    a document: its nodes (kept, so their ids stay theirs) decide it with their fragments."""
    nodes = info._raw_info.field_nodes
    key = tuple(map(id, nodes))
    known = _LIGHT_SELECTIONS.get(key)
    if known is None:
        if len(_LIGHT_SELECTIONS) >= MAX_LIGHT_SELECTIONS:
            _LIGHT_SELECTIONS.clear()
        light = all(_light(field.selections) for field in info.selected_fields)
        known = _LIGHT_SELECTIONS[key] = (tuple(nodes), light)
    return known[1]


MAX_LIGHT_SELECTIONS = 256
_LIGHT_SELECTIONS: dict[tuple[int, ...], tuple[tuple[Any, ...], bool]] = {}


def _light(selections: list[Any]) -> bool:
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name not in LIGHT_FIELDS:
                return False
        elif not _light(selection.selections):  # a fragment spread or an inline fragment
            return False
    return True


_CATEGORY_ID, _DEPARTMENT_ID = attrgetter("category_id"), attrgetter("department_id")


class _CategoryTypes(dict):
    """ReportCategoryType by category id, built once per request."""


def _category_type(category: Category, language: str) -> ReportCategoryType:
    """The category as a GraphQL object, built once per category row read and language:
    the rows are shared by the requests of the next few seconds (reports/loaders.py), and
    each row is kept here with what was built of it, so an id is never someone else's."""
    key = (id(category), language)
    known = _CATEGORY_TYPES.get(key)
    if known is None or known[0] is not category:
        if len(_CATEGORY_TYPES) >= MAX_CATEGORY_TYPES:
            _CATEGORY_TYPES.clear()
        known = _CATEGORY_TYPES[key] = (category, ReportCategoryType.from_model(category, language))
    return known[1]


MAX_CATEGORY_TYPES = 512
_CATEGORY_TYPES: dict[tuple[int, str], tuple[Category, ReportCategoryType]] = {}


async def report_types(
    info: Info, reports: Sequence[Report | ReportRecord | MapRecord]
) -> list[ReportType]:
    """The reports as GraphQL objects; categories and departments are read once per request."""
    shared = await _shared(info, reports)
    view = MapReportView if reports and isinstance(reports[0], MapRecord) else ReportView
    return [shared.view(view, report) for report in reports]


async def map_report_records(info: Info, records: Sequence[MapRecord]) -> RecordList:
    """The map's records, for the API layer to complete straight from them where the
    selection allows (`_MAP_READERS`), and as MapReportViews where not (core/records.py)."""
    shared = await _shared(info, records)
    return RecordList(
        ReportType, records, shared, lambda: [shared.view(MapReportView, r) for r in records]
    )


@dataclass(frozen=True, slots=True)
class _Shared:
    """What the reports of one answer read besides their own columns."""

    caller: _Caller
    categories: dict[int, ReportCategoryType]
    departments: dict[int, str]

    def view(self, view: type[ReportView], report: Any) -> ReportView:
        return view(
            report,
            self.caller,
            self.categories[report.category_id],
            self.departments[report.department_id],
        )


async def _shared(info: Info, reports: Sequence[Report | ReportRecord | MapRecord]) -> _Shared:
    context = info.context
    built: _CategoryTypes = context.loader(_CategoryTypes)
    departments: dict[int, str] = {}
    for category_id in set(map(_CATEGORY_ID, reports)) - built.keys():
        category = await loaders.category(context, category_id)
        built[category_id] = _category_type(category, context.language)
    for department_id in set(map(_DEPARTMENT_ID, reports)):
        department = await loaders.department(context, department_id)
        departments[department_id] = localized(department, "name", context.language)
    return _Shared(_Caller.of(context), built, departments)


# MapReportView's attributes read from a MapRecord: the same values (the equivalence test in
# tests/reports/test_reports_in_area.py compares the answers), without a view per report.
_MAP_READERS: dict[str, Reader] = {
    "id": Text("public_id"),
    "receipt_number": Column("receipt_number"),
    "lat": Column("lat"),
    "lng": Column("lng"),
    "status": Column("status"),  # its text: the enum's completer names it as it names the member
    "created_at": Column("created_at"),
    "acknowledge_by": Column("acknowledge_due_at"),
    "resolve_by": Column("resolve_due_at"),
    "overdue": lambda record, shared: is_overdue(record, shared.caller.now),
    "status_label": lambda record, shared: status_label(record.status, shared.caller.language),
    "is_mine": lambda record, shared: (
        shared.caller.resident_id is not None and record.reporter_id == shared.caller.resident_id
    ),
    "category": Shared("categories", "category_id"),
    "department_name": Shared("departments", "department_id"),
}
RECORD_READERS[ReportType] = _MAP_READERS


async def report_type(info: Info, report: Report | ReportRecord) -> ReportType:
    return (await report_types(info, [report]))[0]
