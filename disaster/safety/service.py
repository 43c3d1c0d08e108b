"""安否確認: the rules, no GraphQL. Callers own the transaction.

An answer is one per person per alert (`SafetyAnswer.person_key`): answering again, from the
app or the bot, replaces it. A resident answers for themself and for household members they
registered; residents they named as viewers may read their answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.functions import Count
from tortoise.transactions import in_transaction

import disaster.texts  # noqa: F401 - registers the texts
from accounts.models import Resident, StaffMember
from core import clock
from core.errors import invalid, not_found, public_id_or_not_found
from disaster.districts.models import District
from disaster.districts.service import district_at
from disaster.mode.situation import DISASTER_SEVERITIES
from disaster.safety.models import HouseholdMember, SafetyAnswer, SafetyStatus, SafetyViewer
from geo import service as places
from geo.models import Shelter
from notifications.alerts import service as alerts
from notifications.alerts.models import Alert, AlertStatus, MsgType
from notifications.alerts.validation import check_text

MAX_MEMBERS = 10
MAX_VIEWERS = 20
MAX_NOTE = 200
MAX_NAME = 100
MAX_RELATION = 50
# People still report (and staff still count) for a while after an alert ends.
ANSWERS_AFTER_END = timedelta(hours=72)
ASKING_STATUSES = (AlertStatus.ACTUAL, AlertStatus.EXERCISE, AlertStatus.TEST)


def person_name(answer: SafetyAnswer) -> str:
    """The member's name, else the resident's (fetch `member` and `resident` first)."""
    member = answer.member if answer.member_id else None
    return member.name if member is not None else answer.resident.display_name


def person_key(resident_id: int, member: HouseholdMember | None = None) -> str:
    return f"m:{member.id}" if member is not None else f"r:{resident_id}"


def accepts_answers(alert: Alert, now: datetime) -> bool:
    if alert.status not in ASKING_STATUSES or alert.msg_type == MsgType.CANCEL:
        return False
    ended = alert.expires is not None and alert.expires + ANSWERS_AFTER_END <= now
    return alert.effective <= now and not ended


def asks(alert: Alert, now: datetime) -> bool:
    """The alerts whose area residents are asked about their safety: real, Severe or Extreme
    (the alerts of disaster mode), in force now."""
    return (
        alert.status == AlertStatus.ACTUAL
        and alert.severity in DISASTER_SEVERITIES
        and alerts.is_active(alert, now)
    )


async def open_checks(*, limit: int = 10) -> list[Alert]:
    """The safety checks residents are asked to answer now, newest first."""
    now = clock.now()
    found = (
        await Alert.filter(status=AlertStatus.ACTUAL, severity__in=list(DISASTER_SEVERITIES))
        .exclude(msg_type=MsgType.CANCEL)
        .order_by("-sent", "-id")
        .limit(limit * 4)
    )
    return [alert for alert in found if asks(alert, now)][:limit]


async def answerable_alert(public_id: str) -> Alert:
    alert = await alerts.alert_by_public_id(public_id)
    if not accepts_answers(alert, clock.now()):
        raise invalid("disaster.safety.alert_closed", field="alertId")
    return alert


@dataclass
class SafetyReport:
    status: SafetyStatus
    shelter_id: str | None = None
    note: str = ""
    lat: float | None = None
    lng: float | None = None
    member_ids: list[str] = field(default_factory=list)
    include_self: bool = True


async def _check_report(report: SafetyReport) -> Shelter | None:
    report.note = report.note.strip()
    check_text(report.note, "note", MAX_NOTE)
    if (report.lat is None) != (report.lng is None):
        raise invalid("disaster.safety.lat_and_lng", field="lat" if report.lat is None else "lng")
    if report.lat is not None and report.lng is not None:
        places.check_position(report.lat, report.lng)
    shelter = None
    if report.status == SafetyStatus.AT_SHELTER:
        if not report.shelter_id:
            raise invalid("disaster.safety.shelter_needed", field="shelterId")
        shelter = await places.shelter_by_public_id(report.shelter_id)
    elif report.shelter_id:
        raise invalid("disaster.safety.shelter_only_at_shelter", field="shelterId")
    if report.status == SafetyStatus.NEED_HELP and report.lat is None and not report.note:
        raise invalid("disaster.safety.help_needs_where", field="note")
    if not report.include_self and not report.member_ids:
        raise invalid("disaster.safety.nobody", field="members")
    return shelter


async def _members(resident: Resident, member_ids: list[str]) -> list[HouseholdMember]:
    keys = {public_id_or_not_found(value) for value in member_ids}
    found = await HouseholdMember.filter(resident=resident, public_id__in=list(keys))
    if len(found) != len(keys):
        raise not_found()
    return sorted(found, key=lambda member: member.id)


async def report_safety(
    *,
    resident: Resident,
    alert: Alert,
    report: SafetyReport,
    service_area: tuple[float, float, float, float],
) -> list[SafetyAnswer]:
    """The caller's answer, and the same for the members named; each replaces an earlier one."""
    shelter = await _check_report(report)
    members = await _members(resident, report.member_ids)
    lat, lng = report.lat, report.lng
    if lat is None and shelter is not None:
        lat, lng = shelter.lat, shelter.lng
    district = await district_at(lat, lng, service_area)
    values = {
        "status": report.status,
        "shelter_id": shelter.id if shelter else None,
        "note": report.note,
        "lat": report.lat,
        "lng": report.lng,
        "district_code": district.code if district else None,
        "answered_at": clock.now(),
        "handled_at": None,
        "handled_by_name": "",
    }
    people: list[HouseholdMember | None] = [None] if report.include_self else []
    people += members
    ids = [(await _upsert(alert, resident, member, values)).id for member in people]
    return _self_first(await _with_people(SafetyAnswer.filter(id__in=ids)))


