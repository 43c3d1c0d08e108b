"""Bad alert input is refused with VALIDATION and the field at fault; nothing is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from notifications.alerts.models import Alert
from tests.alerts.city import ACTIVE, CREATE, alert_input
from tests.support.graphql import error_codes

CIRCLE = {"lat": 37.58, "lng": 140.43, "radiusMeters": 1000}
NOW = datetime.now(UTC)


def _area(**circle) -> list[dict]:
    return [{"description": "市内", "circles": [{**CIRCLE, **circle}]}]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"event": ""}, "event"),
        ({"event": "大" * 201}, "event"),
        ({"headline": "見出し\n二行目"}, "headline"),
        ({"headline": "x" * 501}, "headline"),
        ({"description": "本文\x00"}, "description"),
        ({"description": "あ" * 10_001}, "description"),
        ({"areas": []}, "areas"),
        ({"areas": [{"description": "名前だけ"}]}, "areas"),
        ({"areas": [{"description": "", "circles": [CIRCLE]}]}, "areas[0].description"),
        ({"areas": _area(lat=91)}, "areas[0].circles[0].lat"),
        ({"areas": _area(lng=-181)}, "areas[0].circles[0].lng"),
        ({"areas": _area(radiusMeters=0)}, "areas[0].circles[0].radiusMeters"),
        ({"areas": _area(radiusMeters=1e9)}, "areas[0].circles[0].radiusMeters"),
        (
            {"areas": [{"description": "線", "polygons": [[{"lat": 37.5, "lng": 140.4}] * 2]}]},
            "areas[0].polygons[0]",
        ),
        ({"areas": [{"description": "多", "circles": [CIRCLE] * 51}]}, "areas"),
        ({"areas": [{"description": f"{i}", "circles": [CIRCLE]} for i in range(21)]}, "areas"),
        ({"expires": (NOW - timedelta(minutes=1)).isoformat()}, "expires"),
        (
            {
                "effective": (NOW + timedelta(hours=3)).isoformat(),
                "expires": (NOW + timedelta(hours=2)).isoformat(),
            },
            "expires",
        ),
        ({"msgType": "UPDATE"}, "msgType"),
        ({"msgType": "CANCEL"}, "msgType"),
    ],
)
async def test_create_alert__bad_input(city, overrides, field):
    staff = await city.crisis_staff()
    body = await city.gql(CREATE, {"input": alert_input(**overrides)}, auth=staff.token)
    assert error_codes(body) == ["VALIDATION"], body
    assert body["errors"][0]["extensions"]["field"] == field
    assert await Alert.all().count() == 0


@pytest.mark.parametrize(
    "overrides",
    [{"severity": "TERRIBLE"}, {"hazard": "ZOMBIES"}, {"areas": "everywhere"}, {"event": 42}],
)
async def test_create_alert__wrong_types(city, overrides):
    staff = await city.crisis_staff()
    body = await city.gql(CREATE, {"input": alert_input(**overrides)}, auth=staff.token)
    assert error_codes(body) == ["BAD_QUERY"], body


@pytest.mark.parametrize(("lat", "lng", "field"), [(95, 140, "point.lat"), (37, 200, "point.lng")])
async def test_active_alerts__bad_point(city, lat, lng, field):
    body = await city.gql(ACTIVE, {"lat": lat, "lng": lng})
    assert error_codes(body) == ["VALIDATION"]
    assert body["errors"][0]["extensions"]["field"] == field
