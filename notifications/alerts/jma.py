"""気象庁防災情報XML (JMA XML) in: the part of a telegram for the city's area codes, as a
CAP-shaped message.

Read: 気象警報・注意報 (VPWW53/54), 土砂災害警戒情報 (VXWW50), 指定河川洪水予報 (VXKOii),
津波警報・注意報・予報 (VTSE41), 震度速報 and 震源・震度に関する情報 (VXSE51/53).
発表 → Alert (Update when one is in force), 訂正 → Update, 取消 → Cancel; 通常 → Actual,
訓練 → Exercise, 試験 → Test. A telegram that lifts everything for the city ends the alert.
Successive telegrams about one thing share a thread key (the city's codes, or the EventID).
The area is the city (SERVICE_AREA_BBOX) with the matched JMA codes as geocodes; 出典：気象庁.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from xml.etree.ElementTree import Element

from core.settings import Settings
from geo.hazards import Hazard
from notifications.alerts.content import AlertContent, IncomingMessage
from notifications.alerts.models import (
    AlertSource,
    AlertStatus,
    Category,
    Certainty,
    MsgType,
    Severity,
    Urgency,
)
from notifications.alerts.xmlin import XmlRefused, parse_xml

NS = "http://xml.kishou.go.jp/jmaxml1/"
MAX_BYTES = 10_000_000
ATTRIBUTION = "出典：気象庁"
QUAKE_LIFETIME = timedelta(hours=24)

STATUSES = {"通常": AlertStatus.ACTUAL, "訓練": AlertStatus.EXERCISE, "試験": AlertStatus.TEST}
INFO_TYPES = {
    "発表": MsgType.ALERT,
    "訂正": MsgType.UPDATE,
    "遅延": MsgType.UPDATE,
    "取消": MsgType.CANCEL,
}
NOT_IN_FORCE = ("解除", "なし", "発表警報・注意報はなし")


class JmaError(ValueError):
    """Not JMA XML this service reads; the text says why."""


def _all(parent: Element, path: str) -> list[Element]:
    """Elements by local names (JMA XML changes namespace between Control, Head and Body)."""
    return parent.findall("/".join(f"{{*}}{step}" for step in path.split("/")))


def _one(parent: Element, path: str) -> Element | None:
    found = _all(parent, path)
    return found[0] if found else None


def _text(parent: Element | None, path: str) -> str:
    if parent is None:
        return ""
    found = _one(parent, path)
    return (found.text or "").strip() if found is not None else ""


@dataclass
class Telegram:
    root: Element
    head: Element
    body: Element
    title: str
    info_kind: str
    info_type: str
    event_id: str
    office: str
    sent: datetime
    reported: datetime
    headline: str
    status: AlertStatus


@dataclass
class CityPart:
    """What the telegram says for the city."""

    event: str
    severity: Severity
    urgency: Urgency
    certainty: Certainty
    hazard: Hazard | None
    area_names: list[str]
    codes: list[tuple[str, str]]  # (codeType, code)
    details: list[str] = field(default_factory=list)
    ends: bool = False
    expires: datetime | None = None
    thread: str = ""


def _time(value: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise JmaError(f"<{where}> {value!r} is not a time") from None
    if moment.tzinfo is None:
        raise JmaError(f"<{where}> {value!r} has no offset")
    return moment


def _telegram(root: Element) -> Telegram:
    if root.tag != f"{{{NS}}}Report":
        raise JmaError(f"the root element is {root.tag!r}, not a JMA <Report>")
    control, head, body = _one(root, "Control"), _one(root, "Head"), _one(root, "Body")
    if control is None or head is None or body is None:
        raise JmaError("<Control>, <Head> and <Body> are required")
    status_text, info_type = _text(control, "Status"), _text(head, "InfoType")
    if status_text not in STATUSES:
        raise JmaError(f"<Status> {status_text!r} is not 通常, 訓練 or 試験")
    if info_type not in INFO_TYPES:
        raise JmaError(f"<InfoType> {info_type!r} is not 発表, 訂正 or 取消")
    return Telegram(
        root=root,
        head=head,
        body=body,
        title=_text(control, "Title"),
        info_kind=_text(head, "InfoKind"),
        info_type=info_type,
        event_id=_text(head, "EventID"),
        office=_text(control, "PublishingOffice") or _text(control, "EditorialOffice"),
        sent=_time(_text(control, "DateTime"), "DateTime"),
        reported=_time(_text(head, "ReportDateTime"), "ReportDateTime"),
        headline=_text(head, "Headline/Text"),
        status=STATUSES[status_text],
    )


# Readers: each takes the telegram and the settings, and returns the city's part or None.


def _rank(name: str) -> int:
    return 3 if "特別警報" in name else 2 if "警報" in name else 1


def _warning_hazard(name: str, condition: str) -> Hazard | None:
    if name.startswith("大雨"):
        if "土砂災害" in condition:
            return Hazard.LANDSLIDE
        return Hazard.INLAND_FLOOD if "浸水害" in condition else Hazard.FLOOD
    if name.startswith("洪水"):
        return Hazard.FLOOD
    if name.startswith("高潮"):
        return Hazard.STORM_SURGE
    return None


def _city_items(telegram: Telegram, warning_type: str, codes: tuple[str, ...]) -> list[Element]:
    return [
        item
        for warning in _all(telegram.body, "Warning")
        if warning.get("type") == warning_type
        for item in _all(warning, "Item")
        if _text(item, "Area/Code") in codes
    ]


def _weather_warnings(telegram: Telegram, settings: Settings) -> CityPart | None:
    items = _city_items(telegram, "気象警報・注意報（市町村等）", settings.jma_city_codes)
    if not items:
        return None
    in_force, lifted, details = [], [], []
    for item in items:
        for kind in _all(item, "Kind"):
            name, status = _text(kind, "Name"), _text(kind, "Status")
            condition = _text(kind, "Condition")
            label = f"{name}（{condition}）" if condition else name
            if status in NOT_IN_FORCE:
                if status == "解除":
                    lifted.append((name, condition))
                    details.append(f"{label}：解除")
                continue
            in_force.append((name, condition))
            details.append(f"{label}：{status}")
    shown = in_force or lifted or [("警報・注意報なし", "")]
    ordered = sorted(shown, key=lambda kind: -_rank(kind[0]))
    top = _rank(ordered[0][0])
    hazards = [_warning_hazard(name, condition) for name, condition in ordered]
    return CityPart(
        event="、".join(name for name, _ in ordered),
        severity=(Severity.MODERATE, Severity.SEVERE, Severity.EXTREME)[top - 1],
        urgency=Urgency.IMMEDIATE if top > 1 else Urgency.EXPECTED,
        certainty=Certainty.LIKELY,
        hazard=next((h for h in hazards if h is not None), None),
        area_names=[_text(item, "Area/Name") for item in items],
        codes=[("気象・地震・火山情報／市町村等", _text(item, "Area/Code")) for item in items],
        details=details,
        ends=not in_force,
        thread="気象警報・注意報:" + ",".join(settings.jma_city_codes),
    )


def _landslide(telegram: Telegram, settings: Settings) -> CityPart | None:
    items = _city_items(telegram, "土砂災害警戒情報", settings.jma_city_codes)
    if not items:
        return None
    statuses = [_text(item, "Kind/Status") for item in items]
    in_force = any(status not in NOT_IN_FORCE for status in statuses)
    return CityPart(
        event="土砂災害警戒情報",
        severity=Severity.SEVERE,
        urgency=Urgency.IMMEDIATE,
        certainty=Certainty.LIKELY,
        hazard=Hazard.LANDSLIDE,
        area_names=[_text(item, "Area/Name") for item in items],
        codes=[("気象・地震・火山情報／市町村等", _text(item, "Area/Code")) for item in items],
        details=[
            f"{_text(i, 'Area/Name')}：{_text(i, 'Kind/Name')}（{s}）"
            for i, s in zip(items, statuses, strict=True)
        ],
        ends=not in_force,
        thread="土砂災害警戒情報:" + ",".join(settings.jma_city_codes),
    )


_RIVER_SEVERITY = {
    "氾濫発生情報": Severity.EXTREME,
    "氾濫危険情報": Severity.EXTREME,
    "氾濫警戒情報": Severity.SEVERE,
}


def _river_flood(telegram: Telegram, settings: Settings) -> CityPart | None:
    kind = _text(telegram.head, "Headline/Information/Item/Kind/Name") or telegram.title
    areas = [
        area
        for area in _all(telegram.body, "Warning/Item/Areas/Area")
        if _text(area, "CityCode") in settings.jma_city_codes
    ]
    ends = "解除" in kind
    if not areas and not ends:
        return None
    main = [
        _text(prop, "Text")
        for prop in _all(telegram.body, "Warning/Item/Kind/Property")
        if _text(prop, "Type") == "主文"
    ]
    names = list(dict.fromkeys(_text(area, "City") for area in areas)) or [telegram.title]
    return CityPart(
        event=kind,
        severity=_RIVER_SEVERITY.get(kind, Severity.MODERATE),
        urgency=Urgency.IMMEDIATE if kind in _RIVER_SEVERITY else Urgency.EXPECTED,
        certainty=Certainty.LIKELY,
        hazard=Hazard.FLOOD,
        area_names=names,
        codes=[("気象・地震・火山情報／市町村等", _text(a, "CityCode")) for a in areas],
        details=main,
        ends=ends,
        thread=f"指定河川洪水予報:{telegram.event_id}",
    )


_TSUNAMI_SEVERITY = {
    "52": Severity.EXTREME,
    "53": Severity.EXTREME,
    "51": Severity.EXTREME,
    "62": Severity.SEVERE,
}


def _tsunami(telegram: Telegram, settings: Settings) -> CityPart | None:
    items = [
        item
        for item in _all(telegram.body, "Tsunami/Forecast/Item")
        if _text(item, "Area/Code") in settings.jma_tsunami_area_codes
    ]
    if not items:
        return None
    kinds = [(_text(i, "Category/Kind/Name"), _text(i, "Category/Kind/Code")) for i in items]
    in_force = [(name, code) for name, code in kinds if code in _TSUNAMI_SEVERITY]
    if not in_force:
        lifted = [_text(i, "Category/LastKind/Name") for i in items]
        kinds = [(f"{name}解除", "") for name in dict.fromkeys(lifted) if name] or kinds
    shown = in_force or kinds
    worst = max(
        shown, key=lambda kind: (kind[1] in _TSUNAMI_SEVERITY, kind[1] in ("51", "52", "53"))
    )
    details = []
    for item, (name, _) in zip(items, kinds, strict=True):
        height = _one(item, "MaxHeight/TsunamiHeight")
        shown_height = height.get("description", "") if height is not None else ""
        details.append(
            f"{_text(item, 'Area/Name')}：{name}{'（' + shown_height + '）' if shown_height else ''}"
        )
    details += [_text(c, "Text") for c in _all(telegram.body, "Comments/WarningComment")]
    return CityPart(
        event=worst[0],
        severity=_TSUNAMI_SEVERITY.get(worst[1], Severity.MINOR),
        urgency=Urgency.IMMEDIATE,
        certainty=Certainty.LIKELY,
        hazard=Hazard.TSUNAMI,
        area_names=[_text(item, "Area/Name") for item in items],
        codes=[("津波予報区", _text(item, "Area/Code")) for item in items],
        details=details,
        ends=not in_force,
        thread=f"津波:{telegram.event_id}",
    )


_INTENSITY_LABEL = {"5-": "5弱", "5+": "5強", "6-": "6弱", "6+": "6強"}


def _intensity_severity(value: str) -> Severity:
    if value in ("6-", "6+", "7"):
        return Severity.EXTREME
    if value in ("5-", "5+"):
        return Severity.SEVERE
    return Severity.MODERATE if value == "4" else Severity.MINOR


def _quake(telegram: Telegram, settings: Settings) -> CityPart | None:
    observation = _one(telegram.body, "Intensity/Observation")
    if observation is None:
        return None
    places = [
        (city, "気象・地震・火山情報／市町村等")
        for city in _all(observation, "Pref/Area/City")
        if _text(city, "Code") in settings.jma_city_codes
    ] or [
        (area, "地震情報／細分区域")
        for area in _all(observation, "Pref/Area")
        if _text(area, "Code") in settings.jma_quake_area_codes
    ]
    if not places:
        return None
    strongest = max((_text(place, "MaxInt") for place, _ in places), key=_INTENSITY_ORDER.index)
    label = _INTENSITY_LABEL.get(strongest, strongest)
    details = [
        f"{_text(p, 'Name')}：震度{_INTENSITY_LABEL.get(_text(p, 'MaxInt'), _text(p, 'MaxInt'))}"
        for p, _ in places
    ]
    epicentre = _text(telegram.body, "Earthquake/Hypocenter/Area/Name")
    magnitude = _one(telegram.body, "Earthquake/Magnitude")
    if epicentre:
        size = magnitude.get("description", "") if magnitude is not None else ""
        details.append(f"震源：{epicentre} {size}".strip())
    return CityPart(
        event=f"地震（震度{label}）",
        severity=_intensity_severity(strongest),
        urgency=Urgency.PAST,
        certainty=Certainty.OBSERVED,
        hazard=Hazard.EARTHQUAKE,
        area_names=[_text(place, "Name") for place, _ in places],
        codes=[(code_type, _text(place, "Code")) for place, code_type in places],
        details=details,
        expires=telegram.reported + QUAKE_LIFETIME,
        thread=f"地震:{telegram.event_id}",
    )


_INTENSITY_ORDER = ["1", "2", "3", "4", "5-", "5+", "6-", "6+", "7"]

READERS: dict[str, Callable[[Telegram, Settings], CityPart | None]] = {
    "気象警報・注意報": _weather_warnings,
    "土砂災害警戒情報": _landslide,
    "指定河川洪水予報": _river_flood,
    "津波警報・注意報・予報": _tsunami,
    "震度速報": _quake,
    "地震情報": _quake,
}


def parse(data: bytes, settings: Settings) -> IncomingMessage | None:
    """The city's part of a JMA telegram as a message, or None when it has nothing for it."""
    try:
        root = parse_xml(data, MAX_BYTES)
    except XmlRefused as error:
        raise JmaError(str(error)) from None
    return from_root(root, hashlib.sha256(data).hexdigest(), settings)


