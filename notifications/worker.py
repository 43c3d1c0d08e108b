"""Delivers the ledger: one loop per channel, each at its own rate, alerts first.

Each round takes as many rows as the channel's rate allows right now (at most a batch),
claims them, sends them at once and records each outcome. Broadcasts are fanned out into
ledger rows ahead of everything; leases that ran out are swept. Runs in the app's lifespan
on every instance: claims in the database keep instances apart."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from core import clock, rate_limits
from core.foreground import Foreground, in_turn, metered
from core.observability import register_queue
from core.settings.delivery import DeliverySettings
from notifications import ledger
from notifications.actions import Rows, actions_for, push_data_for
from notifications.alerts import push_topics
from notifications.broadcasts import topics as topic_messages
from notifications.broadcasts.fanout import fan_out_once
from notifications.broadcasts.topics import collapse_key
from notifications.channels import (
    AddressGone,
    Outgoing,
    Rejected,
    RetryLater,
    Sender,
    TemporaryFailure,
)
from notifications.in_flight import GROUP, InFlightGate
from notifications.ledger import Claimed
from notifications.models import Channel, Lane, LedgerStatus
from notifications.service import rendered
from notifications.templates import TemplateError

log = logging.getLogger(__name__)

__all__ = ["OutboxWorker", "RetryLater"]

LANES = (Lane.ALERT, Lane.STATUS)
# A claim is short-lived (its rows go in flight within the round), so a dead worker's
# unsent rows are taken over soon; an in-flight row keeps the full lease.
CLAIM_LEASE = timedelta(seconds=30)
TOPIC_ROUND = 50  # condition messages claimed at once (an alert has a few dozen)
# A full round takes a fifth of a second's rate (at least SMALLEST_ROUND) and the next waits
# its share of the second: the sends spread over the second instead of leaving in one burst,
# so a round that reaches the provider late (a busy event loop) does not meet the next one
# inside the provider's one-second window (Telegram answers that with 429s).
ROUNDS_A_SECOND = 5
SMALLEST_ROUND = 5
CATCH_UP_SECONDS = 0.1  # how far a late round may make up on the schedule
PAUSE_AFTER_429S = 3

register_queue("outbox", ledger.status_queue)
register_queue("broadcast", ledger.alert_queue)


@dataclass
class Round:
    delivered: int = 0
    worked: bool = False
    wait: float = 0.0  # seconds until the rate allows more, when it stopped the round


class ChannelLoop:
    """Rounds of one channel: rate, claim, send, record."""

    def __init__(self, sender: Sender, local: MovingWindowRateLimiter, lease: timedelta) -> None:
        self.sender = sender
        self.local = local
        self.lease = lease
        self.paused_until = 0.0
        self.next_round_at = 0.0
        self._429s: list[float] = []

    @property
    def limiter(self) -> MovingWindowRateLimiter:
        """The channel's pace is the provider's, whatever the number of instances sending:
        counted in Redis when they share one, else in this process."""
        return rate_limits.shared_moving_window() or self.local

    @property
    def channel(self) -> Channel:
        return self.sender.channel

    async def budget(self, lane: Lane) -> tuple[int, float]:
        """How many may go now in this lane, and else how long until one may."""
        pause = max(self.paused_until, self.next_round_at) - time.time()
        if pause > 0:
            return 0, pause
        rate = self.sender.rate_per_second(lane)
        item, key = RateLimitItemPerSecond(rate, 1), f"{self.channel.value}:{rate}"
        stats = await self.limiter.get_window_stats(item, key)
        if stats.remaining > 0:
            per_round = max(SMALLEST_ROUND, math.ceil(rate / ROUNDS_A_SECOND))
            return min(stats.remaining, self.sender.batch_size, per_round), 0.0
        return 0, max(0.01, stats.reset_time - time.time())

    def _pace(self, lane: Lane, count: int) -> None:
        """A full round: the next one starts when the rate has room for it again."""
        rate = self.sender.rate_per_second(lane)
        start = max(self.next_round_at, time.time() - CATCH_UP_SECONDS)
        self.next_round_at = start + count / rate

    async def spend(self, lane: Lane, count: int) -> None:
        rate = self.sender.rate_per_second(lane)
        await self.limiter.hit(
            RateLimitItemPerSecond(rate, 1), f"{self.channel.value}:{rate}", cost=count
        )

    async def round(self) -> Round:
        result = Round()
        for lane in LANES:
            take, wait = await self.budget(lane)
            if take == 0:
                result.wait = wait
                return result  # the lanes share the channel: nothing lower goes first
            rows = await self._claim(lane, take)
            if not rows:
                continue
            await self.spend(lane, len(rows))
            if len(rows) == take:  # more are waiting, most likely
                self._pace(lane, len(rows))
            result.worked = True
            result.delivered += await self._send(rows)
            return result
        return result

    async def _claim(self, lane: Lane, take: int) -> list[Claimed]:
        now = clock.now()
        candidates = await ledger.due(self.channel, lane, now, take * 2)
        taken = await self._taken_lately(candidates, now)
        chosen: list[int] = []
        held: dict[float, list[int]] = {}
        seen: set[str] = set()
        hold_back = getattr(self.sender, "hold_back", None)
        for delivery_id, address, _ in candidates:
            wait = hold_back(address) if hold_back else 0.0
            if address in taken:
                wait = max(wait, self.spacing - (now - taken[address]).total_seconds())
            if address in seen and hold_back:
                wait = max(wait, 1.0)
            if wait > 0:
                held.setdefault(round(wait, 1), []).append(delivery_id)
            elif len(chosen) < take:
                chosen.append(delivery_id)
                seen.add(address)
        for wait, ids in held.items():
            await ledger.defer(ids, now + timedelta(seconds=wait))
        return await ledger.claim(chosen, now, min(self.lease, CLAIM_LEASE))

    @property
    def spacing(self) -> float:
        """Seconds between two messages to one address (Telegram: a chat), or 0."""
        return float(getattr(self.sender, "per_address_seconds", 0.0))

    async def _taken_lately(self, candidates, now) -> dict:
        """Addresses another instance (or this one) took a row for within the spacing."""
        if not self.spacing or not candidates:
            return {}
        since = now - timedelta(seconds=self.spacing)
        return await ledger.last_taken(self.channel, [c[2] for c in candidates], since)

    async def _send(self, rows: list[Claimed]) -> int:
        ready: list[Claimed] = []
        outgoing: list[Outgoing] = []
        contents: dict[tuple, _Content] = {}
        for row in rows:
            try:
                outgoing.append(_outgoing(row, contents))
                ready.append(row)
            except TemplateError as exc:
                await ledger.failed(row, LedgerStatus.TECHNICAL_FAILURE, str(exc))
        gate = InFlightGate(ready, self.lease)
        groups = [
            (ready[start : start + GROUP], outgoing[start : start + GROUP])
            for start in range(0, len(ready), GROUP)
        ]
        try:
            counts = await asyncio.gather(
                *(
                    metered(in_turn(turn, partial(self._send_group, gate, rows, messages)))
                    for turn, (rows, messages) in enumerate(groups)
                )
            )
        finally:
            await gate.settled()
        return sum(counts)

    async def _send_group(
        self, gate: InFlightGate, rows: list[Claimed], messages: list[Outgoing]
    ) -> int:
        """Send a group and record its outcomes as soon as it is done. Only rows marked in
        flight were sent; the others are still claimed (or another worker's now)."""
        outcomes = await self.sender.send_all(messages, gate)
        await gate.settled()  # a request the server answered early may be being marked still
        sent = [
            (gate.marked[row.id], outcome)
            for row, outcome in zip(rows, outcomes, strict=True)
            if row.id in gate.marked
        ]
        done = [row for row, outcome in sent if outcome is None]
        await ledger.delivered(done)
        for row, outcome in sent:
            if outcome is not None:
                await self._failed(row, outcome)
        return len(done)

    async def _failed(self, row: Claimed, outcome: BaseException) -> None:
        now = clock.now()
        if isinstance(outcome, RetryLater):
            retry_at = now + timedelta(seconds=outcome.retry_after)
            await ledger.failed(row, LedgerStatus.TEMPORARY_FAILURE, str(outcome), retry_at)
            self.note_rate_limited(outcome.retry_after, row.lane)
        elif isinstance(outcome, TemporaryFailure):
            retry_at = now + ledger.backoff(row.attempts)
            await ledger.failed(row, LedgerStatus.TEMPORARY_FAILURE, str(outcome), retry_at)
        elif isinstance(outcome, AddressGone):
            await ledger.failed(row, LedgerStatus.PERMANENT_FAILURE, str(outcome))
            if row.resident_id is not None:  # a staff member's address is not switched off
                await ledger.stop_address(row.resident_id, row.channel, row.address, str(outcome))
                await self.sender.address_gone(row.resident_id, row.address)
        elif isinstance(outcome, Rejected):
            await ledger.failed(row, LedgerStatus.PERMANENT_FAILURE, str(outcome))
        else:
            log.warning(
                "delivery %s on %s: outcome unknown (%s)",
                row.id,
                row.channel,
                type(outcome).__name__,
            )
            error = f"outcome unknown: {type(outcome).__name__}: {outcome}"
            await ledger.failed(row, LedgerStatus.TECHNICAL_FAILURE, error)

    def note_rate_limited(self, retry_after: float, lane: Lane) -> None:
        """A provider's 429s hold the whole channel back for `retry_after` when they come in
        a flood: a tenth of the rate within a second (at least PAUSE_AFTER_429S). A stray
        one only holds its own message back (the provider's limits we are not told of)."""
        now = time.time()
        self._429s = [moment for moment in self._429s if now - moment < 1.0] + [now]
        flood = max(PAUSE_AFTER_429S, self.sender.rate_per_second(lane) // 10)
        if len(self._429s) >= flood:
            self.paused_until = max(self.paused_until, now + retry_after)
            self._429s = []


@dataclass(frozen=True)
class _Content:
    """What every recipient of a message in one language and channel gets alike."""

    title: str
    body: str
    actions: Rows
    push_data: dict[str, str]


def _content(row: Claimed) -> _Content:
    notification = row.notification
    text = rendered(notification, row.language)
    source = notification.broadcast or notification
    buttons = actions_for(notification.kind, source.message_key, source.params, row.language)
    push_data = {}
    if row.channel == Channel.PUSH:
        push_data = push_data_for(
            notification.kind, source.message_key, source.params, row.language
        )
    return _Content(text.title, text.body, buttons, push_data)


def _outgoing(row: Claimed, contents: dict[tuple, _Content]) -> Outgoing:
    """The row's message; a broadcast's text and buttons are rendered once per language and
    channel (in `contents`), not once per recipient."""
    notification = row.notification
    if notification.broadcast_id:
        key = (notification.broadcast_id, notification.kind, row.language, row.channel)
        content = contents.get(key)
        if content is None:
            content = contents[key] = _content(row)
    else:
        content = _content(row)
    data = {
        "kind": notification.kind,
        "notificationId": str(notification.public_id),
        "language": row.language,
        "audience": "staff" if notification.staff_id else "resident",
    }
    if notification.broadcast_id:  # one collapse key with the broadcast's topic messages
        data["collapseKey"] = collapse_key(notification.broadcast_id)
    data |= content.push_data
    return Outgoing(
        delivery_id=row.id,
        address=row.address,
        title=content.title,
        body=content.body,
        lane=row.lane,
        link=notification.link,
        data=data,
        actions=content.actions,
    )


class OutboxWorker:
    """All channels' loops, the broadcasts' fan-out and the lease sweep."""

    def __init__(
        self,
        senders: dict[Channel, Sender] | None = None,
        *,
        settings: DeliverySettings | None = None,
        interval: float = 0.5,
        foreground: Foreground | None = None,
    ) -> None:
        self.settings = settings or DeliverySettings()
        # The requests of the app this runs in: fan-out and rounds give way to them. A
        # topic message (a push to every app user in an area) goes at once.
        self.foreground = foreground or Foreground()
        self.senders: dict[Channel, Sender] = dict(senders or {})
        self.interval = interval
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self._loops: dict[Channel, ChannelLoop] = {}
        self._wake = asyncio.Event()
        self._stopping = False

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.settings.lease_seconds)

    def add(self, sender: Sender) -> None:
        self.senders[sender.channel] = sender

    def loop_for(self, channel: Channel) -> ChannelLoop:
        sender = self.senders[channel]
        loop = self._loops.get(channel)
        if loop is None or loop.sender is not sender:
            loop = self._loops[channel] = ChannelLoop(sender, self.limiter, self.lease)
        return loop

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """`run` returns once each loop has finished the round it is in."""
        self._stopping = True
        self._wake.set()

    async def close(self) -> None:
        for sender in self.senders.values():
            close = getattr(sender, "close", None)
            if close is not None:
                await close()

    async def run_once(self) -> int:
        """Sweep, fan out, then send what is due now on every channel; returns how many
        were delivered. Stops where a channel's rate says wait."""
        await ledger.expire_leases(clock.now())
        while await fan_out_once():
            pass
        delivered = await self.topics_once()
        for channel in list(self.senders):
            while True:
                result = await self.loop_for(channel).round()
                delivered += result.delivered
                if not result.worked:
                    break
        return delivered

    async def run(self) -> None:
        tasks = [asyncio.create_task(self._fan_out_forever(), name="broadcast-fan-out")]
        tasks += [
            asyncio.create_task(self._channel_forever(channel), name=f"deliver-{channel.value}")
            for channel in self.senders
        ]
        if self._topic_sender() is not None:
            tasks.append(asyncio.create_task(self._topics_forever(), name="push-topics"))
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _fan_out_forever(self) -> None:
        while not self._stopping:
            try:
                await ledger.expire_leases(clock.now())
                while await self.foreground.step(fan_out_once):
                    self.wake()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("broadcast fan-out failed")
            await self._sleep(self.interval)

    async def _channel_forever(self, channel: Channel) -> None:
        while not self._stopping:
            try:
                result = await self.foreground.step(self.loop_for(channel).round)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery round on %s failed", channel.value)
                result = Round(wait=self.interval)
            if result.worked:
                continue
            await self._sleep(result.wait or self.interval)

    def _topic_sender(self):
        sender = self.senders.get(Channel.PUSH)
        return sender if hasattr(sender, "send_to_condition") else None

    async def topics_once(self) -> int:
        """Push by topic: the alerts' condition messages due now (within the push rate), then
        the devices' topics brought in step; returns how many messages were sent."""
        sender = self._topic_sender()
        if sender is None:
            return 0
        sent = 0
        while rows := await self._claim_topic_messages():
            sent += await self._send_topic_messages(sender, rows)
        await push_topics.sync_due(sender)
        return sent

    async def _claim_topic_messages(self) -> list:
        loop = self.loop_for(Channel.PUSH)
        take, _ = await loop.budget(Lane.ALERT)
        rows = await topic_messages.claim_due(clock.now(), min(take, TOPIC_ROUND), self.lease)
        await loop.spend(Lane.ALERT, len(rows))
        return rows

    async def _send_topic_messages(self, sender, rows: list) -> int:
        broadcasts: dict = {}

        async def one(row) -> BaseException | None:
            try:
                message = await topic_messages.outgoing(row, broadcasts)
                await sender.send_to_condition(message, row.condition)
            except Exception as exc:  # noqa: BLE001 - the outcome is recorded per message
                return exc
            return None

        outcomes = await asyncio.gather(*(one(row) for row in rows))
        for row, outcome in zip(rows, outcomes, strict=True):
            await topic_messages.record(row, outcome)
        return sum(outcome is None for outcome in outcomes)

    async def _topics_forever(self) -> None:
        while not self._stopping:
            try:
                sent = await self.topics_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("push by topic failed")
                sent = 0
            if not sent:
                await self._sleep(self.interval)

    async def _sleep(self, seconds: float) -> None:
        if self._stopping:
            return
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            pass
