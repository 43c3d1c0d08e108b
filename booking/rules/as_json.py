"""Space rules and cancellation policies as JSON, the form they are stored in.

    {"timezone": "Asia/Tokyo",
     "hours": {"weekly": [[["09:00", "21:00"]], [], ...],          # Monday first, 7 days
               "closures": [{"first_day": "2025-12-29", "last_day": "2026-01-03",
                             "reason": {"ja": "年末年始", "en": "New Year holidays"}}],
               "special_hours": [{"day": "2026-01-02", "periods": [["10:00", "15:00"]]}]},
     "grid": {"kind": "fixed", "periods": [{"ja": "午前", "en": "Morning",
                                            "starts": "09:00", "ends": "12:00"}]}
          or {"kind": "interval", "step_minutes": 30, "min_minutes": 60, "max_minutes": 180},
     "window": {"opens_months": 2, "opens_days": 0, "closes_days": 1,
                "opens_at_month_start": false, "opens_at": "00:00"},
     "max_active_bookings": 3}

A policy: {"tiers": [{"days_before": 7, "percent": 50}], "deadline_days_before": 1}.
Malformed input raises ValueError.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from booking.rules import (
    TOKYO,
    AdvanceWindow,
    Closure,
    FixedGrid,
    FixedPeriod,
    IntervalGrid,
    Label,
    OpeningHours,
    Period,
    SlotGrid,
    SpaceRules,
    SpecialHours,
)
from booking.rules.policy import CancellationPolicy, RefundTier


def rules_to_json(rules: SpaceRules) -> dict[str, Any]:
    return {
        "timezone": rules.timezone,
        "hours": _hours_to_json(rules.hours),
        "grid": _grid_to_json(rules.grid),
        "window": {
            "opens_months": rules.window.opens_months,
            "opens_days": rules.window.opens_days,
            "closes_days": rules.window.closes_days,
            "opens_at_month_start": rules.window.opens_at_month_start,
            "opens_at": _time_text(rules.window.opens_at),
        },
        "max_active_bookings": rules.max_active_bookings,
    }


def rules_from_json(data: dict[str, Any]) -> SpaceRules:
    try:
        window = data.get("window", {})
        return SpaceRules(
            hours=_hours_from_json(data["hours"]),
            grid=_grid_from_json(data["grid"]),
            window=AdvanceWindow(
                opens_months=int(window.get("opens_months", 2)),
                opens_days=int(window.get("opens_days", 0)),
                closes_days=int(window.get("closes_days", 1)),
                opens_at_month_start=bool(window.get("opens_at_month_start", False)),
                opens_at=_time(window.get("opens_at", "00:00")),
            ),
            max_active_bookings=data.get("max_active_bookings"),
            timezone=data.get("timezone", TOKYO),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"malformed space rules: {error!r}") from error


def policy_to_json(policy: CancellationPolicy) -> dict[str, Any]:
    return {
        "tiers": [{"days_before": t.days_before, "percent": t.percent} for t in policy.tiers],
        "deadline_days_before": policy.deadline_days_before,
        "timezone": policy.timezone,
    }


def policy_from_json(data: dict[str, Any]) -> CancellationPolicy:
    try:
        tiers = tuple(RefundTier(int(t["days_before"]), int(t["percent"])) for t in data["tiers"])
        return CancellationPolicy(
            tiers, int(data.get("deadline_days_before", 0)), data.get("timezone", TOKYO)
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"malformed cancellation policy: {error!r}") from error


def _hours_to_json(hours: OpeningHours) -> dict[str, Any]:
    return {
        "weekly": [_periods_to_json(day) for day in hours.weekly],
        "closures": [
            {
                "first_day": closure.first_day.isoformat(),
                "last_day": closure.last_day.isoformat(),
                "reason": _label_to_json(closure.reason) if closure.reason else None,
            }
            for closure in hours.closures
        ],
        "special_hours": [
            {"day": special.day.isoformat(), "periods": _periods_to_json(special.periods)}
            for special in hours.special_hours
        ],
        "closed_on_holidays": hours.closed_on_holidays,
    }


def _hours_from_json(data: dict[str, Any]) -> OpeningHours:
    return OpeningHours(
        weekly=tuple(_periods(day) for day in data["weekly"]),
        closures=tuple(
            Closure(
                date.fromisoformat(item["first_day"]),
                date.fromisoformat(item["last_day"]),
                _label(item["reason"]) if item.get("reason") else None,
            )
            for item in data.get("closures", ())
        ),
        special_hours=tuple(
            SpecialHours(date.fromisoformat(item["day"]), _periods(item["periods"]))
            for item in data.get("special_hours", ())
        ),
        closed_on_holidays=bool(data.get("closed_on_holidays", False)),
    )


def _grid_to_json(grid: SlotGrid) -> dict[str, Any]:
    if isinstance(grid, FixedGrid):
        periods = [
            {**_label_to_json(p.label), "starts": _time_text(p.starts), "ends": _time_text(p.ends)}
            for p in grid.periods
        ]
        return {"kind": "fixed", "periods": periods}
    return {
        "kind": "interval",
        "step_minutes": grid.step_minutes,
        "min_minutes": grid.min_minutes,
        "max_minutes": grid.max_minutes,
    }


def _grid_from_json(data: dict[str, Any]) -> SlotGrid:
    kind = data["kind"]
    if kind == "fixed":
        return FixedGrid(
            tuple(
                FixedPeriod(_label(item), _time(item["starts"]), _time(item["ends"]))
                for item in data["periods"]
            )
        )
    if kind == "interval":
        return IntervalGrid(
            int(data["step_minutes"]), int(data["min_minutes"]), int(data["max_minutes"])
        )
    raise ValueError(f"unknown grid kind {kind!r}")


def _periods_to_json(periods: tuple[Period, ...]) -> list[list[str]]:
    return [[_time_text(p.opens), _time_text(p.closes)] for p in periods]


def _periods(data: list[list[str]]) -> tuple[Period, ...]:
    return tuple(Period(_time(opens), _time(closes)) for opens, closes in data)


def _label_to_json(label: Label) -> dict[str, str]:
    return {"ja": label.ja, "en": label.en}


def _label(data: dict[str, str]) -> Label:
    return Label(str(data["ja"]), str(data["en"]))


def _time(text: str) -> time:
    return time.fromisoformat(text)


def _time_text(moment: time) -> str:
    return moment.strftime("%H:%M")