async def _upsert(
    alert: Alert, resident: Resident, member: HouseholdMember | None, values: dict
) -> SafetyAnswer:
    key = person_key(resident.id, member)
    found = await SafetyAnswer.filter(alert=alert, person_key=key).select_for_update().first()
    if found is None:
        try:
            async with in_transaction():
                return await SafetyAnswer.create(
                    alert=alert, person_key=key, resident=resident, member=member, **values
                )
        except IntegrityError:  # the same person answered at the same moment elsewhere
            found = await SafetyAnswer.get(alert=alert, person_key=key)
    await SafetyAnswer.filter(id=found.id).update(**values)
    return found


def _with_people(query):
    return query.prefetch_related("resident", "member", "shelter")


def _self_first(answers: list[SafetyAnswer]) -> list[SafetyAnswer]:
    return sorted(answers, key=lambda a: (a.member_id is not None, a.member_id or 0))


async def answers_of(resident: Resident, alert: Alert) -> list[SafetyAnswer]:
    """The resident's own answer and their members', self first."""
    return _self_first(await _with_people(SafetyAnswer.filter(alert=alert, resident=resident)))


async def family_answers(viewer: Resident, alert: Alert) -> list[tuple[Resident, list]]:
    """For each resident who named the viewer: their answers (self and members)."""
    owners = await Resident.filter(safety_viewers__viewer=viewer).order_by("id")
    return [(owner, await answers_of(owner, alert)) for owner in owners]


# Household members and viewers.


async def add_member(resident: Resident, *, name: str, relation: str) -> HouseholdMember:
    name, relation = name.strip(), relation.strip()
    check_text(name, "name", MAX_NAME)
    check_text(relation, "relation", MAX_RELATION)
    if not name:
        raise invalid("disaster.safety.name_needed", field="name")
    if await HouseholdMember.filter(resident=resident).count() >= MAX_MEMBERS:
        raise invalid("disaster.safety.too_many_members", field="name", max=MAX_MEMBERS)
    return await HouseholdMember.create(resident=resident, name=name, relation=relation)


async def remove_member(resident: Resident, public_id: str) -> None:
    key = public_id_or_not_found(public_id)
    if not await HouseholdMember.filter(resident=resident, public_id=key).delete():
        raise not_found()


async def members_of(resident: Resident) -> list[HouseholdMember]:
    return await HouseholdMember.filter(resident=resident).order_by("id")


