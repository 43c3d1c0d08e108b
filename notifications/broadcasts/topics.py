"""An alert's push by topic: one message per language and condition (five area topics), not
one per device; each a row with the ledger's rules (claim with a lease, retry with backoff).

The devices that follow one of a broadcast's topics get no push row of their own at the
fan-out (`covered`); a device that does not follow them yet (its topics not synced) keeps its
own row. Every push of a broadcast carries the broadcast's collapse key, so a device reached
twice (in two conditions, or by topic and by token, or sent again after a crash) shows it
once. FCM tells nothing about the devices of a topic message: `alertDelivery` counts for
push the devices that followed its topics when it was written."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from tortoise import connections
from tortoise.expressions import F, Q

from core import clock
from core.observability import count_topic_message
from notifications.actions import push_data_for
from notifications.broadcasts.models import Broadcast
from notifications.channels import Outgoing, Rejected, RetryLater, TemporaryFailure
from notifications.channels.push import topics as push_topics
from notifications.channels.push.models import PushTopic, TopicMessage
from notifications.ledger import MAX_ATTEMPTS, backoff
from notifications.models import Lane, LedgerStatus
from notifications.templates import TemplateError, render_text

KIND = "alert"
_TOPIC_NAME = re.compile(r"^[A-Za-z0-9_.~%-]{1,100}$")


async def write_topic_messages(
    broadcast_id: int, topics_by_language: dict[str, list[str]], now: datetime
) -> int:
    """The broadcast's condition messages (again for the same broadcast: none added)."""
    rows = []
    for language, names in topics_by_language.items():
        earlier: list[str] = []
        for group in push_topics.conditions(names):
            rows.append(
                TopicMessage(
                    broadcast_id=broadcast_id,
                    language=language,
                    condition=push_topics.condition_text(group),
                    topics=group,
                    devices=await _devices(group, earlier),
                    next_attempt_at=now,
                )
            )
            earlier += group
    await TopicMessage.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


async def _devices(group: Sequence[str], earlier: Sequence[str]) -> int:
    """Devices following a topic of `group` and none of `earlier` (counted there)."""
    if not all(_TOPIC_NAME.match(name) for name in (*group, *earlier)):
        raise ValueError("not a topic name")
    table = PushTopic._meta.db_table

    def listed(names: Sequence[str]) -> str:
        return ", ".join(f"'{name}'" for name in names)

    # NOT EXISTS, not NOT IN: PostgreSQL turns a NOT IN over a large subquery into a rescan
    # per row; this is an index lookup per row on (device_id, topic).
    sql = (
        f"SELECT COUNT(DISTINCT p.device_id) AS n FROM {table} p "
        f"WHERE p.device_id IS NOT NULL AND p.topic IN ({listed(group)})"
    )
    if earlier:
        sql += (
            f" AND NOT EXISTS (SELECT 1 FROM {table} q WHERE q.device_id = p.device_id "
            f"AND q.topic IN ({listed(earlier)}))"
        )
    rows = await connections.get("default").execute_query_dict(sql)
    return int(rows[0]["n"] or 0)


async def covered(broadcast_ids: Sequence[int], tokens: Sequence[str]) -> dict[int, set[str]]:
    """Per broadcast, the tokens among `tokens` that its topic messages reach."""
    found: dict[int, set[str]] = {}
    if not tokens:
        return found
    for broadcast_id, names in await TopicMessage.filter(
        broadcast_id__in=list(broadcast_ids)
    ).values_list("broadcast_id", "topics"):
        found.setdefault(broadcast_id, set()).update(names)
    for broadcast_id, names in list(found.items()):
        found[broadcast_id] = set(
            await PushTopic.filter(
                token__in=list(tokens), topic__in=sorted(names), device_id__isnull=False
            ).values_list("token", flat=True)
        )
    return found


