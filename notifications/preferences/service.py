"""Where each resident can be reached, on which channels they chose, and their quiet hours."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Protocol

from tortoise import connections
from tortoise.transactions import in_transaction

from accounts.models import Resident
from accounts.service import check_language, set_language
from core import clock
from core.errors import invalid
from notifications.channels.email.models import EmailAddress
from notifications.channels.push.models import PushDevice
from notifications.channels.push.service import follow_again
from notifications.models import Channel, Lane
from notifications.preferences.models import NotificationPreferences

ALL_CHANNELS: tuple[Channel, ...] = (Channel.TELEGRAM, Channel.PUSH, Channel.EMAIL)
MINUTES_A_DAY = 24 * 60


@dataclass(frozen=True)
class QuietHours:
    """Local (Asia/Tokyo) minutes after midnight; may wrap past midnight (22:00-07:00)."""

    start: int
    end: int

    def contains(self, minute: int) -> bool:
        if self.start < self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end

    def end_after(self, moment: datetime) -> datetime | None:
        """When the quiet hours around `moment` end (UTC), or None when it is not quiet then."""
        local = clock.local(moment)
        minute = local.hour * 60 + local.minute
        if not self.contains(minute):
            return None
        day = local.date()
        if self.start > self.end and minute >= self.start:
            day += timedelta(days=1)
        end = datetime.combine(day, time(self.end // 60, self.end % 60), tzinfo=clock.TOKYO)
        return end.astimezone(moment.tzinfo)


class Addressee(Protocol):
    """What reach_of reads of a resident (a model, or a row read in plain SQL)."""

    @property
    def id(self) -> int: ...
    @property
    def language(self) -> str: ...
    @property
    def telegram_chat_id(self) -> int | None: ...


@dataclass
class Reach:
    """One resident's addresses on the channels they chose and can receive on now."""

    resident_id: int
    language: str
    chosen: frozenset[Channel] = frozenset(ALL_CHANNELS)
    quiet: QuietHours | None = None
    telegram_chat: str | None = None
    push_tokens: list[str] = field(default_factory=list)
    email: str | None = None

    def addresses(self) -> list[tuple[Channel, str]]:
        """Fastest first: push, Telegram, e-mail last."""
        found: list[tuple[Channel, str]] = []
        if Channel.PUSH in self.chosen:
            found += [(Channel.PUSH, token) for token in self.push_tokens]
        if Channel.TELEGRAM in self.chosen and self.telegram_chat:
            found.append((Channel.TELEGRAM, self.telegram_chat))
        if Channel.EMAIL in self.chosen and self.email:
            found.append((Channel.EMAIL, self.email))
        return found

    def send_at(self, lane: Lane, now: datetime) -> datetime:
        """Status updates wait for the end of quiet hours; alerts never wait."""
        if lane == Lane.ALERT or self.quiet is None:
            return now
        return self.quiet.end_after(now) or now


async def reach_of(residents: Iterable[Addressee]) -> dict[int, Reach]:
    """Each resident's reach, in one statement whatever their number."""
    found = {
        r.id: Reach(
            r.id,
            r.language,
            telegram_chat=str(r.telegram_chat_id) if r.telegram_chat_id else None,
        )
        for r in residents
    }
    if not found:
        return found
    for part, resident_id, text, quiet_start, quiet_end, blocked in await _reach_rows(list(found)):
        reach = found[resident_id]
        if part == _PREFERENCES:
            channels = json.loads(text) if isinstance(text, str) else text
            reach.chosen = frozenset(Channel(c) for c in channels)
            if quiet_start is not None and quiet_end is not None:
                reach.quiet = QuietHours(quiet_start, quiet_end)
            if blocked:
                reach.telegram_chat = None
        elif part == _PUSH:
            reach.push_tokens.append(text)
        else:
            reach.email = text
    return found


_PREFERENCES, _PUSH, _EMAIL = 1, 2, 3


