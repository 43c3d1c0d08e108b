"""GraphQL for clerks: the queue (a Relay connection), opening a case, and the actions."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types import Info

from accounts.permissions import IsAdmin, IsClerk
from accounts.schema import AuditEntryType
from applications.cases import staff
from applications.cases.models import CaseStatus
from applications.cases.staff import Decision, QueueFilter, cursor_of
from applications.cases.types import CaseStatusEnum, CaseType
from applications.fees.service import send
from payments.gateway import for_settings


@strawberry.enum(name="CaseDecision")
class CaseDecision(Enum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"


@strawberry.type
class CaseEdge:
    node: CaseType
    cursor: str


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class CaseConnection:
    edges: list[CaseEdge]
    page_info: PageInfo


@strawberry.type
class StaffCasesQuery:
    @strawberry.field(
        permission_classes=[IsClerk],
        description="The department's cases, oldest first (open ones unless a status is given).",
    )
    async def case_queue(
        self,
        info: Info,
        department_code: str | None = None,
        status: CaseStatusEnum | None = None,
        procedure_code: str | None = None,
        overdue: bool = False,
        search: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> CaseConnection:
        wanted = QueueFilter(
            department_code=department_code,
            status=CaseStatus(status.value) if status is not None else None,
            procedure_code=procedure_code,
            overdue=overdue,
            search=search,
        )
        page = await staff.queue(info.context.staff, wanted, first=first, after=after)
        language = info.context.language
        return CaseConnection(
            edges=[
                CaseEdge(
                    node=CaseType.of(c, language, staff_view_audited=False), cursor=cursor_of(c.id)
                )
                for c in page.cases
            ],
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
        )

    @strawberry.field(
        permission_classes=[IsClerk],
        description="Open the case of a QR code scanned at the counter (audited).",
    )
    async def counter_case(self, info: Info, code: str) -> CaseType:
        case = await staff.open_case_by_qr(
            info.context.staff, code, info.context.settings.secret_key
        )
        return CaseType.of(case, info.context.language)

    @strawberry.field(permission_classes=[IsAdmin], description="Who did or saw what on a case.")
    async def case_audit_log(self, info: Info, case_id: strawberry.ID) -> list[AuditEntryType]:
        entries = await staff.audit_log(info.context.staff, case_id)
        return [AuditEntryType.from_model(e) for e in entries]


@strawberry.type
class StaffCasesMutation:
    @strawberry.mutation(permission_classes=[IsClerk])
    async def claim_case(self, info: Info, case_id: strawberry.ID) -> CaseType:
        case = await staff.claim(info.context.staff, case_id)
        return CaseType.of(case, info.context.language)

    @strawberry.mutation(permission_classes=[IsClerk])
    async def request_info(self, info: Info, case_id: strawberry.ID, message: str) -> CaseType:
        case = await staff.request_info(info.context.staff, case_id, message)
        return CaseType.of(case, info.context.language)

    @strawberry.mutation(permission_classes=[IsClerk])
    async def decide_case(
        self, info: Info, case_id: strawberry.ID, decision: CaseDecision, reason: str | None = None
    ) -> CaseType:
        case, refund_ids = await staff.decide(
            info.context.staff, case_id, Decision(decision.value), reason
        )
        await send(for_settings(info.context.settings), refund_ids)
        return CaseType.of(case, info.context.language)

    @strawberry.mutation(permission_classes=[IsClerk])
    async def complete_case(self, info: Info, case_id: strawberry.ID) -> CaseType:
        case = await staff.complete(info.context.staff, case_id)
        return CaseType.of(case, info.context.language)