def from_root(root: Element, digest: str, settings: Settings) -> IncomingMessage | None:
    telegram = _telegram(root)
    reader = READERS.get(telegram.info_kind)
    if reader is None:
        raise JmaError(
            f"{telegram.title} ({telegram.info_kind}) is not a kind this service reads: "
            + ", ".join(READERS)
        )
    part = reader(telegram, settings)
    if part is None:
        return None
    return IncomingMessage(
        source=AlertSource.JMA,
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'jma:' + digest)}",
        sender=settings.cap_sender,
        sent=telegram.sent,
        status=telegram.status,
        msg_type=INFO_TYPES[telegram.info_type],
        content=_content(telegram, part, settings),
        thread_key=f"jma:{part.thread}",
        digest=digest,
        ends=part.ends,
    )


def _content(telegram: Telegram, part: CityPart, settings: Settings) -> AlertContent:
    min_lng, min_lat, max_lng, max_lat = settings.service_area
    city = [
        {"lat": min_lat, "lng": min_lng},
        {"lat": min_lat, "lng": max_lng},
        {"lat": max_lat, "lng": max_lng},
        {"lat": max_lat, "lng": min_lng},
        {"lat": min_lat, "lng": min_lng},
    ]
    names = "、".join(dict.fromkeys(part.area_names))
    return AlertContent(
        category=Category.GEO
        if part.hazard in (Hazard.EARTHQUAKE, Hazard.TSUNAMI)
        else Category.MET,
        event=part.event,
        urgency=part.urgency,
        severity=part.severity,
        certainty=part.certainty,
        effective=telegram.reported,
        expires=telegram.reported if part.ends else part.expires,
        headline=f"{names}：{part.event}{'解除' if _lifts(part) else ''}"[:500],
        description="\n".join(_lines(telegram.headline, *part.details, ATTRIBUTION)),
        hazard=part.hazard.value if part.hazard else None,
        areas=[
            {
                "description": names,
                "circles": [],
                "polygons": [city],
                "geocodes": [{"valueName": t, "value": c} for t, c in part.codes],
            }
        ],
        language="ja-JP",
        sender_name=f"気象庁 {telegram.office}".strip(),
        response_type="AllClear" if part.ends else "",
    )


def _lifts(part: CityPart) -> bool:
    return part.ends and not part.event.endswith("解除")


def _lines(*texts: str) -> list[str]:
    """Non-blank lines (JMA pads with ideographic spaces)."""
    return [line for text in texts for line in text.splitlines() if line.strip("\u3000 ")]
