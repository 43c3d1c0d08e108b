from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.errors import TransitionError
from reports.messages import STATUS_LABELS, status_label
from reports.workflow import (
    CLOSED_STATUSES,
    INITIAL_STATUS,
    OPEN311_STATUS,
    OPEN_STATUSES,
    REOPEN_WINDOW,
    TERMINAL_STATUSES,
    TRANSITIONS,
    Actor,
    Status,
    Targets,
    allowed_next,
    can_reopen,
    deadlines,
    open311_status,
    overdue,
    statuses_for_open311,
    validate_transition,
)

T0 = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
ALLOWED = {
    ("received", "acknowledged"),
    ("received", "rejected"),
    ("received", "duplicate"),
    ("acknowledged", "in_progress"),
    ("acknowledged", "resolved"),
    ("acknowledged", "rejected"),
    ("acknowledged", "duplicate"),
    ("in_progress", "resolved"),
    ("in_progress", "rejected"),
    ("in_progress", "duplicate"),
    ("resolved", "in_progress"),
}
ALL_PAIRS = [(a.value, b.value) for a in Status for b in Status]


def code_of(call) -> str:
    with pytest.raises(TransitionError) as caught:
        call()
    return caught.value.code


# --- the table -----------------------------------------------------------------------------------


def test_table__exactly_the_agreed_transitions():
    assert {(a.value, b.value) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS)
def test_validate_transition__staff_may_make_exactly_the_table_moves(from_status, to_status):
    if (from_status, to_status) in ALLOWED:
        assert validate_transition(from_status, to_status) is Status(to_status)
    else:
        assert (
            code_of(lambda: validate_transition(from_status, to_status))
            == "REPORT_TRANSITION_NOT_ALLOWED"
        )


def test_validate_transition__error_names_both_statuses():
    with pytest.raises(TransitionError) as caught:
        validate_transition(Status.REJECTED, Status.IN_PROGRESS)

    assert caught.value.params == {"from_status": "rejected", "to_status": "in_progress"}
    assert "rejected" in caught.value.message("en") and "in_progress" in caught.value.message("ja")


def test_validate_transition__same_status_is_not_a_change():
    assert (
        code_of(lambda: validate_transition("received", "received"))
        == "REPORT_TRANSITION_NOT_ALLOWED"
    )


@pytest.mark.parametrize("bad", ["open", "closed", "RECEIVED", "", "in progress"])
def test_unknown_status__refused(bad):
    assert code_of(lambda: validate_transition(bad, "received")) == "REPORT_UNKNOWN_STATUS"
    assert code_of(lambda: validate_transition("received", bad)) == "REPORT_UNKNOWN_STATUS"


def test_terminal_statuses__rejected_and_duplicate():
    assert {Status.REJECTED, Status.DUPLICATE} == TERMINAL_STATUSES
    assert INITIAL_STATUS is Status.RECEIVED


# --- reporter reopen -----------------------------------------------------------------------------


def test_reporter__may_reopen_within_fourteen_days():
    resolved_at = T0

    new = validate_transition(
        "resolved",
        "in_progress",
        actor=Actor.REPORTER,
        resolved_at=resolved_at,
        now=T0 + timedelta(days=13, hours=23),
    )

    assert new is Status.IN_PROGRESS


def test_reporter__may_not_reopen_after_fourteen_days():
    error = code_of(
        lambda: validate_transition(
            "resolved",
            "in_progress",
            actor=Actor.REPORTER,
            resolved_at=T0,
            now=T0 + timedelta(days=14, seconds=1),
        )
    )
    assert error == "REPORT_REOPEN_EXPIRED"


def test_staff__may_reopen_at_any_time():
    assert (
        validate_transition("resolved", "in_progress", now=T0 + timedelta(days=400))
        is Status.IN_PROGRESS
    )


@pytest.mark.parametrize(
    ("from_status", "to_status"), sorted(ALLOWED - {("resolved", "in_progress")})
)
def test_reporter__may_not_make_staff_moves(from_status, to_status):
    error = code_of(
        lambda: validate_transition(
            from_status, to_status, actor=Actor.REPORTER, resolved_at=T0, now=T0
        )
    )
    assert error == "REPORT_TRANSITION_FORBIDDEN"


def test_reporter__reopen_without_dates_is_a_programming_error():
    with pytest.raises(ValueError):
        validate_transition("resolved", "in_progress", actor=Actor.REPORTER)


def test_allowed_next__per_actor():
    assert allowed_next("acknowledged") == {"in_progress", "resolved", "rejected", "duplicate"}
    assert allowed_next("resolved", actor=Actor.REPORTER) == {Status.IN_PROGRESS}
    assert allowed_next("in_progress", actor=Actor.REPORTER) == frozenset()


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (timedelta(0), True),
        (timedelta(days=14), True),
        (timedelta(days=14, microseconds=1), False),
        (timedelta(seconds=-1), False),
    ],
)
def test_can_reopen__window_edges(elapsed, expected):
    assert can_reopen(T0, T0 + elapsed) is expected


def test_can_reopen__compares_instants_not_wall_clocks():
    tokyo_now = (T0 + timedelta(days=13)).astimezone(ZoneInfo("Asia/Tokyo"))

    assert can_reopen(T0, tokyo_now)


def test_can_reopen__naive_datetimes_refused():
    with pytest.raises(ValueError):
        can_reopen(datetime(2025, 4, 1), T0)


# --- Open311 mapping and labels --------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "public"),
    [
        ("received", "open"),
        ("acknowledged", "open"),
        ("in_progress", "open"),
        ("resolved", "closed"),
        ("rejected", "closed"),
        ("duplicate", "closed"),
    ],
)
def test_open311_status__maps_to_open_or_closed(status, public):
    assert open311_status(status) == public


