"""CAP 1.2 (OASIS Common Alerting Protocol): read a message (defusedxml), write an alert (lxml).

Reading refuses what CAP 1.2 does not allow, naming the element and why (`CapError`), and keeps
every <info>: the Japanese one (else English, else the first) is the alert's text, the others its
translations, and the areas of all of them are its area.
"""

from __future__ import annotations

import hashlib
import math
import re
from datetime import datetime
from xml.etree.ElementTree import Element

from lxml import etree

from notifications.alerts.content import AlertContent, IncomingMessage, Reference, cap_time
from notifications.alerts.hazard_words import guess_hazard
from notifications.alerts.models import (
    Alert,
    AlertSource,
    AlertStatus,
    Category,
    Certainty,
    MsgType,
    Severity,
    Urgency,
)
from notifications.alerts.xmlin import XmlRefused, parse_xml

NS = "urn:oasis:names:tc:emergency:cap:1.2"
HAZARD_PARAMETER = "madoguchi:hazard"
MAX_BYTES = 5_000_000
SCOPES = ("Public", "Restricted", "Private")
_TIME = re.compile(r"\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d")
_RESTRICTED = re.compile(r"[\s,<&]")


class CapError(ValueError):
    """Not a CAP 1.2 message this service can take in; the text says why."""


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _text(parent: Element, name: str, *, required: bool = False, where: str = "alert") -> str:
    found = parent.find(_q(name))
    if found is None or found.text is None or not found.text.strip():
        if required:
            raise CapError(f"<{name}> is missing in <{where}>")
        return ""
    return found.text.strip()


def _texts(parent: Element, name: str) -> list[str]:
    return [(e.text or "").strip() for e in parent.findall(_q(name))]


def _enum(enum: type, value: str, name: str):
    try:
        return enum(value)
    except ValueError:
        raise CapError(f"<{name}> {value!r} is not a CAP 1.2 value") from None


def _time(value: str, name: str) -> datetime:
    if not _TIME.fullmatch(value):
        raise CapError(f"<{name}> {value!r} is not a CAP time (YYYY-MM-DDThh:mm:ss±hh:mm)")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise CapError(f"<{name}> {value!r} is not a valid time") from None


def _optional_time(parent: Element, name: str) -> datetime | None:
    value = _text(parent, name)
    return _time(value, name) if value else None


def _pairs(parent: Element, name: str) -> list[dict[str, str]]:
    return [
        {"valueName": _text(e, "valueName", where=name), "value": _text(e, "value", where=name)}
        for e in parent.findall(_q(name))
    ]


def _coordinate(text: str, where: str) -> dict[str, float]:
    try:
        lat_text, lng_text = text.split(",")
        lat, lng = float(lat_text), float(lng_text)
    except ValueError:
        raise CapError(f"<{where}> has {text!r}, not 'latitude,longitude'") from None
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        raise CapError(f"<{where}> has {text!r}, outside WGS 84 latitude/longitude")
    return {"lat": lat, "lng": lng}


def _polygon(text: str) -> list[dict[str, float]]:
    points = [_coordinate(pair, "polygon") for pair in text.split()]
    if len(points) < 4 or points[0] != points[-1]:
        raise CapError("<polygon> needs at least four points, the first repeated last")
    return points


def _circle(text: str) -> dict[str, float]:
    try:
        centre, radius_text = text.split()
        radius_km = float(radius_text)
    except ValueError:
        raise CapError(f"<circle> has {text!r}, not 'latitude,longitude radius'") from None
    if not (math.isfinite(radius_km) and radius_km >= 0):
        raise CapError(f"<circle> radius {radius_text!r} is not a distance in km")
    return {**_coordinate(centre, "circle"), "radiusMeters": max(radius_km * 1000, 1.0)}


def _area(element: Element) -> dict:
    return {
        "description": _text(element, "areaDesc", required=True, where="area"),
        "polygons": [_polygon(text) for text in _texts(element, "polygon")],
        "circles": [_circle(text) for text in _texts(element, "circle")],
        "geocodes": _pairs(element, "geocode"),
    }


def _info(element: Element, sent: datetime) -> AlertContent:
    categories = _texts(element, "category")
    if not categories:
        raise CapError("<category> is missing in <info>")
    parameters = {p["valueName"]: p["value"] for p in _pairs(element, "parameter")}
    category = _enum(Category, categories[0], "category")
    event = _text(element, "event", required=True, where="info")
    return AlertContent(
        category=category,
        event=event,
        urgency=_enum(Urgency, _text(element, "urgency", required=True, where="info"), "urgency"),
        severity=_enum(
            Severity, _text(element, "severity", required=True, where="info"), "severity"
        ),
        certainty=_enum(
            Certainty, _text(element, "certainty", required=True, where="info"), "certainty"
        ),
        effective=_optional_time(element, "effective") or sent,
        onset=_optional_time(element, "onset"),
        expires=_optional_time(element, "expires"),
        headline=_text(element, "headline")[:500],
        description=_text(element, "description"),
        instruction=_text(element, "instruction"),
        hazard=parameters.get(HAZARD_PARAMETER) or guess_hazard(category, event),
        areas=[_area(area) for area in element.findall(_q("area"))],
        language=_text(element, "language") or "en-US",
        sender_name=_text(element, "senderName")[:500],
        response_type=(_texts(element, "responseType") or [""])[0],
        web=_text(element, "web")[:1000],
        contact=_text(element, "contact")[:500],
    )


