"""Which alert topics each app installation follows, kept in step with FCM.

A device follows the topics of its resident's watch areas and, when they subscribed to the
whole city, the city's, in the resident's language (notifications.channels.push.topics);
none when the resident turned push off. Anything that moves them marks the resident's devices
due (`follow_again` in notifications.channels.push.service); the worker's sync subscribes and
unsubscribes through the Instance ID API in batches per topic and records what FCM holds in
`PushTopic`. A token whose device was removed is taken off its topics before its rows go."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from accounts.models import Resident
from core import clock
from notifications.alerts.models import AlertSubscription, WatchArea
from notifications.channels.push import topics
from notifications.channels.push.models import PushDevice, PushTopic
from notifications.models import Channel
from notifications.preferences.models import NotificationPreferences

log = logging.getLogger(__name__)

SYNC_DEVICES = 500
# Instance ID's answers meaning the token is no more: its device goes.
GONE = ("NOT_FOUND", "INVALID_ARGUMENT")


class TopicClient(Protocol):
    async def subscribe(self, topic: str, tokens: Sequence[str]) -> list[str]: ...

    async def unsubscribe(self, topic: str, tokens: Sequence[str]) -> list[str]: ...


async def wanted_topics(resident_ids: Sequence[int]) -> dict[int, set[str]]:
    """The topics each resident's devices should follow."""
    wanted: dict[int, set[str]] = {rid: set() for rid in resident_ids}
    languages = dict(await Resident.filter(id__in=list(wanted)).values_list("id", "language"))
    no_push = {
        prefs.resident_id
        for prefs in await NotificationPreferences.filter(resident_id__in=list(wanted))
        if Channel.PUSH.value not in prefs.channels
    }
    for resident_id, lat, lng, radius in await WatchArea.filter(
        resident_id__in=list(wanted)
    ).values_list("resident_id", "lat", "lng", "radius_m"):
        wanted[resident_id].update(topics.area_topics(lat, lng, radius, languages[resident_id]))
    for resident_id in await AlertSubscription.filter(
        resident_id__in=list(wanted), city_wide=True
    ).values_list("resident_id", flat=True):
        wanted[resident_id].add(topics.city_topic(languages[resident_id]))
    for resident_id in no_push:
        wanted[resident_id] = set()
    return wanted


@dataclass
class _Changes:
    add: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    remove: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    device_of: dict[str, int] = field(default_factory=dict)


async def sync_due(client: TopicClient, limit: int = SYNC_DEVICES) -> int:
    """Bring up to `limit` due devices (and tokens of removed ones) in step with FCM;
    returns how many devices and tokens it handled."""
    handled = await _forget_removed(client, limit)
    devices = (
        await PushDevice.filter(topics_due__isnull=False)
        .order_by("topics_due", "id")
        .limit(limit)
        .values_list("id", "resident_id", "token", "topics_due")
    )
    if not devices:
        return handled
    changes = await _changes(devices)
    gone: set[int] = set()
    failed: set[int] = set()
    for topic, tokens in changes.add.items():
        errors = await client.subscribe(topic, tokens)
        kept = [t for t, e in zip(tokens, errors, strict=True) if not e]
        await PushTopic.bulk_create(
            [PushTopic(device_id=changes.device_of[t], token=t, topic=topic) for t in kept],
            ignore_conflicts=True,
        )
        _sort_errors(tokens, errors, changes.device_of, gone, failed)
    for topic, tokens in changes.remove.items():
        errors = await client.unsubscribe(topic, tokens)
        done = [t for t, e in zip(tokens, errors, strict=True) if not e or e in GONE]
        await PushTopic.filter(topic=topic, token__in=done).delete()
        _sort_errors(tokens, errors, changes.device_of, gone, failed)
    if gone:
        await PushDevice.filter(id__in=list(gone)).delete()
    synced = [d[0] for d in devices if d[0] not in gone and d[0] not in failed]
    latest = max(d[3] for d in devices)
    await PushDevice.filter(id__in=synced, topics_due__lte=latest).update(
        topics_due=None, topics_synced_at=clock.now()
    )
    if failed:  # to the back of the queue, tried again later
        await PushDevice.filter(id__in=list(failed)).update(topics_due=clock.now())
    return handled + len(devices)


async def _changes(devices: list[tuple]) -> _Changes:
    wanted = await wanted_topics([resident_id for _, resident_id, _, _ in devices])
    held: dict[int, set[str]] = defaultdict(set)
    for device_id, topic in await PushTopic.filter(
        device_id__in=[d[0] for d in devices]
    ).values_list("device_id", "topic"):
        held[device_id].add(topic)
    changes = _Changes()
    for device_id, resident_id, token, _ in devices:
        changes.device_of[token] = device_id
        for topic in sorted(wanted[resident_id] - held[device_id]):
            changes.add[topic].append(token)
        for topic in sorted(held[device_id] - wanted[resident_id]):
            changes.remove[topic].append(token)
    return changes


def _sort_errors(tokens, errors, device_of, gone: set[int], failed: set[int]) -> None:
    for token, error in zip(tokens, errors, strict=True):
        if error in GONE:
            gone.add(device_of[token])
        elif error:
            log.warning("instance id refused a topic change: %s", error)
            failed.add(device_of[token])


async def _forget_removed(client: TopicClient, limit: int) -> int:
    """Take the tokens of removed devices off their topics, then forget them."""
    rows = (
        await PushTopic.filter(device_id__isnull=True)
        .limit(limit)
        .values_list("id", "topic", "token")
    )
    by_topic: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row_id, topic, token in rows:
        by_topic[topic].append((row_id, token))
    for topic, entries in by_topic.items():
        errors = await client.unsubscribe(topic, [token for _, token in entries])
        done = [
            row_id for (row_id, _), e in zip(entries, errors, strict=True) if not e or e in GONE
        ]
        await PushTopic.filter(id__in=done).delete()
    return len(rows)