async def _reach_rows(resident_ids: list[int]) -> list[tuple]:
    """(part, resident id, channels | token | address, quiet start, quiet end, blocked):
    the preferences, push devices and verified addresses of the residents, in plain SQL
    (Tortoise's three queries cost more than the reading they do). Push tokens keep their
    order of registration."""
    connection = connections.get("default")
    values: list[object]
    if connection.capabilities.dialect == "postgres":
        ids, values = "= ANY($1::int[])", [resident_ids]
    else:
        ids, values = "IN (SELECT value FROM json_each(?1))", [json.dumps(resident_ids)]
    preferences = NotificationPreferences._meta.db_table
    devices = PushDevice._meta.db_table
    emails = EmailAddress._meta.db_table
    sql = (
        f"SELECT {_PREFERENCES} AS part, resident_id, CAST(channels AS TEXT) AS reach_to,"
        " quiet_start, quiet_end,"
        " CASE WHEN telegram_blocked_at IS NULL THEN 0 ELSE 1 END AS blocked, id"
        f' FROM "{preferences}" WHERE resident_id {ids}'
        f" UNION ALL SELECT {_PUSH}, resident_id, token, NULL, NULL, 0, id"
        f' FROM "{devices}" WHERE resident_id {ids}'
        f" UNION ALL SELECT {_EMAIL}, resident_id, address, NULL, NULL, 0, id"
        f' FROM "{emails}" WHERE resident_id {ids}'
        " AND verified_at IS NOT NULL AND bounced_at IS NULL"
        " ORDER BY part, id"
    )
    _, rows = await connection.execute_query(sql, values)
    return [tuple(row)[:6] for row in rows]


async def on_paced_channels(resident_ids: list[int]) -> set[int]:
    """Those of the residents with a Telegram chat or a verified e-mail address: the
    channels that go one message at a time at a fixed rate, in one statement."""
    if not resident_ids:
        return set()
    connection = connections.get("default")
    values: list[object]
    if connection.capabilities.dialect == "postgres":
        ids, values = "= ANY($1::int[])", [resident_ids]
    else:
        ids, values = "IN (SELECT value FROM json_each(?1))", [json.dumps(resident_ids)]
    residents = Resident._meta.db_table
    emails = EmailAddress._meta.db_table
    sql = (
        f'SELECT id FROM "{residents}" WHERE id {ids} AND telegram_chat_id IS NOT NULL'
        f' UNION SELECT resident_id FROM "{emails}" WHERE resident_id {ids}'
        " AND verified_at IS NOT NULL AND bounced_at IS NULL"
    )
    _, rows = await connection.execute_query(sql, values)
    return {int(row[0]) for row in rows}


def quiet_hours_of(prefs: NotificationPreferences | None) -> QuietHours | None:
    if prefs is None or prefs.quiet_start is None or prefs.quiet_end is None:
        return None
    return QuietHours(prefs.quiet_start, prefs.quiet_end)


async def preferences_of(resident: Resident) -> NotificationPreferences | None:
    return await NotificationPreferences.get_or_none(resident_id=resident.id)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


async def set_preferences(
    resident: Resident,
    *,
    channels: list[Channel],
    quiet: tuple[time, time] | None,
    language: str | None,
) -> NotificationPreferences:
    if len(channels) > len(ALL_CHANNELS):
        raise invalid("notifications.bad_channels", field="channels")
    quiet_start = quiet_end = None
    if quiet is not None:
        quiet_start, quiet_end = _minutes(quiet[0]), _minutes(quiet[1])
        if quiet_start == quiet_end:
            raise invalid("notifications.bad_quiet_hours", field="quietHours")
    if language is not None:
        check_language(language)
    async with in_transaction():
        if language is not None:
            await set_language(resident, language)
        prefs, _ = await NotificationPreferences.get_or_create(resident_id=resident.id)
        prefs.channels = [c.value for c in ALL_CHANNELS if c in channels]
        prefs.quiet_start, prefs.quiet_end = quiet_start, quiet_end
        if Channel.TELEGRAM in channels:
            prefs.telegram_blocked_at = None  # chosen again: the resident unblocked the bot
        await prefs.save()
        await follow_again([resident.id])  # push on or off
    return prefs


async def block_telegram(resident_id: int) -> None:
    """Telegram said the resident blocked the bot: stop using the channel for them."""
    prefs, _ = await NotificationPreferences.get_or_create(
        resident_id=resident_id, defaults={"channels": [c.value for c in ALL_CHANNELS]}
    )
    prefs.telegram_blocked_at = clock.now()
    await prefs.save(update_fields=["telegram_blocked_at", "updated_at"])