def _merged(infos: list[AlertContent]) -> AlertContent | None:
    """The Japanese info (else English, else the first), the others' texts by language, and
    the areas of all of them."""
    if not infos:
        return None
    primary = next(
        (i for prefix in ("ja", "en") for i in infos if i.language.lower().startswith(prefix)),
        infos[0],
    )
    for info in infos:
        if info is not primary and info.language.lower() != primary.language.lower():
            primary.translations.setdefault(
                info.language,
                {
                    "event": info.event,
                    "headline": info.headline,
                    "description": info.description,
                    "instruction": info.instruction,
                    "senderName": info.sender_name,
                },
            )
        for area in info.areas:
            if area not in primary.areas:
                primary.areas.append(area)
    return primary


def _references(text: str) -> list[Reference]:
    found = []
    for group in text.split():
        parts = group.split(",")
        if len(parts) != 3:
            raise CapError(f"<references> group {group!r} is not 'sender,identifier,sent'")
        found.append(Reference(*parts))
    return found


def parse(data: bytes) -> IncomingMessage:
    """A CAP 1.2 message as an incoming alert message; CapError says why it is refused."""
    try:
        root = parse_xml(data, MAX_BYTES)
    except XmlRefused as error:
        raise CapError(str(error)) from None
    if root.tag != _q("alert"):
        raise CapError(f"the root element is {root.tag!r}, not a CAP 1.2 <alert> ({NS})")
    return message_of(root, hashlib.sha256(data).hexdigest())


def message_of(root: Element, digest: str) -> IncomingMessage:
    identifier = _text(root, "identifier", required=True)
    sender = _text(root, "sender", required=True)
    for name, value in (("identifier", identifier), ("sender", sender)):
        if _RESTRICTED.search(value):
            raise CapError(f"<{name}> may not contain spaces, commas, < or &")
    sent = _time(_text(root, "sent", required=True), "sent")
    msg_type_text = _text(root, "msgType", required=True)
    if msg_type_text in ("Ack", "Error"):
        raise CapError(f"<msgType> {msg_type_text} acknowledges a message; it is not an alert")
    scope = _text(root, "scope", required=True)
    if scope not in SCOPES:
        raise CapError(f"<scope> {scope!r} is not a CAP 1.2 value")
    infos = [_info(element, sent) for element in root.findall(_q("info"))]
    msg_type = _enum(MsgType, msg_type_text, "msgType")
    if msg_type != MsgType.CANCEL and not infos:
        raise CapError(f"a {msg_type_text} message needs at least one <info>")
    return IncomingMessage(
        source=AlertSource.CAP,
        identifier=identifier,
        sender=sender,
        sent=sent,
        status=_enum(AlertStatus, _text(root, "status", required=True), "status"),
        msg_type=msg_type,
        content=_merged(infos),
        references=_references(_text(root, "references")),
        note=_text(root, "note"),
        digest=digest,
    )


# Writing --------------------------------------------------------------------------------


def _add(parent: etree._Element, name: str, text: str | None) -> None:
    if text:
        etree.SubElement(parent, _q(name)).text = text


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _write_area(info: etree._Element, area: dict) -> None:
    element = etree.SubElement(info, _q("area"))
    _add(element, "areaDesc", area.get("description") or "-")
    for ring in area.get("polygons", ()):
        points = ring if ring[0] == ring[-1] else [*ring, ring[0]]
        _add(
            element, "polygon", " ".join(f"{_number(p['lat'])},{_number(p['lng'])}" for p in points)
        )
    for circle in area.get("circles", ()):
        radius_km = circle["radiusMeters"] / 1000
        _add(
            element,
            "circle",
            f"{_number(circle['lat'])},{_number(circle['lng'])} {_number(radius_km)}",
        )
    for code in area.get("geocodes", ()):
        geocode = etree.SubElement(element, _q("geocode"))
        _add(geocode, "valueName", code["valueName"] or "-")
        etree.SubElement(geocode, _q("value")).text = code["value"]


def _write_info(root: etree._Element, alert: Alert, language: str, texts: dict[str, str]) -> None:
    info = etree.SubElement(root, _q("info"))
    _add(info, "language", language)
    _add(info, "category", str(alert.category.value))
    _add(info, "event", texts.get("event") or alert.event)
    _add(info, "responseType", alert.response_type)
    _add(info, "urgency", str(alert.urgency.value))
    _add(info, "severity", str(alert.severity.value))
    _add(info, "certainty", str(alert.certainty.value))
    _add(info, "effective", cap_time(alert.effective))
    _add(info, "onset", cap_time(alert.onset) if alert.onset else None)
    _add(info, "expires", cap_time(alert.expires) if alert.expires else None)
    _add(info, "senderName", texts.get("senderName", alert.sender_name))
    _add(info, "headline", texts.get("headline", alert.headline))
    _add(info, "description", texts.get("description", alert.description))
    _add(info, "instruction", texts.get("instruction", alert.instruction))
    _add(info, "web", alert.web)
    _add(info, "contact", alert.contact)
    if alert.hazard:
        parameter = etree.SubElement(info, _q("parameter"))
        _add(parameter, "valueName", HAZARD_PARAMETER)
        _add(parameter, "value", alert.hazard)
    for area in alert.areas:
        _write_area(info, area)


def write(alert: Alert) -> bytes:
    """The alert's latest message as CAP 1.2 XML (valid against the OASIS schema)."""
    root = etree.Element(_q("alert"), nsmap={None: NS})
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", cap_time(alert.sent))
    _add(root, "status", str(alert.status.value))
    _add(root, "msgType", str(alert.msg_type.value))
    _add(root, "source", "気象庁" if alert.source == AlertSource.JMA else None)
    _add(root, "scope", "Public")
    _add(root, "note", alert.note)
    _add(root, "references", alert.references)
    _write_info(root, alert, alert.language, {})
    for language, texts in alert.translations.items():
        _write_info(root, alert, language, texts)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
