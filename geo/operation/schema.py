"""GraphQL of shelter operation (staff) and the public status board."""

from __future__ import annotations

import strawberry
from strawberry.types import Info
from tortoise.transactions import in_transaction

from accounts.permissions import IsStaff
from geo import service as places
from geo.operation import log, service
from geo.operation.models import Offer
from geo.operation.types import ShelterBoardEntry, ShelterLogEntryType, statuses_of
from geo.place_status import PlaceStatus


@strawberry.type
class ShelterOperationQuery:
    @strawberry.field(
        description="The shelter status board: places in the area (minLng,minLat,maxLng,maxLat; "
        "the city when left out), opened ones first, with headcount and what they offer."
    )
    async def shelter_status(
        self,
        info: Info,
        area_bbox: str | None = None,
        statuses: list[PlaceStatus] | None = None,
    ) -> list[ShelterBoardEntry]:
        area = service.parse_area(area_bbox, info.context.settings.service_area, "areaBbox")
        entries = await service.board(area, statuses=statuses_of(statuses))
        return [ShelterBoardEntry.of(entry, info.context.language) for entry in entries]

    @strawberry.field(
        permission_classes=[IsStaff], description="Who changed the shelter, when, newest first."
    )
    async def shelter_log(self, id: strawberry.ID, limit: int = 50) -> list[ShelterLogEntryType]:
        shelter = await places.shelter_by_public_id(id)
        return [ShelterLogEntryType.of(entry) for entry in await log.entries(shelter.id, limit)]


@strawberry.type
class ShelterOperationMutation:
    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Report a shelter's capacity, headcount and offers (what is left out stays).",
    )
    async def update_shelter_status(
        self,
        info: Info,
        id: strawberry.ID,
        capacity: int | None = None,
        headcount: int | None = None,
        offers: list[Offer] | None = None,
    ) -> ShelterBoardEntry:
        async with in_transaction():
            entry = await service.update_shelter_status(
                public_id=id,
                staff=info.context.staff,
                capacity=capacity,
                headcount=headcount,
                offers=[Offer(o) for o in offers] if offers is not None else None,
            )
        service.show(entry)
        return ShelterBoardEntry.of(entry, info.context.language)
