"""Supporters hear first: before an alert's area broadcast starts, the supporters of each
registered person whose address the alert covers are told, with the person's address, why
they need help, and the nearest shelter open for the alert's hazard. Once per person per
alert (`SupportNotice`), however often the alert is updated.

Registered with notifications.alerts.sending.tell_first; whatever process announces an
alert (the app, `madoguchi import-alert`, `watch-jma`) imports this module first.
"""

from __future__ import annotations

import logging

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.models import Resident
from core import clock
from core.sealing import sealer
from core.settings import Settings
from disaster.mode.situation import DISASTER_SEVERITIES
from disaster.support.details import PersonDetails
from disaster.support.models import Supporter, SupportNeededPerson, SupportNotice
from disaster.support.service import notice_link
from geo import service as places
from geo.hazards import Hazard
from notifications import service as outbox
from notifications.alerts import sending
from notifications.alerts.geometry import matcher_for
from notifications.alerts.models import Alert, AlertMessage, AlertStatus, MsgType
from notifications.models import Lane

log = logging.getLogger(__name__)
KIND = "support_needed"


def concerns_supporters(alert: Alert) -> bool:
    return (
        alert.status == AlertStatus.ACTUAL
        and alert.msg_type != MsgType.CANCEL
        and alert.severity in DISASTER_SEVERITIES
    )


@sending.tell_first
async def tell_supporters(alert: Alert, message: AlertMessage, settings: Settings) -> int:
    """How many registered people's supporters were told now."""
    matcher = matcher_for(alert.areas)
    if not concerns_supporters(alert) or matcher is None:
        return 0
    told = set(await SupportNotice.filter(alert=alert).values_list("person_id", flat=True))
    supported = set(await Supporter.all().values_list("person_id", flat=True))
    waiting = sorted(supported - told)
    if not waiting:
        return 0
    opener = sealer(settings.data_keys)
    hazard = Hazard(alert.hazard) if alert.hazard else None
    count = 0
    for person in await SupportNeededPerson.filter(id__in=waiting).order_by("id"):
        details = PersonDetails.opened(opener, person.sealed)
        if matcher.contains(details.lat, details.lng) and await _tell(
            alert, person, details, hazard
        ):
            count += 1
    if count:
        log.info("alert %s: supporters of %d registered people told first", alert.id, count)
    return count


async def _tell(
    alert: Alert, person: SupportNeededPerson, details: PersonDetails, hazard: Hazard | None
) -> bool:
    shelter = await places.nearest_open_place(details.lat, details.lng, hazard)
    supporters = await Resident.filter(supporting__person=person).order_by("supporting__position")
    try:
        async with in_transaction():
            await SupportNotice.create(
                person=person, alert=alert, at=clock.now(), supporters=len(supporters)
            )
            for supporter in supporters:
                await outbox.notify(
                    supporter,
                    kind=KIND,
                    message_key=_key(shelter),
                    params=_params(alert, details, shelter),
                    link=notice_link(person),
                    lane=Lane.ALERT,
                )
    except IntegrityError:  # another process told them already
        return False
    return True


def _key(shelter) -> str:
    return "disaster.support.message" if shelter else "disaster.support.message_no_shelter"


def _params(alert: Alert, details: PersonDetails, shelter) -> dict:
    params = {
        "event": alert.event,
        "headline": alert.headline,
        "name": details.name,
        "address": details.address,
        "phone": details.phone,
        "reason": details.reason,
    }
    if shelter is not None:
        place, distance = shelter
        params |= {
            "shelter": place.name,
            "distance": f"{distance / 1000:.1f}",
            "map_url": places.map_url(place.lat, place.lng),
        }
    return params
