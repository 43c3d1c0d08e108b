"""Where each resident can be reached, on which channels they chose, and their quiet hours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from accounts.models import Resident
from accounts.service import check_language
from core import clock
from core.errors import invalid
from notifications.channels.email.models import EmailAddress
from notifications.channels.push.models import PushDevice
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


async def reach_of(residents: Iterable[Resident]) -> dict[int, Reach]:
    """Each resident's reach, in four queries whatever their number."""
    found = {
        r.id: Reach(
            r.id,
            r.language,
            telegram_chat=str(r.telegram_chat_id) if r.telegram_chat_id else None,
        )
        for r in residents
    }
    ids = list(found)
    if not ids:
        return found
    for prefs in await NotificationPreferences.filter(resident_id__in=ids):
        reach = found[prefs.resident_id]
        reach.chosen = frozenset(Channel(c) for c in prefs.channels)
        reach.quiet = quiet_hours_of(prefs)
        if prefs.telegram_blocked_at is not None:
            reach.telegram_chat = None
    for resident_id, token in await PushDevice.filter(resident_id__in=ids).values_list(
        "resident_id", "token"
    ):
        found[resident_id].push_tokens.append(token)
    for resident_id, address in await EmailAddress.filter(
        resident_id__in=ids, verified_at__isnull=False, bounced_at__isnull=True
    ).values_list("resident_id", "address"):
        found[resident_id].email = address
    return found


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
        resident.language = check_language(language)
        await resident.save(update_fields=["language"])
    prefs, _ = await NotificationPreferences.get_or_create(resident_id=resident.id)
    prefs.channels = [c.value for c in ALL_CHANNELS if c in channels]
    prefs.quiet_start, prefs.quiet_end = quiet_start, quiet_end
    if Channel.TELEGRAM in channels:
        prefs.telegram_blocked_at = None  # chosen again: the resident unblocked the bot
    await prefs.save()
    from notifications.alerts.push_topics import follow_again  # alerts build on preferences

    await follow_again([resident.id])
    return prefs


async def block_telegram(resident_id: int) -> None:
    """Telegram said the resident blocked the bot: stop using the channel for them."""
    prefs, _ = await NotificationPreferences.get_or_create(
        resident_id=resident_id, defaults={"channels": [c.value for c in ALL_CHANNELS]}
    )
    prefs.telegram_blocked_at = clock.now()
    await prefs.save(update_fields=["telegram_blocked_at", "updated_at"])
