"""The completers' shortcuts give exactly what the scalars they stand for give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from api.prepared.completion import Member, iso_datetime, leaf, object_of
from api.scalars import serialize_datetime
from api.schema import schema
from core.clock import TOKYO

DATETIME = schema._schema.type_map["DateTime"]
moments = st.datetimes(timezones=st.sampled_from([None, UTC]), allow_imaginary=False)


@given(moments)
def test_iso_datetime__same_text_as_isoformat(moment: datetime):
    assert iso_datetime(moment) == moment.isoformat()


def test_iso_datetime__whole_seconds_and_early_years():
    for moment in (datetime(2026, 3, 1, tzinfo=UTC), datetime(1, 1, 1), datetime(999, 12, 31, 23)):
        assert iso_datetime(moment) == moment.isoformat()


japan_range = st.datetimes(
    min_value=datetime(1900, 1, 2),
    max_value=datetime(2199, 12, 30),
    timezones=st.sampled_from([None, UTC, TOKYO, timezone(timedelta(hours=-5))]),
    allow_imaginary=False,
)


@given(japan_range)
def test_japan_time__same_text_as_the_zone_rules(moment: datetime):
    instant = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    expected = instant.astimezone(TOKYO).isoformat()

    assert serialize_datetime(moment) == expected
    assert _completed_at(moment) == expected


def test_japan_time__summer_time_whole_seconds_and_the_last_years():
    for moment in (
        datetime(1950, 7, 1, 3, tzinfo=UTC),  # Japan's summer time: +10:00
        datetime(1951, 12, 31, 15, tzinfo=UTC),  # the last instant before the fixed offset
        datetime(1952, 1, 1, tzinfo=UTC),
        datetime(2026, 4, 1, 0, 30, tzinfo=UTC),
        datetime(2199, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ):
        expected = moment.astimezone(TOKYO).isoformat()
        assert serialize_datetime(moment) == expected
        assert _completed_at(moment) == expected


class _Stamp:
    def __init__(self, at: datetime) -> None:
        self.at = at


def _completed_at(moment: datetime) -> str:
    """What a generated completer writes for a DateTime field (api.prepared.completion.object_of)."""
    complete = object_of(_Stamp, [Member("at", "at", leaf(DATETIME, True))], True, "Stamp")
    return complete(_Stamp(moment))["at"]