async def claim_due(now: datetime, limit: int, lease: timedelta) -> list[TopicMessage]:
    """Rows due, and rows whose sender vanished mid-send (sent again: the collapse key
    makes a repeat show once)."""
    if limit <= 0:
        return []
    due = Q(next_attempt_at__lte=now) | Q(status=LedgerStatus.SENDING, lease_until__lt=now)
    ids = await TopicMessage.filter(due).order_by("id").limit(limit).values_list("id", flat=True)
    if not ids:
        return []
    token = uuid.uuid4().hex
    await TopicMessage.filter(due, id__in=list(ids)).update(
        status=LedgerStatus.SENDING,
        next_attempt_at=None,
        lease_until=now + lease,
        claim_token=token,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    return await TopicMessage.filter(claim_token=token).order_by("id")


async def outgoing(row: TopicMessage, broadcasts: dict[int, Broadcast]) -> Outgoing:
    broadcast = broadcasts.get(row.broadcast_id) or await Broadcast.get(id=row.broadcast_id)
    broadcasts[row.broadcast_id] = broadcast
    text = render_text(
        broadcast.message_key,
        broadcast.params,
        row.language,
        kind=KIND,
        exercise=broadcast.exercise,
    )
    data = {"kind": KIND, "language": row.language, "collapseKey": collapse_key(broadcast.id)}
    data |= push_data_for(KIND, broadcast.message_key, broadcast.params, row.language)
    return Outgoing(
        delivery_id=-row.id,
        address=row.condition,
        title=text.title,
        body=text.body,
        lane=Lane.ALERT,
        data=data,
    )


def collapse_key(broadcast_id: int) -> str:
    return f"alert-{broadcast_id}"


async def record(row: TopicMessage, outcome: BaseException | None) -> None:
    now = clock.now()
    changes: dict = {"lease_until": None, "updated_at": now}
    if outcome is None:
        changes |= {"status": LedgerStatus.DELIVERED, "delivered_at": now, "last_error": ""}
    elif isinstance(outcome, Rejected | TemplateError):
        changes |= {"status": LedgerStatus.PERMANENT_FAILURE, "last_error": str(outcome)[:500]}
    else:  # sending a push again is safe: its collapse key shows it once
        wait = (
            timedelta(seconds=outcome.retry_after)
            if isinstance(outcome, RetryLater)
            else backoff(row.attempts)
        )
        retry = row.attempts < MAX_ATTEMPTS
        changes |= {
            "status": LedgerStatus.TEMPORARY_FAILURE,
            "next_attempt_at": now + wait if retry else None,
            "last_error": _error(outcome)[:500],
        }
    if await TopicMessage.filter(id=row.id, claim_token=row.claim_token).update(**changes):
        count_topic_message(LedgerStatus(changes["status"]).value, row.devices)


def _error(outcome: BaseException) -> str:
    if isinstance(outcome, RetryLater | TemporaryFailure):
        return str(outcome)
    return f"{type(outcome).__name__}: {outcome}"


_SENT = (LedgerStatus.SENDING, LedgerStatus.DELIVERED)
_FAILED = (LedgerStatus.PERMANENT_FAILURE, LedgerStatus.TECHNICAL_FAILURE)


async def device_counts(broadcast_id: int) -> dict[str, int]:
    """targeted / sent / delivered / failed devices of the broadcast's topic messages."""
    counts = {"targeted": 0, "sent": 0, "delivered": 0, "failed": 0, "unknown": 0}
    for status, devices, due in await TopicMessage.filter(broadcast_id=broadcast_id).values_list(
        "status", "devices", "next_attempt_at"
    ):
        status = LedgerStatus(status)
        counts["targeted"] += devices
        counts["sent"] += devices if status in _SENT else 0
        counts["delivered"] += devices if status == LedgerStatus.DELIVERED else 0
        gave_up = status == LedgerStatus.TEMPORARY_FAILURE and due is None
        counts["failed"] += devices if status in _FAILED or gave_up else 0
    return counts
