"""GraphQL types and inputs of the register of people who need help to evacuate."""

from __future__ import annotations

import datetime as dt

import strawberry

from core.i18n import t
from disaster.support.details import PersonDetails, Sex
from disaster.support.models import (
    CheckStatus,
    ConsentMethod,
    SupportCheck,
    Supporter,
    SupportRelation,
)
from disaster.support.service import Entry, SupporterChoice

strawberry.enum(Sex, name="Sex")
strawberry.enum(
    SupportRelation,
    name="SupportRelation",
    description="家族 FAMILY, 近隣住民 NEIGHBOUR, 民生委員 MINSEI_IIN, OTHER.",
)
strawberry.enum(
    CheckStatus,
    name="SupportCheckStatus",
    description="連絡がついた CONTACTED, 避難した EVACUATED, 連絡がつかない NOT_REACHABLE.",
)
strawberry.enum(
    ConsentMethod,
    name="ConsentMethod",
    description="WRITTEN: the welfare department holds the signed form. APP: the person "
    "registered themself.",
)


@strawberry.input
class SupporterInput:
    resident_id: strawberry.ID = strawberry.field(description="The supporter's resident id.")
    relation: SupportRelation

    def as_choice(self) -> SupporterChoice:
        return SupporterChoice(str(self.resident_id), SupportRelation(self.relation))


@strawberry.input(description="A person who needs help to evacuate, and their supporters.")
class SupportNeededInput:
    name: str
    kana: str = ""
    birth_date: dt.date
    sex: Sex
    address: str
    lat: float = strawberry.field(description="The address's position (in the city).")
    lng: float
    phone: str
    reason: str = strawberry.field(description="Why help is needed to evacuate.")
    notes: str = ""
    supporters: list[SupporterInput] = strawberry.field(default_factory=list)
    consent: bool = strawberry.field(
        description="The person agrees to be registered and to their details going to their "
        "supporters and the city's responders in a disaster."
    )

    def as_details(self) -> PersonDetails:
        return PersonDetails(
            name=self.name,
            kana=self.kana,
            birth_date=self.birth_date,
            sex=Sex(self.sex),
            address=self.address,
            lat=self.lat,
            lng=self.lng,
            phone=self.phone,
            reason=self.reason,
            notes=self.notes,
        )

    def supporter_choices(self) -> list[SupporterChoice]:
        return [supporter.as_choice() for supporter in self.supporters]


@strawberry.input(description="Which people: any of these that are given must hold.")
class SupportAreaInput:
    bbox: str | None = strawberry.field(default=None, description="minLng,minLat,maxLng,maxLat")
    alert_id: strawberry.ID | None = strawberry.field(
        default=None, description="Those whose address the alert's area covers."
    )
    district: str | None = strawberry.field(default=None, description="A district's code.")


@strawberry.type(name="Supporter")
class SupporterType:
    resident_id: strawberry.ID
    display_name: str
    relation: SupportRelation

    @classmethod
    def of(cls, supporter: Supporter) -> SupporterType:
        return cls(
            resident_id=strawberry.ID(str(supporter.resident.public_id)),
            display_name=supporter.resident.display_name,
            relation=SupportRelation(supporter.relation).value,
        )


@strawberry.type(name="SupportCheck", description="What a supporter found during an alert.")
class SupportCheckType:
    alert_id: strawberry.ID
    supporter_name: str
    status: CheckStatus
    status_label: str
    note: str
    at: dt.datetime

    @classmethod
    def of(cls, check: SupportCheck, language: str) -> SupportCheckType:
        return cls(
            alert_id=strawberry.ID(str(check.alert.public_id)),
            supporter_name=check.supporter.display_name,
            status=CheckStatus(check.status).value,
            status_label=t(f"disaster.support.check.{check.status}", language),
            note=check.note,
            at=check.at,
        )


@strawberry.type(name="SupportNeededPerson")
class SupportNeededPersonType:
    id: strawberry.ID
    name: str
    kana: str
    birth_date: dt.date
    sex: Sex
    address: str
    lat: float
    lng: float
    phone: str
    reason: str
    notes: str
    consent_method: ConsentMethod
    consent_at: dt.datetime
    consent_recorded_by: str
    supporters: list[SupporterType]
    checks: list[SupportCheckType] = strawberry.field(
        description="The supporters' latest word, newest first."
    )

    @classmethod
    def of(cls, entry: Entry, language: str) -> SupportNeededPersonType:
        details, person = entry.details, entry.person
        return cls(
            id=strawberry.ID(str(person.public_id)),
            name=details.name,
            kana=details.kana,
            birth_date=details.birth_date,
            sex=details.sex.value,
            address=details.address,
            lat=details.lat,
            lng=details.lng,
            phone=details.phone,
            reason=details.reason,
            notes=details.notes,
            consent_method=ConsentMethod(person.consent_method).value,
            consent_at=person.consent_at,
            consent_recorded_by=person.consent_recorded_by,
            supporters=[SupporterType.of(s) for s in entry.supporters],
            checks=[SupportCheckType.of(c, language) for c in entry.checks],
        )
