"""Watches JMA's Atom feeds (extra.xml, eqvol.xml) and imports each new telegram once.

Each poll sends If-None-Match / If-Modified-Since from the last answer (304: nothing to do),
reads the entries oldest first, keeps those whose title is a kind notifications.alerts.jma
reads, and imports each entry's telegram; the entry id is then remembered, so the next poll,
a restart, or another feed listing it never imports it again. A telegram that cannot be
fetched is tried again at the next poll.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import httpx

from core import clock
from core.settings import Settings
from notifications.alerts.importing import ImportRefused, import_document
from notifications.alerts.models import JmaFeed, JmaFeedEntry
from notifications.alerts.sources import SourceError, fetch
from notifications.alerts.xmlin import XmlRefused, parse_xml

log = logging.getLogger(__name__)

ATOM = "{http://www.w3.org/2005/Atom}"
MAX_FEED_BYTES = 20_000_000
# Control/Title of the telegrams read (VPWW53 repeats VPWW54 in the older layout: skipped).
READ_TITLES = frozenset(
    {
        "気象警報・注意報（Ｈ２７）",
        "土砂災害警戒情報",
        "指定河川洪水予報",
        "津波警報・注意報・予報a",
        "震度速報",
        "震源・震度に関する情報",
    }
)


@dataclass
class Entry:
    entry_id: str
    title: str
    link: str


@dataclass
class PollResult:
    not_modified: bool = False
    entries: int = 0
    wanted: int = 0
    imported: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def entries_of(data: bytes) -> list[Entry]:
    """The feed's entries, oldest first (JMA lists the newest first)."""
    root = parse_xml(data, MAX_FEED_BYTES)
    if root.tag != f"{ATOM}feed":
        raise XmlRefused(f"not an Atom feed (root {root.tag!r})")
    found = []
    for entry in root.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        found.append(
            Entry(
                entry_id=(entry.findtext(f"{ATOM}id") or "").strip(),
                title=(entry.findtext(f"{ATOM}title") or "").strip(),
                link=(link.get("href", "") if link is not None else "").strip(),
            )
        )
    return found[::-1]


async def _get_feed(http: httpx.AsyncClient, feed: JmaFeed) -> httpx.Response:
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return await http.get(feed.url, headers=headers)


async def poll_once(url: str, settings: Settings, http: httpx.AsyncClient) -> PollResult:
    feed, _ = await JmaFeed.get_or_create(url=url)
    response = await _get_feed(http, feed)
    feed.checked_at = clock.now()
    if response.status_code == 304:
        await feed.save(update_fields=["checked_at"])
        return PollResult(not_modified=True)
    if response.status_code != 200:
        raise SourceError(f"{url}: HTTP {response.status_code}")
    entries = entries_of(response.content)
    result = PollResult(entries=len(entries))
    wanted = [e for e in entries if e.title in READ_TITLES and e.entry_id and e.link]
    result.wanted = len(wanted)
    done = set(
        await JmaFeedEntry.filter(entry_id__in=[e.entry_id for e in wanted]).values_list(
            "entry_id", flat=True
        )
    )
    for entry in wanted:
        if entry.entry_id not in done:
            await _take(entry, settings, http, result)
    if not result.failed:  # else the next poll must not be answered 304: it has work left
        feed.etag = response.headers.get("etag", "")
        feed.last_modified = response.headers.get("last-modified", "")
    await feed.save()
    return result


async def _take(
    entry: Entry, settings: Settings, http: httpx.AsyncClient, result: PollResult
) -> None:
    try:
        imported = await import_document(await fetch(entry.link, http), settings)
    except SourceError as error:
        log.warning("JMA telegram not fetched, will try again: %s", error)
        result.failed.append(entry.entry_id)
        return
    except ImportRefused as error:
        log.warning("JMA telegram %s refused: %s", entry.entry_id, error)
        await JmaFeedEntry.get_or_create(entry_id=entry.entry_id, defaults={"outcome": "refused"})
        return
    await JmaFeedEntry.get_or_create(
        entry_id=entry.entry_id, defaults={"outcome": imported.outcome.value}
    )
    result.imported.append(entry.entry_id)


async def watch(
    urls: list[str], settings: Settings, *, interval: float, once: bool, report
) -> None:
    """Poll the feeds every `interval` seconds (once: a single round)."""
    import asyncio

    async with httpx.AsyncClient(timeout=httpx.Timeout(20.0), follow_redirects=True) as http:
        while True:
            for url in urls:
                try:
                    result = await poll_once(url, settings, http)
                except (SourceError, XmlRefused, httpx.HTTPError) as error:
                    report(f"{url}: {error}")
                    continue
                report(_summary(url, result))
            if once:
                return
            await asyncio.sleep(interval)


def _summary(url: str, result: PollResult) -> str:
    if result.not_modified:
        return f"{url}: not modified"
    return (
        f"{url}: {result.entries} entries, {result.wanted} of kinds read, "
        f"{len(result.imported)} imported, {len(result.failed)} to retry"
    )
