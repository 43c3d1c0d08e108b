"""GraphQL types of 安否確認."""

from __future__ import annotations

import datetime as dt

import strawberry

from accounts.models import Resident
from core.i18n import t
from disaster.districts.service import name_of
from disaster.safety.models import HouseholdMember, SafetyAnswer, SafetyStatus
from disaster.safety.service import Counts, Summary, person_name
from geo.schema import ShelterType
from geo.service import map_url
from notifications.alerts.types import AlertType

strawberry.enum(
    SafetyStatus,
    name="SafetyStatus",
    description="無事 SAFE, 避難所にいる AT_SHELTER, 助けが必要 NEED_HELP.",
)


@strawberry.type(name="HouseholdMember", description="Someone a resident may answer for.")
class HouseholdMemberType:
    id: strawberry.ID
    name: str
    relation: str

    @classmethod
    def of(cls, member: HouseholdMember) -> HouseholdMemberType:
        return cls(
            id=strawberry.ID(str(member.public_id)), name=member.name, relation=member.relation
        )


@strawberry.type(description="One person's answer to the safety check of an alert.")
class SafetyAnswerType:
    id: strawberry.ID
    person_name: str
    member: HouseholdMemberType | None = strawberry.field(
        description="The household member it is about; null: the resident themself."
    )
    status: SafetyStatus
    status_label: str
    shelter: ShelterType | None
    note: str
    lat: float | None
    lng: float | None
    answered_at: dt.datetime

    @classmethod
    def of(cls, answer: SafetyAnswer, language: str) -> SafetyAnswerType:
        member = answer.member if answer.member_id else None
        return cls(
            id=strawberry.ID(str(answer.public_id)),
            person_name=person_name(answer),
            member=HouseholdMemberType.of(member) if member else None,
            status=SafetyStatus(answer.status).value,
            status_label=t(f"disaster.safety.status.{answer.status}", language),
            shelter=ShelterType.from_model(answer.shelter) if answer.shelter_id else None,
            note=answer.note,
            lat=answer.lat,
            lng=answer.lng,
            answered_at=answer.answered_at,
        )


@strawberry.type(description="A resident who named you, and their answers.")
class FamilySafety:
    resident_name: str
    answers: list[SafetyAnswerType]

    @classmethod
    def of(cls, owner: Resident, answers: list[SafetyAnswer], language: str) -> FamilySafety:
        return cls(
            resident_name=owner.display_name,
            answers=[SafetyAnswerType.of(answer, language) for answer in answers],
        )


@strawberry.type(name="SafetyViewer", description="A family member who may see your answers.")
class SafetyViewerType:
    id: strawberry.ID
    display_name: str

    @classmethod
    def of(cls, resident: Resident) -> SafetyViewerType:
        return cls(id=strawberry.ID(str(resident.public_id)), display_name=resident.display_name)


@strawberry.type
class DistrictSafetyCount:
    district_code: str | None = strawberry.field(description="null: answers without a place.")
    name: str
    safe: int
    at_shelter: int
    need_help: int


@strawberry.type
class ShelterSafetyCount:
    shelter: ShelterType
    at_shelter: int


@strawberry.type(description="How the answers to an alert's safety check stand.")
class SafetySummary:
    safe: int
    at_shelter: int
    need_help: int
    total: int
    by_district: list[DistrictSafetyCount]
    by_shelter: list[ShelterSafetyCount]

    @classmethod
    def of(cls, summary: Summary, language: str) -> SafetySummary:
        def district(d, counts: Counts) -> DistrictSafetyCount:
            name = name_of(d, language) if d else t("disaster.district.unknown", language)
            return DistrictSafetyCount(
                district_code=d.code if d else None,
                name=name,
                safe=counts.safe,
                at_shelter=counts.at_shelter,
                need_help=counts.need_help,
            )

        counts = summary.counts
        return cls(
            safe=counts.safe,
            at_shelter=counts.at_shelter,
            need_help=counts.need_help,
            total=counts.total,
            by_district=[district(d, c) for d, c in summary.by_district],
            by_shelter=[
                ShelterSafetyCount(shelter=ShelterType.from_model(s), at_shelter=c.at_shelter)
                for s, c in summary.by_shelter
            ],
        )


@strawberry.type(description="A call for help from the safety check (staff).")
class HelpRequest:
    id: strawberry.ID
    person_name: str
    answered_by: str = strawberry.field(description="The resident who answered.")
    note: str
    lat: float | None
    lng: float | None
    map_url: str | None
    district_code: str | None
    answered_at: dt.datetime
    handled_at: dt.datetime | None
    handled_by: str

    @classmethod
    def of(cls, answer: SafetyAnswer) -> HelpRequest:
        located = answer.lat is not None and answer.lng is not None
        return cls(
            id=strawberry.ID(str(answer.public_id)),
            person_name=person_name(answer),
            answered_by=answer.resident.display_name,
            note=answer.note,
            lat=answer.lat,
            lng=answer.lng,
            map_url=map_url(answer.lat, answer.lng) if located else None,  # type: ignore[arg-type]
            district_code=answer.district_code,
            answered_at=answer.answered_at,
            handled_at=answer.handled_at,
            handled_by=answer.handled_by_name,
        )


@strawberry.type(description="An alert's safety check, and your answers to it so far.")
class SafetyCheck:
    alert: AlertType
    answers: list[SafetyAnswerType] = strawberry.field(
        description="Yours and your household's; empty until you answer."
    )
