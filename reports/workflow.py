"""The life of an issue report, as data: statuses, who may move a report where, deadlines.

Every status change is public: it shows on the issue map and in Open311, and
the reporter is told. Staff make all changes; the reporter may only reopen a
resolved report, and only within :data:`REOPEN_WINDOW` of its resolution.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from reports.errors import TransitionError


class Status(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


class Actor(StrEnum):
    STAFF = "staff"
    REPORTER = "reporter"


TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.ACKNOWLEDGED, Status.REJECTED, Status.DUPLICATE}),
    Status.ACKNOWLEDGED: frozenset(
        {Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED, Status.DUPLICATE}
    ),
    Status.IN_PROGRESS: frozenset({Status.RESOLVED, Status.REJECTED, Status.DUPLICATE}),
    Status.RESOLVED: frozenset({Status.IN_PROGRESS}),
    Status.REJECTED: frozenset(),
    Status.DUPLICATE: frozenset(),
}
REOPEN = (Status.RESOLVED, Status.IN_PROGRESS)
REPORTER_TRANSITIONS = frozenset({REOPEN})
REOPEN_WINDOW = timedelta(days=14)

INITIAL_STATUS = Status.RECEIVED
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS})
CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.REJECTED, Status.DUPLICATE})
TERMINAL_STATUSES = frozenset(status for status, targets in TRANSITIONS.items() if not targets)
OPEN311_STATUS: Mapping[Status, str] = {
    **{status: "open" for status in OPEN_STATUSES},
    **{status: "closed" for status in CLOSED_STATUSES},
}


def parse_status(value: str | Status) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise TransitionError("REPORT_UNKNOWN_STATUS", status=str(value)) from None


def open311_status(status: str | Status) -> str:
    """``"open"`` or ``"closed"``, the only statuses GeoReport v2 knows."""
    return OPEN311_STATUS[parse_status(status)]


def statuses_for_open311(values: Iterable[str]) -> frozenset[Status]:
    """Internal statuses matching Open311 ``status`` filter values (``open``, ``closed``)."""
    wanted = set(values)
    return frozenset(status for status, public in OPEN311_STATUS.items() if public in wanted)


def allowed_next(status: str | Status, *, actor: Actor = Actor.STAFF) -> frozenset[Status]:
    current = parse_status(status)
    targets = TRANSITIONS[current]
    if actor is Actor.STAFF:
        return targets
    return frozenset(target for target in targets if (current, target) in REPORTER_TRANSITIONS)


def can_reopen(resolved_at: datetime, now: datetime) -> bool:
    """Whether the reporter may still reopen a report resolved at ``resolved_at``."""
    _require_aware(resolved_at=resolved_at, now=now)
    return resolved_at <= now <= resolved_at + REOPEN_WINDOW


def validate_transition(
    from_status: str | Status,
    to_status: str | Status,
    *,
    actor: Actor = Actor.STAFF,
    resolved_at: datetime | None = None,
    now: datetime | None = None,
) -> Status:
    """Return the new status, or raise :class:`TransitionError` saying why the move is refused.

    A reporter's reopen needs ``resolved_at`` and ``now`` to check the window.
    """
    current, target = parse_status(from_status), parse_status(to_status)
    if target not in TRANSITIONS[current]:
        raise TransitionError(
            "REPORT_TRANSITION_NOT_ALLOWED", from_status=current.value, to_status=target.value
        )
    if actor is Actor.STAFF:
        return target
    if (current, target) not in REPORTER_TRANSITIONS:
        raise TransitionError(
            "REPORT_TRANSITION_FORBIDDEN", from_status=current.value, to_status=target.value
        )
    if resolved_at is None or now is None:
        raise ValueError("a reporter's reopen needs resolved_at and now")
    if not can_reopen(resolved_at, now):
        raise TransitionError("REPORT_REOPEN_EXPIRED", days=REOPEN_WINDOW.days)
    return target


@dataclass(frozen=True, slots=True)
class Targets:
    """A category's service targets in hours; ``None`` means no target."""

    acknowledge_hours: float | None = None
    resolve_hours: float | None = None

    def __post_init__(self) -> None:
        for hours in (self.acknowledge_hours, self.resolve_hours):
            if hours is not None and not hours > 0:
                raise ValueError("target hours must be positive")


@dataclass(frozen=True, slots=True)
class Deadlines:
    acknowledge_by: datetime | None
    resolve_by: datetime | None


@dataclass(frozen=True, slots=True)
class Overdue:
    acknowledge: bool
    resolve: bool
    acknowledged_late: bool

    @property
    def any(self) -> bool:
        return self.acknowledge or self.resolve


def deadlines(created_at: datetime, targets: Targets) -> Deadlines:
    """Both deadlines count from the report's creation, as the resident experiences the wait.

    ``resolve_by`` is what Open311 calls ``expected_datetime``.
    """
    _require_aware(created_at=created_at)
    return Deadlines(
        acknowledge_by=_after(created_at, targets.acknowledge_hours),
        resolve_by=_after(created_at, targets.resolve_hours),
    )


def overdue(
    status: str | Status,
    *,
    created_at: datetime,
    acknowledged_at: datetime | None,
    targets: Targets,
    now: datetime,
) -> Overdue:
    """Which targets an open report has missed by ``now``; closed reports are never overdue."""
    current = parse_status(status)
    _require_aware(now=now, **({"acknowledged_at": acknowledged_at} if acknowledged_at else {}))
    due = deadlines(created_at, targets)
    is_open = current in OPEN_STATUSES
    awaiting_acknowledgement = current is Status.RECEIVED and acknowledged_at is None
    return Overdue(
        acknowledge=is_open and awaiting_acknowledgement and _passed(due.acknowledge_by, now),
        resolve=is_open and _passed(due.resolve_by, now),
        acknowledged_late=acknowledged_at is not None
        and _passed(due.acknowledge_by, acknowledged_at),
    )


def _after(start: datetime, hours: float | None) -> datetime | None:
    return None if hours is None else start + timedelta(hours=hours)


def _passed(deadline: datetime | None, moment: datetime) -> bool:
    return deadline is not None and moment > deadline


def _require_aware(**moments: datetime) -> None:
    for name, moment in moments.items():
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware")
