"""watch-jma against a local HTTP server serving JMA's real Atom feeds and the real telegrams:
conditional requests, each entry imported once, failed fetches tried again."""

from __future__ import annotations

import hashlib
from collections import Counter
from email.utils import formatdate

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from notifications.alerts.jma_feed import READ_TITLES, entries_of, poll_once
from notifications.alerts.models import Alert, JmaFeedEntry
from tests.alerts.samples import JMA_DIR, JMA_FILES, needs_samples
from tests.support.server import serving

pytestmark = needs_samples
JMA_DATA = "https://www.data.jma.go.jp/developer/xml/data/"
EQVOL = JMA_DIR / "feeds" / "eqvol.20240101T205323JST.xml"
EXTRA = JMA_DIR / "feeds" / "extra_l.20220714T164107JST.xml"


def _title(name: str) -> str:
    text = (JMA_DIR / name).read_text(encoding="utf-8")
    return text.split("<Title>", 1)[1].split("</Title>", 1)[0]


def sample_feed(base: str, names: list[str]) -> bytes:
    """An Atom feed in JMA's layout listing the sample telegrams, newest first."""
    entries = "".join(
        f"<entry><title>{_title(n)}</title><id>{JMA_DATA}{n}</id>"
        f"<updated>2024-01-01T00:00:00Z</updated><author><name>気象庁</name></author>"
        f'<link type="application/xml" href="{base}/data/{n}"/>'
        f'<content type="text">{n}</content></entry>'
        for n in reversed(names)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'lang="ja"><title>高頻度（随時）</title><id>test</id>'
        f"<updated>2024-01-01T00:00:00Z</updated>{entries}</feed>"
    ).encode()


class FakeJma:
    """JMA's feed server as far as the watcher sees it: ETag, Last-Modified, 304."""

    def __init__(self) -> None:
        self.base = ""
        self.listed = [n for n in JMA_FILES]
        self.fetched: Counter[str] = Counter()
        self.feed_requests: list[dict[str, str]] = []

    def feed_bytes(self, name: str) -> bytes:
        if name == "samples.xml":
            return sample_feed(self.base, self.listed)
        return EQVOL.read_bytes().replace(JMA_DATA.encode(), f"{self.base}/data/".encode())

    async def feed(self, request: Request) -> Response:
        self.feed_requests.append(dict(request.headers))
        body = self.feed_bytes(request.path_params["name"])
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"etag": etag})
        headers = {"etag": etag, "last-modified": formatdate(usegmt=True)}
        return Response(body, media_type="application/atom+xml", headers=headers)

    async def telegram(self, request: Request) -> Response:
        name = request.path_params["name"]
        self.fetched[name] += 1
        path = JMA_DIR / name
        if name not in JMA_FILES:
            return Response("not found", status_code=404)
        return Response(path.read_bytes(), media_type="application/xml")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/feed/{name}", self.feed),
                Route("/data/{name}", self.telegram),
            ]
        )


@pytest.fixture
async def jma():
    fake = FakeJma()
    async with serving(fake.app()) as base:
        fake.base = base
        yield fake


async def test_samples_feed__each_entry_once_then_304(app, settings, jma):
    jma.listed = JMA_FILES[:-1]
    url = f"{jma.base}/feed/samples.xml"
    async with httpx.AsyncClient() as http:
        first = await poll_once(url, settings, http)
        assert first.entries == first.wanted == len(JMA_FILES) - 1
        assert len(first.imported) == len(JMA_FILES) - 1 and not first.failed
        second = await poll_once(url, settings, http)
        assert second.not_modified
        assert jma.feed_requests[-1]["if-none-match"].startswith('"')
        assert "if-modified-since" in jma.feed_requests[-1]
        jma.listed = JMA_FILES  # one more entry appears
        third = await poll_once(url, settings, http)
    assert third.imported == [JMA_DATA + JMA_FILES[-1]]
    assert set(jma.fetched.values()) == {1}
    assert await JmaFeedEntry.all().count() == len(JMA_FILES)
    # 二本松市's settings: the earthquake is its only part (震度速報, then its city detail)
    [alert] = await Alert.all()
    assert alert.areas[0]["description"] == "二本松市" and alert.event == "地震（震度2）"


async def test_real_eqvol_feed__telegrams_missing_are_tried_again(app, settings, jma):
    url = f"{jma.base}/feed/eqvol.xml"
    async with httpx.AsyncClient() as http:
        first = await poll_once(url, settings, http)
        assert first.entries == 169
        assert first.wanted == 60 + 31 + 3  # VXSE53, VXSE51, VTSE41
        assert len(first.failed) == first.wanted and not first.imported
        second = await poll_once(url, settings, http)
    assert not second.not_modified and len(second.failed) == first.wanted
    assert "if-none-match" not in jma.feed_requests[-1]
    assert await JmaFeedEntry.all().count() == 0


def test_real_extra_feed__entries_and_kinds_read():
    entries = entries_of(EXTRA.read_bytes())
    assert len(entries) == 3647
    titles = Counter(e.title for e in entries if e.title in READ_TITLES)
    assert titles["気象警報・注意報（Ｈ２７）"] == 1518
    assert titles["土砂災害警戒情報"] == 85 and titles["指定河川洪水予報"] == 19
    assert entries[0].link.startswith(JMA_DATA)
