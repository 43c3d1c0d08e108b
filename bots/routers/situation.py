"""Disaster mode in the bot: /start and a shared location lead with the alert in force and the
three nearest open shelters for its hazard, with the safety-check buttons when it asks.

Where the resident is comes from the location they shared (or their first watch area); with
neither, /start still leads with an open safety check and asks for the location.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiogram.types import InlineKeyboardButton, LinkPreviewOptions

import bots.routers.safety_texts  # noqa: F401 - registers the texts
from bots.client import ResidentApi
from bots.formatting import distance_text
from bots.routers.safety import ask_text, safety_buttons
from core.i18n import t

LEAD_SHELTERS = 3
MAX_ALERTS = 3
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass
class Lead:
    text: str
    buttons: list[list[InlineKeyboardButton]] = field(default_factory=list)


async def disaster_lead(
    api: ResidentApi, lang: str, point: tuple[float, float] | None = None
) -> Lead | None:
    """What to say first in disaster mode; None outside it."""
    known = None
    if point is None:
        known = await api.data("SafetyChecks")
        point = _known_point(known)
    if point is not None:
        home = (await api.data("Home", lat=point[0], lng=point[1], shelterLimit=LEAD_SHELTERS))[
            "home"
        ]
        if home["disasterMode"]:
            return await _lead_at(api, home, lang)
        if known is None:
            return None
    checks = (known or await api.data("SafetyChecks"))["safetyChecks"]
    if not checks:
        return None
    check = checks[0]
    alert = check["alert"]
    text = "\n".join(
        [
            t("bot.disaster.lead", lang),
            alert["headline"] or alert["event"],
            "",
            ask_text(check, lang),
            t("bot.disaster.share_location", lang),
        ]
    )
    return Lead(text, safety_buttons(alert["id"], lang))


def _known_point(known: dict) -> tuple[float, float] | None:
    place = known["sharedLocation"] or next(iter(known["watchAreas"]), None)
    return (place["lat"], place["lng"]) if place else None


async def _lead_at(api: ResidentApi, home: dict, lang: str) -> Lead:
    lines = [t("bot.disaster.lead", lang)]
    lines += [f"■ {a['headline'] or a['event']}" for a in home["alerts"][:MAX_ALERTS]]
    lines.append("")
    lines += await _shelter_lines(api, home, lang)
    buttons = []
    check = home["safetyCheck"]
    if check is not None:
        lines += ["", ask_text(check, lang)]
        buttons = safety_buttons(check["alert"]["id"], lang)
    lines += ["", home["geoAttribution"]]
    return Lead("\n".join(lines), buttons)


async def _shelter_lines(api: ResidentApi, home: dict, lang: str) -> list[str]:
    if home["hazard"]:
        labels = {h["hazard"]: h["label"] for h in (await api.data("Hazards"))["hazards"]}
        title = t("bot.disaster.open_shelters", lang, hazard=labels.get(home["hazard"], ""))
    else:
        title = t("bot.disaster.open_shelters_any", lang)
    lines = [title]
    hits = home["shelters"]
    if not any(hit["status"] == "OPEN" for hit in hits):
        lines.append(t("bot.disaster.no_open_shelter", lang))
    for number, hit in enumerate(hits, 1):
        status = t(f"bot.disaster.status.{hit['status']}", lang)
        distance = distance_text(hit["distanceMeters"], lang)
        name = hit["shelter"]["name"]
        lines.append(
            t(
                "bot.disaster.shelter",
                lang,
                number=number,
                name=name,
                distance=distance,
                status=status,
            )
        )
        lines.append(hit["mapUrl"])
    return lines
