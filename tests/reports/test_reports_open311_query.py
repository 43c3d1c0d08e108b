from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reports.map.bbox import BBox
from reports.open311.query import (
    DATE_WINDOW,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    RequestsQuery,
    parse_requests_query,
    parse_requests_query_string,
)
from reports.validation import ValidationFailed
from reports.workflow import CLOSED_STATUSES, OPEN_STATUSES, Status

NOW = datetime(2025, 6, 30, 3, 0, tzinfo=UTC)


def query(text: str) -> RequestsQuery:
    return parse_requests_query_string(text, now=NOW)


def errors_of(text: str) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        query(text)
    return caught.value.fields


def test_no_parameters__last_90_days_all_statuses_first_page():
    result = query("")

    assert result.start == NOW - timedelta(days=90) and result.end == NOW
    assert result.statuses == set(Status)
    assert (result.page, result.page_size, result.offset, result.limit) == (
        1,
        DEFAULT_PAGE_SIZE,
        0,
        1000,
    )
    assert result.service_codes == () and result.bbox is None


def test_spec_sample_url__parsed():
    result = query(
        "start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open&jurisdiction_id=city.gov"
    )

    assert result.start == datetime(2010, 5, 24, tzinfo=UTC)
    assert result.end == datetime(2010, 6, 24, tzinfo=UTC)
    assert result.statuses == OPEN_STATUSES
    assert result.jurisdiction_id == "city.gov"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", OPEN_STATUSES),
        ("closed", CLOSED_STATUSES),
        ("open,closed", set(Status)),
        ("OPEN", OPEN_STATUSES),
    ],
)
def test_status__open_and_closed_map_to_internal_statuses(status, expected):
    assert query(f"status={status}").statuses == expected


def test_status__repeated_parameter_same_as_comma_list():
    assert query("status=open&status=closed").statuses == set(Status)


@pytest.mark.parametrize("status", ["in_progress", "resolved", "pending", "open;closed"])
def test_status__anything_else_refused(status):
    assert errors_of(f"status={status}") == {"status": "STATUS_INVALID"}


def test_service_code__comma_list_trimmed_and_deduplicated():
    assert query("service_code=001, 002,,001&service_code=003").service_codes == (
        "001",
        "002",
        "003",
    )


def test_service_request_id__overrides_every_other_filter():
    result = query(
        "service_request_id=R-1,R-2&status=closed&service_code=x&start_date=2010-01-01T00:00:00Z&page=3"
    )

    assert result.service_request_ids == ("R-1", "R-2")
    assert result.start is None and result.end is None
    assert result.statuses == set(Status) and result.service_codes == () and result.page == 1


def test_service_request_id__too_many_refused():
    ids = ",".join(f"R-{index}" for index in range(101))

    assert errors_of(f"service_request_id={ids}") == {"service_request_id": "TOO_MANY_VALUES"}


def test_service_request_id__overlong_value_refused():
    assert errors_of("service_request_id=" + "x" * 101) == {"service_request_id": "FIELD_TOO_LONG"}


# --- dates -------------------------------------------------------------------------------------


def test_start_only__window_of_90_days_from_it():
    result = query("start_date=2025-04-01T00:00:00%2B09:00")

    assert result.start == datetime(2025, 3, 31, 15, tzinfo=UTC)
    assert result.end == result.start + DATE_WINDOW


def test_end_only__window_of_90_days_up_to_it():
    result = query("end_date=2025-04-01T00:00:00Z")

    assert result.end - result.start == DATE_WINDOW


def test_exactly_90_days__accepted():
    result = query("start_date=2025-01-01T00:00:00Z&end_date=2025-04-01T00:00:00Z")

    assert result.end - result.start == timedelta(days=90)


def test_more_than_90_days__refused():
    assert errors_of("start_date=2025-01-01T00:00:00Z&end_date=2025-04-01T00:00:01Z") == {
        "end_date": "DATE_RANGE_TOO_LONG"
    }


def test_end_before_start__refused():
    assert errors_of("start_date=2025-04-02T00:00:00Z&end_date=2025-04-01T00:00:00Z") == {
        "end_date": "DATE_RANGE_REVERSED"
    }


def test_bare_date__midnight_tokyo():
    assert query("start_date=2025-04-01").start == datetime(2025, 3, 31, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("start_date=2025-04-01T00:00:00", {"start_date": "DATETIME_NEEDS_TIMEZONE"}),
        ("end_date=last+week", {"end_date": "DATETIME_INVALID"}),
        ("start_date=2025-02-30T00:00:00Z", {"start_date": "DATETIME_INVALID"}),
        (
            "start_date=2025-04-01T00:00:00Z&start_date=2025-04-02T00:00:00Z",
            {"start_date": "FIELD_DUPLICATED"},
        ),
    ],
)
def test_bad_dates__named(text, expected):
    assert errors_of(text) == expected


def test_unencoded_plus_in_offset__read_as_the_offset_it_was_meant_to_be():
    assert query("start_date=2025-04-01T00:00:00+09:00").start == datetime(
        2025, 3, 31, 15, tzinfo=UTC
    )


# --- pagination and bbox ----------------------------------------------------------------------


def test_page_and_page_size__offset_and_limit():
    result = query("page=3&page_size=50")

    assert (result.page, result.page_size, result.offset, result.limit) == (3, 50, 100, 50)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("page=0", {"page": "FIELD_OUT_OF_RANGE"}),
        ("page=-1", {"page": "FIELD_NOT_AN_INTEGER"}),
        ("page=1.5", {"page": "FIELD_NOT_AN_INTEGER"}),
        ("page=%EF%BC%92", {"page": "FIELD_NOT_AN_INTEGER"}),  # full-width 2
        (f"page_size={MAX_PAGE_SIZE + 1}", {"page_size": "FIELD_OUT_OF_RANGE"}),
        ("page_size=0", {"page_size": "FIELD_OUT_OF_RANGE"}),
        ("page_size=ten", {"page_size": "FIELD_NOT_AN_INTEGER"}),
    ],
)
def test_bad_pagination__named(text, expected):
    assert errors_of(text) == expected


def test_bbox__parsed():
    assert query("bbox=140.0,35.5,140.3,35.8").bbox == BBox(140.0, 35.5, 140.3, 35.8)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("140,35,141", "BBOX_INVALID"),
        ("140,95,141,96", "BBOX_OUT_OF_RANGE"),
        ("141,35,140,36", "BBOX_REVERSED"),
    ],
)
def test_bbox__bad_values_named(value, code):
    assert errors_of(f"bbox={value}") == {"bbox": code}


def test_several_errors__reported_together():
    assert errors_of("status=pending&page=x&bbox=1,2&start_date=soon") == {
        "status": "STATUS_INVALID",
        "start_date": "DATETIME_INVALID",
        "page": "FIELD_NOT_AN_INTEGER",
        "bbox": "BBOX_INVALID",
    }


def test_empty_parameters__count_as_not_sent():
    assert query("status=&service_code=&page=&bbox=") == query("")


def test_pairs_interface__same_as_query_string():
    pairs = [("status", "closed"), ("service_code", "a,b"), ("page_size", "10")]

    assert parse_requests_query(pairs, now=NOW) == query(
        "status=closed&service_code=a,b&page_size=10"
    )


def test_naive_now__refused():
    with pytest.raises(ValueError):
        parse_requests_query([], now=datetime(2025, 6, 30))


def test_too_many_fields__refused():
    assert errors_of("&".join(["status=open"] * 51)) == {"request": "TOO_MANY_FIELDS"}
