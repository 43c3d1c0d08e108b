"""The completers' shortcuts give exactly what the scalars they stand for give."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from api.completion import iso_datetime

moments = st.datetimes(timezones=st.sampled_from([None, UTC]), allow_imaginary=False)


@given(moments)
def test_iso_datetime__same_text_as_isoformat(moment: datetime):
    assert iso_datetime(moment) == moment.isoformat()


def test_iso_datetime__whole_seconds_and_early_years():
    for moment in (datetime(2026, 3, 1, tzinfo=UTC), datetime(1, 1, 1), datetime(999, 12, 31, 23)):
        assert iso_datetime(moment) == moment.isoformat()
