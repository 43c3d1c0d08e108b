"""The applications domain's GraphQL: each sub-package's queries and mutations joined."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

import applications.fees.service
import applications.privacy.service  # noqa: F401 - registers the myData exporter
from accounts.permissions import IsAuthenticated
from accounts.privacy import my_data
from applications.attachments.schema import AttachmentsMutation
from applications.cases.schema import CasesMutation, CasesQuery
from applications.cases.staff_schema import StaffCasesMutation, StaffCasesQuery
from applications.catalogue.schema import CatalogueQuery
from applications.fees.schema import FeesMutation
from applications.visits.schema import VisitsMutation, VisitsQuery


@strawberry.type
class ApplicationsQuery(CatalogueQuery, CasesQuery, StaffCasesQuery, VisitsQuery):
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Everything held about you, as JSON.",
    )
    async def my_data(self, info: Info) -> JSON:
        return cast(JSON, await my_data(info.context.resident))


@strawberry.type
class ApplicationsMutation(
    CasesMutation, AttachmentsMutation, FeesMutation, VisitsMutation, StaffCasesMutation
):
    pass
