from __future__ import annotations

import json
from datetime import date, time

import pytest

from booking.rules import Closure, Label, OpeningHours, Period, SpecialHours
from booking.rules.as_json import policy_from_json, policy_to_json, rules_from_json, rules_to_json
from booking.rules.policy import CancellationPolicy, RefundTier


def with_calendar(rules):
    hours = OpeningHours(
        weekly=rules.hours.weekly,
        closures=(
            Closure(date(2025, 12, 29), date(2026, 1, 3), Label("年末年始", "New Year holidays")),
        ),
        special_hours=(SpecialHours(date(2026, 1, 2), (Period(time(10), time(15)),)),),
    )
    return type(rules)(hours, rules.grid, rules.window, 3, rules.timezone)


@pytest.mark.parametrize("name", ["gym_rules", "room_rules"])
def test_rules__json_round_trip(name, request):
    rules = with_calendar(request.getfixturevalue(name))

    stored = json.loads(json.dumps(rules_to_json(rules), ensure_ascii=False))

    assert rules_from_json(stored) == rules


def test_rules__json_example_reads(gym_rules):
    data = {
        "hours": {"weekly": [[], *[[["09:00", "21:00"]]] * 6]},
        "grid": {
            "kind": "fixed",
            "periods": [
                {"ja": "午前", "en": "Morning", "starts": "09:00", "ends": "12:00"},
                {"ja": "午後", "en": "Afternoon", "starts": "13:00", "ends": "17:00"},
                {"ja": "夜間", "en": "Evening", "starts": "18:00", "ends": "21:00"},
            ],
        },
        "window": {"opens_months": 2, "closes_days": 1},
    }

    assert rules_from_json(data) == gym_rules


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("hours"),
        lambda d: d["grid"].update(kind="hexagonal"),
        lambda d: d["hours"].update(weekly=[[]] * 6),
        lambda d: d["hours"]["weekly"].__setitem__(0, [["21:00", "09:00"]]),
        lambda d: d["hours"]["weekly"].__setitem__(0, [["9 o'clock", "12:00"]]),
        lambda d: d["hours"]["weekly"].__setitem__(0, ["09:00"]),
        lambda d: d.update(window=None),
    ],
)
def test_rules__malformed_json__value_error(mutate, room_rules):
    data = rules_to_json(room_rules)
    mutate(data)

    with pytest.raises(ValueError):
        rules_from_json(data)


def test_policy__json_round_trip():
    policy = CancellationPolicy((RefundTier(14, 100), RefundTier(3, 50)), deadline_days_before=1)

    assert policy_from_json(json.loads(json.dumps(policy_to_json(policy)))) == policy


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"tiers": [{"days_before": 3}]},
        {"tiers": [{"days_before": 3, "percent": 150}]},
        {"tiers": None},
    ],
)
def test_policy__malformed_json__value_error(data):
    with pytest.raises(ValueError):
        policy_from_json(data)
