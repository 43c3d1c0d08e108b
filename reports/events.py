"""What a change to a report leaves behind: a history entry, notifications, a live-map event.

`record` and `tell_people` run inside the change's transaction (the outbox promise);
`publish` may too: core.pubsub sends the event once the transaction commits, so a
subscriber that reads the report sees the change, and never one that was rolled back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from accounts.models import Resident, StaffMember
from core import clock, pubsub
from notifications.service import notify
from reports.messages import status_label
from reports.models import Report, ReportEvent, ReportFollower

TOPIC = "reports:changed"
NOTIFICATION_KIND = "report"


@dataclass(frozen=True, slots=True)
class ReportChanged:
    """`shown_or_hidden`: the change made the report visible or invisible to the public, the
    one change a subscriber who cannot see the report hears about (to take it off a map)."""

    report_id: int
    lat: float
    lng: float
    created: bool = False
    shown_or_hidden: bool = False


async def record(
    report: Report,
    kind: str,
    *,
    staff: StaffMember | None = None,
    resident: Resident | None = None,
    note: str = "",
    public: bool = True,
    from_status: str | None = None,
    to_status: str | None = None,
) -> ReportEvent:
    return await ReportEvent.create(
        report=report,
        kind=kind,
        staff=staff,
        resident=resident,
        note=note,
        public=public,
        from_status=from_status,
        to_status=to_status,
        created_at=clock.now(),
    )


async def audience(report: Report, *, besides: Resident | None = None) -> list[Resident]:
    """The reporter and the followers, each once, leaving out the one who made the change."""
    follower_ids = await ReportFollower.filter(report_id=report.id).values_list(
        "resident_id", flat=True
    )
    ids = {*follower_ids, *([report.reporter_id] if report.reporter_id else [])}
    if besides is not None:
        ids.discard(besides.id)
    return await Resident.filter(id__in=ids).order_by("id") if ids else []


async def tell_people(
    report: Report, message_key: str, *, besides: Resident | None = None, **params: str
) -> int:
    """Notify the reporter and followers (through the outbox) of a public change."""
    category = report.category
    texts = {
        "receipt": report.receipt_number,
        "category_ja": category.name_ja,
        "category_en": category.name_en,
        "status_ja": status_label(report.status, "ja"),
        "status_en": status_label(report.status, "en"),
        "note": "",
        **params,
    }
    people = await audience(report, besides=besides)
    for resident in people:
        await notify(
            resident,
            kind=NOTIFICATION_KIND,
            message_key=message_key,
            params=texts,
            link=f"report:{report.public_id}",
        )
    return len(people)


def publish(report: Report, *, created: bool = False, shown_or_hidden: bool = False) -> None:
    """Tell the live map (reportChanged), on every instance, once the change is committed."""
    change = ReportChanged(report.id, report.lat, report.lng, created, shown_or_hidden)
    pubsub.publish(TOPIC, asdict(change))
