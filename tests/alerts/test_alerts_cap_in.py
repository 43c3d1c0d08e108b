"""CAP in: every real CAP 1.2 sample imports as it is; CAP out of it validates; bad ones are
refused with the reason; the same message again changes nothing; a Cancel cancels."""

from __future__ import annotations

import pytest

from notifications.alerts import cap
from notifications.alerts.importing import ImportRefused, Outcome, import_document
from notifications.alerts.models import Alert, AlertMessage
from tests.alerts.samples import CAP_FILES, cap_file, cap_schema, needs_samples

pytestmark = needs_samples
NEVADA_CANCEL = "us_ipaws_nevada_2019-04-19_cancel.xml"


@pytest.mark.parametrize("name", [n for n in CAP_FILES if n != NEVADA_CANCEL])
async def test_sample__imports_and_comes_out_valid(app, settings, client, name):
    imported = await import_document(cap_file(name), settings)
    assert imported.outcome == Outcome.CREATED
    alert = imported.alert
    source = cap.parse(cap_file(name))
    assert (alert.identifier, alert.sender) == (source.identifier, source.sender)
    assert alert.event == source.content.event and alert.areas == source.content.areas
    response = await client.get(f"/alerts/{alert.public_id}.cap.xml")
    cap_schema().validate(response.content)
    again = await import_document(cap_file(name), settings)
    assert again.outcome == Outcome.UNCHANGED
    assert await Alert.all().count() == 1 and await AlertMessage.all().count() == 1


async def test_circle_sample__radius_in_km_becomes_metres(app, settings):
    imported = await import_document(cap_file("au_nsw-rfs_2011-10-05_fire_circle.xml"), settings)
    circles = [c for a in imported.alert.areas for c in a["circles"]]
    assert circles[0] == {"lat": -35.3888, "lng": 147.0598, "radiusMeters": 25_000.0}
    assert len(imported.alert.areas) == 2  # two <info> blocks, two geocodes for one circle
    assert imported.alert.hazard == "large_fire"


async def test_two_languages__english_first_icelandic_kept(app, settings, gql):
    imported = await import_document(cap_file("is_imo_2021-09-10_wind_is-IS+en-US.xml"), settings)
    alert = imported.alert
    assert alert.language == "en-US" and alert.event == "Weather Warning: Wind"
    assert alert.translations["is-IS"]["event"] == "Veðurviðvörun: Vindur"
    assert len(alert.areas) == 2 and alert.areas[0]["polygons"]


async def test_chinese_with_bom__geocode_only(app, settings):
    imported = await import_document(
        cap_file("tw_wra_2014-05-14_reservoir-release_zh-tw.xml"), settings
    )
    alert = imported.alert
    assert alert.event == "水庫洩洪" and alert.headline == "明德水庫:洩洪中"
    assert alert.areas[0]["geocodes"] and alert.min_lat is None


async def test_update_with_unknown_references__a_new_alert_that_remembers_them(app, settings):
    name = "us_nws-lake-charles_2020-08-26_hurricane-warning_update_2polygons.xml"
    imported = await import_document(cap_file(name), settings)
    assert imported.alert.msg_type == "Update"
    assert len(imported.alert.references.split()) == 8
    assert len(imported.alert.areas[0]["polygons"]) == 2


async def test_cancel__of_an_alert_we_do_not_have__changes_nothing(app, settings):
    imported = await import_document(cap_file(NEVADA_CANCEL), settings)
    assert imported.outcome == Outcome.IGNORED and await Alert.all().count() == 0


async def test_cancel__cancels_the_referenced_alert(app, settings):
    original = CAP_ALERT.format(
        sender="bbrundage@dps.state.nv.us",
        identifier="AS-NV-e18921c7-1b35-4a81-9705-42d25c265ddd",
        sent="2019-04-18T12:02:32-06:00",
    )
    created = await import_document(original.encode(), settings)
    assert created.outcome == Outcome.CREATED
    cancelled = await import_document(cap_file(NEVADA_CANCEL), settings)
    assert cancelled.outcome == Outcome.CANCELLED
    alert = await Alert.get(id=created.alert.id)
    assert alert.msg_type == "Cancel" and alert.cancelled_at is not None
    assert alert.references == (
        "bbrundage@dps.state.nv.us,AS-NV-e18921c7-1b35-4a81-9705-42d25c265ddd,"
        "2019-04-18T12:02:32-06:00"
    )
    assert (await import_document(cap_file(NEVADA_CANCEL), settings)).outcome == Outcome.UNCHANGED


CAP_ALERT = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier><sender>{sender}</sender><sent>{sent}</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><category>Safety</category><event>Test event</event><urgency>Immediate</urgency>
    <severity>Severe</severity><certainty>Observed</certainty>
    <area><areaDesc>Somewhere</areaDesc><circle>39.5,-119.8 5</circle></area></info>
</alert>"""


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"<alert>", "not well-formed"),
        (b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.1'/>", "neither"),
        (
            (
                b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]>'
                b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&x;</alert>'
            ),
            "unsafe",
        ),
        (
            CAP_ALERT.format(
                identifier="a b", sender="s", sent="2024-01-01T00:00:00+09:00"
            ).encode(),
            "<identifier>",
        ),
        (
            CAP_ALERT.format(identifier="a", sender="s", sent="2024-01-01T00:00:00Z").encode(),
            "<sent>",
        ),
        (
            CAP_ALERT.format(identifier="a", sender="s", sent="x")
            .replace("Severe", "Awful")
            .encode(),
            "<sent>",
        ),
        (
            CAP_ALERT.format(identifier="a", sender="s", sent="2024-01-01T00:00:00+09:00")
            .replace("Severe", "Awful")
            .encode(),
            "<severity>",
        ),
        (
            CAP_ALERT.format(identifier="a", sender="s", sent="2024-01-01T00:00:00+09:00")
            .replace("39.5,-119.8 5", "95,0 5")
            .encode(),
            "<circle>",
        ),
        (
            CAP_ALERT.format(identifier="a", sender="s", sent="2024-01-01T00:00:00+09:00")
            .replace("<circle>39.5,-119.8 5</circle>", "<polygon>1,1 2,2 1,1</polygon>")
            .encode(),
            "<polygon>",
        ),
        (
            CAP_ALERT.format(identifier="a", sender="s", sent="2024-01-01T00:00:00+09:00")
            .replace("<msgType>Alert", "<msgType>Ack")
            .encode(),
            "Ack",
        ),
        (
            CAP_ALERT.format(identifier="a", sender="s", sent="2024-01-01T00:00:00+09:00")
            .replace("<event>Test event</event>", "")
            .encode(),
            "<event>",
        ),
        (b"x" * 10_000_001, "larger"),
    ],
)
async def test_invalid__refused_with_the_reason(app, settings, document, reason):
    with pytest.raises(ImportRefused) as refused:
        await import_document(document, settings)
    assert reason in str(refused.value)
    assert await Alert.all().count() == 0
