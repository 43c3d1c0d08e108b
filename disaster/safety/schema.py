"""GraphQL of 安否確認: residents answer (for themselves and their household) and choose who
may see it; staff count the answers and see the calls for help."""

from __future__ import annotations

import strawberry
from strawberry.types import Info
from tortoise.transactions import in_transaction

from accounts import audit
from accounts.permissions import IsAuthenticated, IsStaff
from core import clock
from disaster.safety import service
from disaster.safety.models import SafetyStatus
from disaster.safety.types import (
    FamilySafety,
    HelpRequest,
    HouseholdMemberType,
    SafetyAnswerType,
    SafetyCheck,
    SafetySummary,
    SafetyViewerType,
)
from notifications.alerts import service as alerts
from notifications.alerts.types import AlertType


async def safety_check(alert, info: Info) -> SafetyCheck:
    language = info.context.language
    answers = await service.answers_of(info.context.resident, alert)
    return SafetyCheck(
        alert=AlertType.from_model(alert, language, active=alerts.is_active(alert, clock.now())),
        answers=[SafetyAnswerType.of(answer, language) for answer in answers],
    )


@strawberry.type
class SafetyQuery:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Your answers to the alert's safety check: yours, then your household's.",
    )
    async def my_safety(self, info: Info, alert_id: strawberry.ID) -> list[SafetyAnswerType]:
        alert = await alerts.alert_by_public_id(alert_id)
        answers = await service.answers_of(info.context.resident, alert)
        return [SafetyAnswerType.of(answer, info.context.language) for answer in answers]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The safety checks you are asked to answer now (alerts of disaster mode), "
        "newest first, with your answers so far.",
    )
    async def safety_checks(self, info: Info) -> list[SafetyCheck]:
        return [await safety_check(alert, info) for alert in await service.open_checks()]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The answers of the residents who named you as family.",
    )
    async def family_safety(self, info: Info, alert_id: strawberry.ID) -> list[FamilySafety]:
        alert = await alerts.alert_by_public_id(alert_id)
        language = info.context.language
        found = await service.family_answers(info.context.resident, alert)
        return [FamilySafety.of(owner, answers, language) for owner, answers in found]

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def household_members(self, info: Info) -> list[HouseholdMemberType]:
        return [HouseholdMemberType.of(m) for m in await service.members_of(info.context.resident)]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The family members (residents) who may see your answers.",
    )
    async def safety_viewers(self, info: Info) -> list[SafetyViewerType]:
        return [SafetyViewerType.of(v) for v in await service.viewers_of(info.context.resident)]

    @strawberry.field(
        permission_classes=[IsStaff],
        description="The alerts whose safety check takes answers, newest first.",
    )
    async def safety_alerts(self, info: Info) -> list[AlertType]:
        now = clock.now()
        return [
            AlertType.from_model(alert, info.context.language, active=alerts.is_active(alert, now))
            for alert in await service.alerts_taking_answers()
        ]

    @strawberry.field(
        permission_classes=[IsStaff],
        description="The answers to the alert's safety check: in all, per district and shelter.",
    )
    async def safety_summary(self, info: Info, alert_id: strawberry.ID) -> SafetySummary:
        alert = await alerts.alert_by_public_id(alert_id)
        return SafetySummary.of(await service.summary(alert), info.context.language)

    @strawberry.field(
        permission_classes=[IsStaff],
        description="Who answered NEED_HELP, those not yet handled first, oldest first.",
    )
    async def safety_help_needed(self, info: Info, alert_id: strawberry.ID) -> list[HelpRequest]:
        alert = await alerts.alert_by_public_id(alert_id)
        found = await service.help_needed(alert)
        if found:
            await audit.record_many(
                staff=info.context.staff,
                action="safety.help_needed.viewed",
                subject_type="safety_answer",
                subject_ids=[str(answer.public_id) for answer in found],
            )
        return [HelpRequest.of(answer) for answer in found]


@strawberry.type
class SafetyMutation:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Answer the alert's safety check, for yourself (includeSelf) and household "
        "members; answering again replaces the answer. AT_SHELTER needs shelterId; NEED_HELP "
        "needs a location (lat, lng) or a note saying where.",
    )
    async def report_safety(
        self,
        info: Info,
        alert_id: strawberry.ID,
        status: SafetyStatus,
        shelter_id: strawberry.ID | None = None,
        note: str = "",
        lat: float | None = None,
        lng: float | None = None,
        members: list[strawberry.ID] | None = None,
        include_self: bool = True,
    ) -> list[SafetyAnswerType]:
        report = service.SafetyReport(
            status=SafetyStatus(status),
            shelter_id=shelter_id,
            note=note,
            lat=lat,
            lng=lng,
            member_ids=list(members or []),
            include_self=include_self,
        )
        async with in_transaction():
            alert = await service.answerable_alert(alert_id)
            answers = await service.report_safety(
                resident=info.context.resident,
                alert=alert,
                report=report,
                service_area=info.context.settings.service_area,
            )
        return [SafetyAnswerType.of(answer, info.context.language) for answer in answers]

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_household_member(
        self, info: Info, name: str, relation: str = ""
    ) -> HouseholdMemberType:
        async with in_transaction():
            member = await service.add_member(info.context.resident, name=name, relation=relation)
        return HouseholdMemberType.of(member)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def remove_household_member(self, info: Info, id: strawberry.ID) -> bool:
        await service.remove_member(info.context.resident, id)
        return True

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Name the family members (by their resident id) who may see your answers.",
    )
    async def set_safety_viewers(
        self, info: Info, resident_ids: list[strawberry.ID]
    ) -> list[SafetyViewerType]:
        async with in_transaction():
            viewers = await service.set_viewers(info.context.resident, list(resident_ids))
        return [SafetyViewerType.of(viewer) for viewer in viewers]

    @strawberry.mutation(
        permission_classes=[IsStaff], description="Mark a call for help as taken care of."
    )
    async def mark_help_handled(self, info: Info, id: strawberry.ID) -> HelpRequest:
        async with in_transaction():
            answer = await service.mark_handled(staff=info.context.staff, public_id=id)
        return HelpRequest.of(answer)
