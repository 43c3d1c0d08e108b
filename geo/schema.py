"""GraphQL for nearest evacuation sites, shelters and AEDs (public) and site opening (staff).

Hits and the objects in them are plain attributes, no resolvers: the API's compiled
completion (api.prepared.execution) serves them.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import strawberry
from strawberry.types import Info
from tortoise.transactions import in_transaction

from accounts.permissions import IsStaff
from core.clock import TOKYO
from geo import runtime, service
from geo.hazards import Hazard
from geo.models import Shelter
from geo.place_status import PlaceStatus
from geo.service import ShelterStatus, status_of
from geo.snapshot import AedView, ShelterView, hazard_tuple

strawberry.enum(
    Hazard,
    name="Hazard",
    description="The eight hazard kinds an evacuation site (指定緊急避難場所) is designated for.",
)


strawberry.enum(
    PlaceStatus,
    name="ShelterHitStatus",
    description="Whether to go to a place now. OPEN: opened for evacuees, with room. "
    "NOT_OPENED: designated, not opened now. FULL: opened, its headcount has reached its "
    "capacity. CLOSED: staff closed it; do not go there.",
)

strawberry.enum(
    ShelterStatus,
    name="ShelterStatus",
    description="OPEN: staff have opened it for evacuees. NOT_OPENED: a designated place, not "
    "opened now (the usual state outside a disaster). CLOSED: staff closed it; do not go there.",
)


@strawberry.type(name="HazardInfo")
class HazardInfo:
    hazard: Hazard
    label: str = strawberry.field(description="Short, for a button, in the caller's language.")
    official_label: str = strawberry.field(
        description="The standard's wording (災害対策基本法施行令), in the caller's language."
    )


@cache
def _hazards_out(hazards: tuple[Hazard, ...]) -> tuple[str, ...]:
    """The hazards as the enum's values: graphql-core names a value with one dict look-up,
    where Strawberry compares an enum member with every member's value."""
    return tuple(hazard.value for hazard in hazards)


@strawberry.type(
    name="Shelter", description="An evacuation site, a shelter, or a place that is both."
)
class ShelterType:
    id: strawberry.ID
    name: str
    kana: str
    address: str
    lat: float
    lng: float
    hazards: list[Hazard] = strawberry.field(description="What it is a designated site for.")
    capacity: int | None
    is_evacuation_site: bool = strawberry.field(description="指定緊急避難場所")
    is_shelter: bool = strawberry.field(description="指定避難所")
    is_open: bool = strawberry.field(description="False when staff have closed it.")
    status: ShelterStatus = strawberry.field(
        description="Whether staff have opened it for evacuees (show 開設中 only when OPEN)."
    )
    source_id: str = strawberry.field(
        description="GSI 共通ID or the dataset's ID (the first source)."
    )
    source_ids: list[str] = strawberry.field(description="Every published row merged into it.")
    municipality_code: str
    notes: str
    map_url: str = strawberry.field(description="The place on OpenStreetMap.")

    @classmethod
    def from_view(cls, view: ShelterView) -> ShelterType:
        return cls(
            id=strawberry.ID(view.public_id),
            name=view.name,
            kana=view.kana,
            address=view.address,
            lat=view.lat,
            lng=view.lng,
            hazards=_hazards_out(view.hazards),
            capacity=view.capacity,
            is_evacuation_site=view.is_evacuation_site,
            is_shelter=view.is_shelter,
            is_open=view.is_open,
            status=status_of(view.is_open, view.opened).value,
            source_id=view.source_id,
            source_ids=view.source_ids,
            municipality_code=view.municipality_code,
            notes=view.notes,
            map_url=service.map_url(view.lat, view.lng),
        )

    @classmethod
    def from_model(cls, shelter: Shelter) -> ShelterType:
        return cls(
            id=strawberry.ID(str(shelter.public_id)),
            name=shelter.name,
            kana=shelter.kana,
            address=shelter.address,
            lat=shelter.lat,
            lng=shelter.lng,
            hazards=_hazards_out(hazard_tuple(shelter.hazards)),
            capacity=shelter.capacity,
            is_evacuation_site=shelter.is_evacuation_site,
            is_shelter=shelter.is_shelter,
            is_open=shelter.is_open,
            status=status_of(shelter.is_open, shelter.opened).value,
            source_id=shelter.source_id,
            source_ids=shelter.source_ids.split(),
            municipality_code=shelter.municipality_code,
            notes=shelter.notes,
            map_url=service.map_url(shelter.lat, shelter.lng),
        )


@strawberry.type
class ShelterHit:
    distance_meters: float = strawberry.field(description="On the WGS84 ellipsoid.")
    shelter: ShelterType
    map_url: str = strawberry.field(description="The place on OpenStreetMap.")
    status: PlaceStatus = strawberry.field(
        description="Whether to go there now: OPEN (opened, with room), NOT_OPENED, FULL, "
        "CLOSED (do not go)."
    )


