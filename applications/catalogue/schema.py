"""GraphQL for the catalogue: life events and procedures (public)."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from applications.catalogue import service
from applications.catalogue.types import LifeEventType, ProcedureType
from applications.forms.texts import localized


@strawberry.type
class ProceduresForEvent:
    procedures: list[ProcedureType]
    guidance: list[str] = strawberry.field(description="Things to do elsewhere (e.g. a car).")


@strawberry.type
class CatalogueQuery:
    @strawberry.field(description="Life events (転入, 出生 …) that bundle procedures.")
    async def life_events(self, info: Info) -> list[LifeEventType]:
        language = info.context.language
        return [LifeEventType.of(e, language) for e in await service.life_events()]

    @strawberry.field(
        description="Procedures of a life event (those the answers call for, when given), "
        "or every procedure."
    )
    async def procedures(
        self, info: Info, life_event_code: str | None = None, event_answers: JSON | None = None
    ) -> list[ProcedureType]:
        return (await _for_event(info, life_event_code, event_answers)).procedures

    @strawberry.field(description="The procedures and guidance a life event's answers call for.")
    async def procedures_for_event(
        self, info: Info, life_event_code: str, event_answers: JSON | None = None
    ) -> ProceduresForEvent:
        return await _for_event(info, life_event_code, event_answers)

    @strawberry.field
    async def procedure(self, info: Info, code: str) -> ProcedureType:
        return ProcedureType.of(await service.procedure_by_code(code), info.context.language)


async def _for_event(info: Info, code: str | None, answers: object) -> ProceduresForEvent:
    language = info.context.language
    if not code:
        views = await service.current_procedures()
        return ProceduresForEvent(
            procedures=[ProcedureType.of(v, language) for v in views], guidance=[]
        )
    event = await service.life_event(code)
    checked = service.check_event_answers(event, answers)
    views = await service.current_procedures(service.procedures_for_event(event, checked))
    return ProceduresForEvent(
        procedures=[ProcedureType.of(v, language) for v in views],
        guidance=[localized(text, language) for text in service.guidance_for(event, checked)],
    )