def test_statuses_for_open311__filter_values():
    assert statuses_for_open311(["open"]) == OPEN_STATUSES
    assert statuses_for_open311(["closed"]) == CLOSED_STATUSES
    assert statuses_for_open311(["open", "closed"]) == set(Status)
    assert statuses_for_open311([]) == frozenset()


def test_every_status__has_ja_and_en_labels():
    for status in Status:
        assert STATUS_LABELS[status.value]["ja"] and STATUS_LABELS[status.value]["en"]
    assert status_label(Status.IN_PROGRESS, "ja") == "対応中"


# --- deadlines ---------------------------------------------------------------------------------

TARGETS = Targets(acknowledge_hours=24, resolve_hours=24 * 7)


def test_deadlines__count_from_creation():
    due = deadlines(T0, TARGETS)

    assert due.acknowledge_by == T0 + timedelta(hours=24)
    assert due.resolve_by == T0 + timedelta(days=7)


def test_deadlines__no_targets_no_deadlines():
    assert deadlines(T0, Targets()).resolve_by is None


@pytest.mark.parametrize("hours", [0, -1])
def test_targets__must_be_positive(hours):
    with pytest.raises(ValueError):
        Targets(acknowledge_hours=hours)


def test_overdue__unacknowledged_after_target():
    late = overdue(
        "received",
        created_at=T0,
        acknowledged_at=None,
        targets=TARGETS,
        now=T0 + timedelta(hours=25),
    )

    assert late.acknowledge and not late.resolve and late.any


def test_overdue__not_yet_at_the_deadline():
    on_time = overdue(
        "received",
        created_at=T0,
        acknowledged_at=None,
        targets=TARGETS,
        now=T0 + timedelta(hours=24),
    )

    assert not on_time.any


def test_overdue__acknowledged_late_but_no_longer_overdue_for_acknowledgement():
    state = overdue(
        "acknowledged",
        created_at=T0,
        acknowledged_at=T0 + timedelta(hours=30),
        targets=TARGETS,
        now=T0 + timedelta(hours=31),
    )

    assert not state.acknowledge and state.acknowledged_late and not state.resolve


def test_overdue__open_past_resolve_target():
    state = overdue(
        "in_progress",
        created_at=T0,
        acknowledged_at=T0 + timedelta(hours=1),
        targets=TARGETS,
        now=T0 + timedelta(days=8),
    )

    assert state.resolve and not state.acknowledge and not state.acknowledged_late


@pytest.mark.parametrize("status", ["resolved", "rejected", "duplicate"])
def test_overdue__closed_reports_never_overdue(status):
    state = overdue(
        status, created_at=T0, acknowledged_at=None, targets=TARGETS, now=T0 + timedelta(days=365)
    )

    assert not state.acknowledge and not state.resolve


def test_overdue__category_without_targets_never_overdue():
    state = overdue(
        "received",
        created_at=T0,
        acknowledged_at=None,
        targets=Targets(),
        now=T0 + timedelta(days=365),
    )

    assert not state.any


def test_overdue__naive_now_refused():
    with pytest.raises(ValueError):
        overdue(
            "received",
            created_at=T0,
            acknowledged_at=None,
            targets=TARGETS,
            now=datetime(2025, 4, 2),
        )


# --- properties over random sequences ------------------------------------------------------------

statuses = st.sampled_from(list(Status))


@given(st.lists(statuses, max_size=30))
def test_random_sequences__only_table_moves_succeed_and_failures_change_nothing(attempts):
    current = INITIAL_STATUS
    for target in attempts:
        before = current
        try:
            current = validate_transition(current, target)
        except TransitionError as error:
            assert error.code == "REPORT_TRANSITION_NOT_ALLOWED"
            assert target not in TRANSITIONS[before]
            assert current is before
        else:
            assert target in TRANSITIONS[before]
        if before in TERMINAL_STATUSES:
            assert current is before


@given(st.lists(statuses, max_size=30))
def test_random_walks__along_allowed_moves_never_leave_a_terminal_status(choices):
    current, path = INITIAL_STATUS, [INITIAL_STATUS]
    for choice in choices:
        options = sorted(TRANSITIONS[current])
        if not options:
            break
        current = validate_transition(current, options[list(Status).index(choice) % len(options)])
        path.append(current)
    for earlier, later in itertools.pairwise(path):
        assert (earlier.value, later.value) in ALLOWED
    assert all(status not in TERMINAL_STATUSES for status in path[:-1])
    assert OPEN311_STATUS[path[-1]] in ("open", "closed")


def reachable_from(start: Status) -> set[Status]:
    seen, frontier = {start}, [start]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def test_graph__every_status_reachable_and_every_open_status_can_close():
    assert reachable_from(INITIAL_STATUS) == set(Status)
    for status in OPEN_STATUSES:
        assert reachable_from(status) & CLOSED_STATUSES == CLOSED_STATUSES


@given(
    elapsed=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
    earlier=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
)
def test_can_reopen__once_lost_never_regained(elapsed, earlier):
    now = T0 + elapsed
    if can_reopen(T0, now):
        assert elapsed <= REOPEN_WINDOW
        assert can_reopen(T0, T0 + min(earlier, elapsed))
    else:
        assert not can_reopen(T0, now + earlier)


@given(
    status=statuses,
    first=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
    extra=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
)
def test_overdue__once_overdue_stays_overdue_while_nothing_changes(status, first, extra):
    def at(moment):
        return overdue(status, created_at=T0, acknowledged_at=None, targets=TARGETS, now=moment)

    earlier, later = at(T0 + first), at(T0 + first + extra)
    assert later.acknowledge >= earlier.acknowledge
    assert later.resolve >= earlier.resolve
