"""The situation at a point: the real alerts in force there and the city's mode, read from
memory so that every nearest-shelter answer can consult it for free.

A `Situation` holds every real alert not cancelled and not expired (a city has a handful) and
the city's mode. It reloads them when this process changed or imported an alert or switched
the mode (it listens to both topics) and when it is older than `MAX_AGE` (another process may
have), so a change shows here at once and everywhere within seconds.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from core import clock
from disaster.mode.models import CityMode, CityModeChange
from geo.hazards import Hazard
from notifications.alerts.geometry import AreaMatcher, matcher_for
from notifications.alerts.models import Alert, AlertStatus, MsgType, Severity

MAX_AGE = 2.0
MODE_TOPIC = "disaster.mode"
DISASTER_SEVERITIES = (Severity.EXTREME, Severity.SEVERE)
_SEVERITY_RANK = {Severity.EXTREME: 0, Severity.SEVERE: 1}


@dataclass(frozen=True, slots=True)
class _Held:
    alert: Alert
    matcher: AreaMatcher
    box: tuple[float, float, float, float]  # min_lat, min_lng, max_lat, max_lng

    def covers(self, lat: float, lng: float) -> bool:
        min_lat, min_lng, max_lat, max_lng = self.box
        inside_box = min_lat <= lat <= max_lat and min_lng <= lng <= max_lng
        return inside_box and self.matcher.contains(lat, lng)

    def active(self, now: datetime) -> bool:
        alert = self.alert
        return alert.effective <= now and (alert.expires is None or alert.expires > now)


@dataclass(frozen=True, slots=True)
class CityState:
    mode: CityMode = CityMode.NORMAL
    hazard: Hazard | None = None
    note: str = ""
    at: datetime | None = None

    @classmethod
    def of(cls, change: CityModeChange | None) -> CityState:
        if change is None:
            return cls()
        hazard = Hazard(change.hazard) if change.hazard else None
        return cls(CityMode(change.mode), hazard, change.note, change.at)


@dataclass(frozen=True, slots=True)
class Reading:
    """What holds at one point now."""

    alerts: tuple[Alert, ...]  # most severe first, then newest
    city: CityState

    @property
    def disaster_mode(self) -> bool:
        return self.city.mode == CityMode.DISASTER or any(
            alert.severity in DISASTER_SEVERITIES for alert in self.alerts
        )

    @property
    def mode(self) -> CityMode:
        if self.disaster_mode:
            return CityMode.DISASTER
        return CityMode.RECOVERY if self.city.mode == CityMode.RECOVERY else CityMode.NORMAL

    @property
    def hazard(self) -> Hazard | None:
        """The hazard to evacuate from: the gravest alert's that names one, else the city's."""
        severe = [a for a in self.alerts if a.severity in DISASTER_SEVERITIES]
        others = [a for a in self.alerts if a.severity not in DISASTER_SEVERITIES]
        for alert in severe:
            if alert.hazard:
                return Hazard(alert.hazard)
        if self.city.mode == CityMode.DISASTER and self.city.hazard is not None:
            return self.city.hazard
        for alert in others:
            if alert.hazard:
                return Hazard(alert.hazard)
        return None


class Situation:
    def __init__(self) -> None:
        self._held: list[_Held] = []
        self._city = CityState()
        self._loaded_at = -math.inf
        self._changes: list[asyncio.Queue] = []
        self._lock = asyncio.Lock()

    def listen(self, queue: asyncio.Queue) -> None:
        """A topic queue whose messages mean: reload before the next reading."""
        self._changes.append(queue)

    async def fresh(self) -> Situation:
        changed = False
        for queue in self._changes:
            while not queue.empty():
                queue.get_nowait()
                changed = True
        asked = time.monotonic()
        if changed or asked - self._loaded_at > MAX_AGE:
            await self.reload(asked)
        return self

    async def reload(self, asked: float | None = None) -> None:
        """Read the alerts and the city's mode, unless a load that began after `asked` did."""
        asked = time.monotonic() if asked is None else asked
        async with self._lock:
            if self._loaded_at >= asked:
                return
            started = time.monotonic()
            held = [_hold(alert) for alert in await _live_alerts()]
            change = await CityModeChange.all().order_by("-at", "-id").first()
            self._held = [h for h in held if h is not None]
            self._city = CityState.of(change)
            self._loaded_at = started

    @property
    def city(self) -> CityState:
        return self._city

    def at(self, lat: float, lng: float, now: datetime) -> Reading:
        covering = [h.alert for h in self._held if h.active(now) and h.covers(lat, lng)]
        covering.sort(key=lambda a: (a.sent, a.id), reverse=True)
        covering.sort(key=lambda a: _SEVERITY_RANK.get(Severity(a.severity), 2))
        return Reading(tuple(covering), self._city)

    def active_alerts(self, now: datetime) -> list[Alert]:
        return [h.alert for h in self._held if h.active(now)]


async def _live_alerts() -> list[Alert]:
    """Real alerts not cancelled and not expired as of now (effective ones are chosen when
    read, so an alert that starts later counts from then without a reload)."""
    now = clock.now()
    return await Alert.filter(
        ~Q(msg_type=MsgType.CANCEL),
        Q(expires__isnull=True) | Q(expires__gt=now),
        status=AlertStatus.ACTUAL,
        min_lat__isnull=False,
    ).order_by("id")


def _hold(alert: Alert) -> _Held | None:
    matcher = matcher_for(alert.areas)
    if matcher is None or alert.min_lat is None:
        return None
    box = (alert.min_lat, alert.min_lng, alert.max_lat, alert.max_lng)
    return _Held(alert, matcher, box)  # type: ignore[arg-type]
