"""Atom feeds: ours out (the current alerts, each linking its CAP), JMA's in (the watcher).

The watcher polls a JMA Atom feed (extra.xml, eqvol.xml) with If-None-Match /
If-Modified-Since, and imports each entry's telegram once: an entry already taken in is
remembered by its id, so a restart or an overlapping feed never imports it twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lxml import etree
from tortoise.expressions import Q

from notifications.alerts.content import cap_time
from notifications.alerts.models import Alert, AlertStatus

ATOM = "http://www.w3.org/2005/Atom"
# A cancelled or ended alert stays in the index a day, so hubs see that it is over.
RECENT = timedelta(hours=24)
MAX_ENTRIES = 500


async def current_alerts(now: datetime) -> list[Alert]:
    """Real alerts in force, and those changed in the last day (cancelled, ended)."""
    return (
        await Alert.filter(status=AlertStatus.ACTUAL)
        .filter(Q(expires__isnull=True) | Q(expires__gt=now) | Q(updated_at__gt=now - RECENT))
        .filter(effective__lte=now + timedelta(days=7))
        .order_by("-sent", "-id")
        .limit(MAX_ENTRIES)
    )


def _add(parent: etree._Element, name: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    if text:
        element.text = text
    return element


def atom(alerts: list[Alert], *, base_url: str, now: datetime) -> bytes:
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    _add(feed, "id", f"{base_url}/alerts.atom")
    _add(feed, "title", "緊急情報 / Alerts (CAP 1.2)")
    _add(feed, "updated", cap_time(max((a.sent for a in alerts), default=now)))
    _add(feed, "link", "", rel="self", href=f"{base_url}/alerts.atom")
    author = _add(feed, "author", "")
    _add(author, "name", alerts[0].sender if alerts else "Madoguchi")
    for alert in alerts:
        entry = _add(feed, "entry", "")
        _add(entry, "id", f"urn:uuid:{alert.public_id}")
        _add(entry, "title", alert.headline or alert.event)
        _add(entry, "updated", cap_time(alert.sent))
        _add(entry, "published", cap_time(alert.created_at))
        _add(entry, "summary", alert.description[:1000] or alert.event)
        _add(
            entry,
            "link",
            "",
            rel="alternate",
            type="application/cap+xml",
            href=f"{base_url}/alerts/{alert.public_id}.cap.xml",
        )
        _add(entry, "category", "", term=str(alert.msg_type.value))
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
