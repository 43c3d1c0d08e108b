"""The situation at a point: the real alerts in force there and the city's mode, read from
memory so that every nearest-shelter answer can consult it for free.

A `Situation` holds every real alert not cancelled and not expired (a city has a handful) and
the city's mode. A change (an alert issued, updated, cancelled or imported; the mode switched)
is announced on its topic after its commit by whichever instance made it (core.pubsub); the
next reading in every process re-reads before it answers. Besides, every `MAX_AGE` seconds
it re-reads in the background (an alert that came into force or expired), so no reading
otherwise waits for the database — nor for a broadcast's long transaction holding it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
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

log = logging.getLogger(__name__)

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
    """Read without waiting for the database: this process's own changes are applied from the
    topics' messages as they come; a reading older than MAX_AGE starts a reload in the
    background (another process may have changed something) and answers from what it holds."""

    def __init__(self) -> None:
        self._held: dict[int, _Held] = {}
        self._city = CityState()
        self._loaded_at = -math.inf
        self._changes: list[asyncio.Queue] = []
        self._changed = False
        self._reloading: asyncio.Task | None = None
        self._lock = asyncio.Lock()

    def listen(self, queue: asyncio.Queue) -> None:
        """A topic queue of changed alerts and city-mode changes, applied as they come."""
        self._changes.append(queue)

    def fresh(self) -> Situation:
        for queue in self._changes:
            while not queue.empty():
                self._apply(queue.get_nowait())
        idle = self._reloading is None or self._reloading.done()
        if idle and time.monotonic() - self._loaded_at > MAX_AGE:
            self._reloading = asyncio.create_task(self.reload(), name="disaster-situation")
            self._reloading.add_done_callback(_log_failure)
        return self

    async def settled(self) -> Situation:
        """`fresh()`, having re-read first when a change was announced since the last read."""
        self.fresh()
        if self._changed:
            self._changed = False
            await self.reload()
        return self

    def changed(self, _event: object = None) -> None:
        """A change was committed: the next settled reading re-reads first."""
        self._changed = True

    def _apply(self, message: object) -> None:
        """A change committed somewhere (its id): what it changed is read, not trusted."""
        self._changed = True

    async def reload(self) -> None:
        """Read the alerts and the city's mode; changes applied meanwhile are kept."""
        async with self._lock:
            started = time.monotonic()
            for queue in self._changes:  # announced before this read: included in it
                while not queue.empty():
                    queue.get_nowait()
            self._changed = False
            alerts = await _live_alerts()
            change = await CityModeChange.all().order_by("-at", "-id").first()
            held = {alert.id: h for alert in alerts if (h := _hold(alert)) is not None}
            self._held, self._city = held, CityState.of(change)
            self._loaded_at = started

    async def close(self) -> None:
        if self._reloading is not None and not self._reloading.done():
            self._reloading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reloading

    @property
    def city(self) -> CityState:
        return self._city

    def at(self, lat: float, lng: float, now: datetime) -> Reading:
        held = self._held.values()
        covering = [h.alert for h in held if h.active(now) and h.covers(lat, lng)]
        covering.sort(key=lambda a: (a.sent, a.id), reverse=True)
        covering.sort(key=lambda a: _SEVERITY_RANK.get(Severity(a.severity), 2))
        return Reading(tuple(covering), self._city)

    def active_alerts(self, now: datetime) -> list[Alert]:
        return [h.alert for h in self._held.values() if h.active(now)]


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("disaster situation reload failed", exc_info=task.exception())


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
