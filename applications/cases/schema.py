"""GraphQL for residents: drafts, submission, following cases, the anonymous status look-up."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from accounts.permissions import IsAuthenticated, IsClerk
from applications.cases import service
from applications.cases import staff as staff_service
from applications.cases.forms import form_of
from applications.cases.types import (
    ApplicationType,
    CaseStatusEnum,
    CaseStatusLookup,
    CaseType,
    FieldErrorType,
    SubmitApplicationPayload,
)
from applications.cases.workflow import status_name
from applications.catalogue.service import versions_by_id
from applications.catalogue.types import VersionsById
from applications.fees.service import send
from applications.forms.texts import localized
from core.errors import forbidden
from payments.gateway import for_settings


@strawberry.type
class CasesQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def my_applications(self, info: Info, limit: int = 50) -> list[ApplicationType]:
        found = await service.my_applications(info.context.resident, limit)
        return [ApplicationType.of(a) for a in found]

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def application(self, info: Info, id: strawberry.ID) -> ApplicationType:
        return ApplicationType.of(await service.application_of(info.context.resident, id))

    @strawberry.field(
        description="A case: a resident's own, or (staff) one of the department's, audited."
    )
    async def case(self, info: Info, id: strawberry.ID) -> CaseType:
        context = info.context
        if context.staff is not None:
            if not IsClerk().has_permission(None, info):
                raise forbidden()
            found = await staff_service.open_case(context.staff, id)
        else:
            IsAuthenticated().has_permission(None, info)
            found = await service.case_of(context.resident, id)
        return CaseType.of(found, context.language)

    @strawberry.field(description="Anyone: a case's status from its receipt number and secret.")
    async def case_status(self, info: Info, receipt_number: str, secret: str) -> CaseStatusLookup:
        case = await service.case_status(
            receipt=receipt_number, secret=secret, secret_key=info.context.settings.secret_key
        )
        view = (await versions_by_id([case.procedure_version_id]))[0]
        language = info.context.language
        return CaseStatusLookup(
            receipt_number=case.receipt_number,
            status=CaseStatusEnum(case.status.value),
            status_label=status_name(case.status.value, language),
            procedure_name=localized(view.definition["name"], language),
            updated_at=case.updated_at,
        )


@strawberry.type
class CasesMutation:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="A draft for the procedures chosen, or those the life event's answers call for.",
    )
    async def start_application(
        self,
        info: Info,
        life_event_code: str | None = None,
        procedure_codes: list[str] | None = None,
        event_answers: JSON | None = None,
    ) -> ApplicationType:
        application = await service.start_application(
            resident=info.context.resident,
            life_event_code=life_event_code,
            procedure_codes=procedure_codes,
            event_answers=event_answers,
        )
        return ApplicationType.of(application)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Save some answers (null removes one); problems come back in `errors`.",
    )
    async def save_answers(
        self, info: Info, application_id: strawberry.ID, answers: JSON
    ) -> ApplicationType:
        saved = await service.save_answers(
            resident=info.context.resident, application_id=application_id, answers=answers
        )
        ui = (await form_of(saved.application))["ui"]
        errors = [FieldErrorType.of(e, ui, info.context.language) for e in saved.errors]
        return ApplicationType.of(saved.application, errors)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="File the application: one case per procedure. VALIDATION errors carry "
        "every field error in extensions.fieldErrors; nothing is stored then.",
    )
    async def submit_application(
        self, info: Info, application_id: strawberry.ID
    ) -> SubmitApplicationPayload:
        context = info.context
        submitted = await service.submit_application(
            resident=context.resident,
            application_id=application_id,
            secret_key=context.settings.secret_key,
            language=context.language,
        )
        # The answer's procedures are those just filed: no need to read them again.
        versions = {view.version_id: view for view in submitted.procedures}
        context.loader(VersionsById).prime_many(versions)
        return SubmitApplicationPayload(
            application=ApplicationType.of(submitted.application, cases=submitted.cases),
            lookup_secret=submitted.lookup_secret,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def answer_info_request(
        self,
        info: Info,
        case_id: strawberry.ID,
        message: str | None = None,
        answers: JSON | None = None,
        attachments: list[strawberry.ID] | None = None,
    ) -> CaseType:
        case = await service.answer_info_request(
            resident=info.context.resident,
            case_id=case_id,
            message=message,
            answers=answers,
            attachment_ids=[str(a) for a in attachments or []],
            language=info.context.language,
        )
        return CaseType.of(case, info.context.language)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated], description="Withdraw a case; a paid fee is refunded."
    )
    async def withdraw_case(self, info: Info, id: strawberry.ID) -> CaseType:
        case, refund_ids = await service.withdraw_case(resident=info.context.resident, case_id=id)
        await send(for_settings(info.context.settings), refund_ids)
        return CaseType.of(case, info.context.language)