def shelter_hits(hits: list[service.ShelterHit]) -> list[ShelterHit]:
    return [
        ShelterHit(
            distance_meters=hit.distance_m,
            shelter=ShelterType.from_view(hit.shelter),
            map_url=hit.map_url,
            status=hit.status.value,
        )
        for hit in hits
    ]


@strawberry.type(name="Aed")
class AedType:
    id: strawberry.ID
    name: str
    address: str
    lat: float
    lng: float
    placement: str = strawberry.field(description="Where in the building (設置位置).")
    availability: str = strawberry.field(
        description="When it can be used, as published; says so when that is not known."
    )
    hours_known: bool
    available_days: str = strawberry.field(description="利用可能曜日 as published.")
    available_hours: str = strawberry.field(description="開始時間-終了時間 as published.")
    availability_notes: str = strawberry.field(description="利用可能日時特記事項 as published.")
    pediatric: bool | None = strawberry.field(description="Pads for children; null: not stated.")
    phone: str
    source_id: str

    @classmethod
    def from_view(cls, view: AedView, language: str) -> AedType:
        return cls(
            id=strawberry.ID(view.public_id),
            name=view.name,
            address=view.address,
            lat=view.lat,
            lng=view.lng,
            placement=view.placement,
            availability=service.availability_text(view, language),
            hours_known=service.hours_known(view.availability),
            available_days=view.available_days,
            available_hours=view.available_hours,
            availability_notes=view.availability_notes,
            pediatric=view.pediatric,
            phone=view.phone,
            source_id=view.source_id,
        )


@strawberry.type
class AedHit:
    distance_meters: float = strawberry.field(description="On the WGS84 ellipsoid.")
    aed: AedType
    map_url: str = strawberry.field(description="The place on OpenStreetMap.")


@strawberry.type
class GeoIndexStatus:
    places: int
    aeds: int
    data_version: int


@strawberry.type
class GeoQuery:
    @strawberry.field(
        description="The nearest AEDs; with availableAt (a time without offset is Japan time), "
        "only those usable then, counting AEDs whose hours are not known as usable."
    )
    def nearest_aeds(
        self,
        info: Info,
        lat: float,
        lng: float,
        limit: int = 5,
        available_at: dt.datetime | None = None,
    ) -> list[AedHit]:
        if available_at is not None and available_at.tzinfo is None:
            available_at = available_at.replace(tzinfo=TOKYO)
        hits = service.nearest_aeds(lat=lat, lng=lng, limit=limit, available_at=available_at)
        language = info.context.language
        return [
            AedHit(
                distance_meters=hit.distance_m,
                aed=AedType.from_view(hit.aed, language),
                map_url=hit.map_url,
            )
            for hit in hits
        ]

    @strawberry.field(description="The hazards, in the standard's order, labelled.")
    def hazards(self, info: Info) -> list[HazardInfo]:
        return [
            HazardInfo(hazard=hazard.value, label=label, official_label=official)
            for hazard, label, official in service.hazard_labels(info.context.language)
        ]

    @strawberry.field(description="Where the site and AED data come from; show it with them.")
    def geo_attribution(self, info: Info) -> str:
        return service.attribution(info.context.language)

    @strawberry.field
    async def shelter(self, id: strawberry.ID) -> ShelterType:
        return ShelterType.from_model(await service.shelter_by_public_id(id))


@strawberry.type
class GeoMutation:
    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Open a site for evacuees (status OPEN), or close it (CLOSED).",
    )
    async def set_shelter_open(self, info: Info, id: strawberry.ID, is_open: bool) -> ShelterType:
        async with in_transaction():
            shelter = await service.set_shelter_open(
                public_id=id, is_open=is_open, staff=info.context.staff
            )
        service.show_open_state(shelter)
        return ShelterType.from_model(shelter)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Open a site for evacuees, stand it down (NOT_OPENED), or close it.",
    )
    async def set_shelter_status(
        self, info: Info, id: strawberry.ID, status: ShelterStatus
    ) -> ShelterType:
        async with in_transaction():
            shelter = await service.set_shelter_status(
                public_id=id, status=ShelterStatus(status), staff=info.context.staff
            )
        service.show_open_state(shelter)
        return ShelterType.from_model(shelter)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Re-read the sites and AEDs now (app processes also do it by themselves).",
    )
    async def reload_geo_index(self) -> GeoIndexStatus:
        current = runtime.current()
        await current.load()
        return GeoIndexStatus(
            places=len(current.shelters),
            aeds=len(current.aeds),
            data_version=current.data_version or 0,
        )
