"""Report photos and application attachments in the bucket, served by the app with the same
access checks as from disk."""

from __future__ import annotations

import hashlib

import pytest

from tests.applications.city import City, pdf_bytes
from tests.conftest import make_settings
from tests.reports.world import World, jpeg
from tests.support.graphql import error_codes


@pytest.fixture
def settings(tmp_path, database_url, s3_env):
    env = {"PUBLIC_BASE_URL": "https://city.example.jp", "ACCESS_TOKEN_MINUTES": "1440", **s3_env}
    return make_settings(tmp_path, database_url, **env)


async def test_report_photo__stored_in_the_bucket_served_by_the_app_hidden_when_hidden(
    app, client, gql, settings, s3_server
):
    world = World(client, gql, settings)
    await world.seed()
    hanako, clerk = await world.resident(), await world.staff()

    response = await world.upload(
        hanako, [("a.jpg", jpeg((120, 90)), "image/jpeg")], lat=37.5849, lng=140.4312
    )
    assert not response.json().get("errors"), response.json()
    photo = response.json()["data"]["submitReport"]["report"]["photos"][0]
    report_id = response.json()["data"]["submitReport"]["report"]["id"]

    bucket = settings.deployment.object_store.bucket
    assert len(s3_server.keys(bucket)) == 2  # the photo and its thumbnail
    assert not (settings.media_dir / "reports").exists()
    served = await client.get(photo["url"])
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    hide = 'mutation($id: ID!) { hideReport(id: $id, hidden: true, reason: "x") { id } }'
    assert not (await gql(hide, {"id": report_id}, auth=clerk.token)).get("errors")
    assert (await client.get(photo["url"])).status_code == 404


async def test_attachment__stored_in_the_bucket_read_by_its_resident_only(
    app, client, gql, settings, s3_server
):
    city = City(client=client, gql=gql, settings=settings)
    await city.seed()
    taro, other = await city.resident(), await city.resident("他人")
    draft = await city.draft(taro, ["johkaso"], {})
    plan = pdf_bytes(50_000)

    uploaded = (await city.upload(taro, draft["id"], "johkaso.sitePlan", plan))["data"][
        "uploadAttachment"
    ]

    bucket = settings.deployment.object_store.bucket
    stored = [key for key in s3_server.keys(bucket) if "/attachments/" in key]
    assert len(stored) == 1 and stored[0].endswith(".pdf")
    own = await city.client.get(uploaded["url"])
    assert own.status_code == 200 and hashlib.sha256(own.content).hexdigest() == uploaded["sha256"]
    theirs = await city.gql.op("Application", auth=other.token, id=draft["id"])
    assert error_codes(theirs) == ["NOT_FOUND"]
    tampered = await city.client.get(uploaded["url"].replace("t=", "t=x"))
    assert tampered.status_code in (403, 404) and tampered.content != plan
