"""GraphQL types of shelter operation and the status board."""

from __future__ import annotations

import datetime as dt

import strawberry

from core.i18n import t
from geo.operation.models import Offer, ShelterLogEntry
from geo.operation.service import BoardEntry, Crowding
from geo.place_status import PlaceStatus
from geo.schema import ShelterType
from geo.service import ShelterStatus

strawberry.enum(
    Offer,
    name="ShelterOffer",
    description="給水 WATER, 食料 FOOD, 毛布 BLANKETS, 充電 CHARGING, ペット可 PETS, "
    "福祉避難所 WELFARE.",
)
strawberry.enum(
    Crowding,
    name="Crowding",
    description="空き AVAILABLE, 混雑 CROWDED (80% of its capacity or more), 満 FULL; UNKNOWN "
    "without a capacity or a headcount.",
)


@strawberry.type(description="A place on the shelter status board.")
class ShelterBoardEntry:
    shelter: ShelterType
    status: PlaceStatus
    status_label: str = strawberry.field(description="開設 / 未開設 / 満 / 閉鎖, or in English.")
    capacity: int | None = strawberry.field(
        description="People it can take now, as staff said, else as published."
    )
    headcount: int | None = strawberry.field(description="People in it, as staff last said.")
    crowding: Crowding
    crowding_label: str = strawberry.field(description="空き / 混雑 / 満, or in English.")
    offers: list[Offer]
    offer_labels: list[str]
    updated_at: dt.datetime | None = strawberry.field(description="When staff last reported.")

    @classmethod
    def of(cls, entry: BoardEntry, language: str) -> ShelterBoardEntry:
        return cls(
            shelter=ShelterType.from_model(entry.shelter),
            status=entry.status.value,
            status_label=t(f"geo.status.{entry.status.value}", language),
            capacity=entry.capacity,
            headcount=entry.headcount,
            crowding=entry.crowding.value,
            crowding_label=t(f"geo.crowding.{entry.crowding.value}", language),
            offers=[offer.value for offer in entry.offers],
            offer_labels=[t(f"geo.offer.{offer.value}", language) for offer in entry.offers],
            updated_at=entry.updated_at,
        )


@strawberry.type(name="ShelterLogEntry", description="A change staff made to a shelter.")
class ShelterLogEntryType:
    at: dt.datetime
    staff_name: str
    status: ShelterStatus = strawberry.field(description="Its status after the change.")
    capacity: int | None
    headcount: int | None
    offers: list[Offer]

    @classmethod
    def of(cls, entry: ShelterLogEntry) -> ShelterLogEntryType:
        return cls(
            at=entry.at,
            staff_name=entry.staff_name,
            status=ShelterStatus(entry.status).value,
            capacity=entry.capacity,
            headcount=entry.headcount,
            offers=list(entry.offers),
        )


def statuses_of(values: list[PlaceStatus] | None) -> frozenset[PlaceStatus] | None:
    return frozenset(PlaceStatus(v) for v in values) if values else None