async def set_viewers(resident: Resident, viewer_ids: list[str]) -> list[Resident]:
    """Replace who may see the resident's answers (residents, by their public id)."""
    keys = {public_id_or_not_found(value) for value in viewer_ids}
    if len(keys) > MAX_VIEWERS:
        raise invalid("disaster.safety.too_many_viewers", field="residentIds", max=MAX_VIEWERS)
    viewers = await Resident.filter(public_id__in=list(keys)).exclude(id=resident.id)
    if len(viewers) != len(keys - {resident.public_id}):
        raise not_found()
    await SafetyViewer.filter(resident=resident).delete()
    await SafetyViewer.bulk_create([SafetyViewer(resident=resident, viewer=v) for v in viewers])
    return sorted(viewers, key=lambda v: v.id)


async def viewers_of(resident: Resident) -> list[Resident]:
    return await Resident.filter(safety_viewing__resident=resident).order_by("id")


# Staff.


@dataclass
class Counts:
    safe: int = 0
    at_shelter: int = 0
    need_help: int = 0

    def add(self, status: str, number: int) -> None:
        name = {"SAFE": "safe", "AT_SHELTER": "at_shelter", "NEED_HELP": "need_help"}[status]
        setattr(self, name, getattr(self, name) + number)

    @property
    def total(self) -> int:
        return self.safe + self.at_shelter + self.need_help


@dataclass
class Summary:
    counts: Counts
    by_district: list[tuple[District | None, Counts]]
    by_shelter: list[tuple[Shelter, Counts]]


async def summary(alert: Alert) -> Summary:
    """Counts of the alert's answers, in all, per district (None: not known) and per shelter."""
    answers = SafetyAnswer.filter(alert=alert)
    rows = await (
        answers.annotate(n=Count("id"))
        .group_by("status", "district_code", "shelter_id")
        .values("status", "district_code", "shelter_id", "n")
    )
    total = Counts()
    districts: dict[str | None, Counts] = {}
    shelters: dict[int, Counts] = {}
    for row in rows:
        total.add(row["status"], row["n"])
        districts.setdefault(row["district_code"], Counts()).add(row["status"], row["n"])
        if row["shelter_id"] is not None and row["status"] == SafetyStatus.AT_SHELTER:
            shelters.setdefault(row["shelter_id"], Counts()).add(row["status"], row["n"])
    known = {d.code: d for d in await District.all().order_by("id")}
    by_district: list[tuple[District | None, Counts]] = [
        (d, districts.get(code, Counts())) for code, d in known.items()
    ]
    if None in districts or any(code not in known for code in districts if code):
        unknown = Counts()
        for code, counts in districts.items():
            if code is None or code not in known:
                for status in ("safe", "at_shelter", "need_help"):
                    setattr(unknown, status, getattr(unknown, status) + getattr(counts, status))
        by_district.append((None, unknown))
    places_by_id = {s.id: s for s in await Shelter.filter(id__in=list(shelters))}
    by_shelter = sorted(
        ((places_by_id[i], counts) for i, counts in shelters.items() if i in places_by_id),
        key=lambda row: (-row[1].at_shelter, row[0].id),
    )
    return Summary(total, by_district, by_shelter)


async def alerts_taking_answers(*, limit: int = 50) -> list[Alert]:
    """The alerts whose safety check is open (or closed within ANSWERS_AFTER_END), newest first."""
    now = clock.now()
    recent = (
        await Alert.filter(status__in=ASKING_STATUSES)
        .exclude(msg_type=MsgType.CANCEL)
        .order_by("-sent", "-id")
        .limit(limit * 4)
    )
    return [alert for alert in recent if accepts_answers(alert, now)][:limit]


async def help_needed(alert: Alert, *, limit: int = 500) -> list[SafetyAnswer]:
    """Calls for help, those not yet handled first, oldest first (they have waited longest)."""
    found = (
        await SafetyAnswer.filter(alert=alert, status=SafetyStatus.NEED_HELP)
        .order_by("answered_at", "id")
        .limit(limit)
        .prefetch_related("resident", "member")
    )
    return sorted(found, key=lambda answer: answer.handled_at is not None)


async def mark_handled(*, staff: StaffMember, public_id: str) -> SafetyAnswer:
    key = public_id_or_not_found(public_id)
    answer = await SafetyAnswer.filter(public_id=key).select_for_update().first()
    if answer is None or answer.status != SafetyStatus.NEED_HELP:
        raise not_found()
    if answer.handled_at is None:
        answer.handled_at = clock.now()
        answer.handled_by_name = staff.display_name
        await answer.save(update_fields=["handled_at", "handled_by_name"])
    await answer.fetch_related("resident", "member")
    return answer
