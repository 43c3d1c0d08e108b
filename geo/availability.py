"""When an AED can be used, read from the texts municipalities write.

The standard AED layout has 利用可能曜日, 開始時間, 終了時間 and 利用可能日時特記事項, written
as people write them: "24時間", "月～金 8:30～17:15", "平日 9時～17時", "8:30-17:15（土日祝除く）",
"毎日 9:00~21:00（年末年始を除く）". `AedAvailability.parse` understands days (ranges, lists,
平日, 毎日, 祝日), times (H:MM, H時M分, 午前/午後, overnight), always-open phrases and
exclusions (…を除く, …休み, 年末年始). Anything it cannot read leaves the AED "unknown", which
counts as usable: in an emergency, listing an AED that may be locked away beats hiding one
that is there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays

from geo.text import normalise

TOKYO = ZoneInfo("Asia/Tokyo")
_DAY_CHARS = "月火水木金土日"
_WEEKDAYS = frozenset(range(5))
_EVERY_DAY = frozenset(range(7))
_MINUTES_PER_DAY = 24 * 60

_NOT_AFTER = r"(?<![0-9一-鿿々])"  # a day name is not part of a word (休館日, 12月) ...
_NOT_BEFORE = r"(?![中末間頃額次刊報号道気災造地])"  # ... nor begins one (日中, 月末, 土地)
_DAY = rf"[{_DAY_CHARS}](?:曜日|曜)?"
_HOLIDAY = r"(?:祝祭日|祝日|祝)"
_DAY_ITEM = rf"(?:{_DAY}|{_HOLIDAY})"
_RANGE_SEP = r"\s*(?:~|-|ー|から|－)\s*"
_DAY_RANGE = rf"{_DAY}{_RANGE_SEP}{_DAY}"
_DAY_LIST = rf"(?:{_DAY_RANGE}|{_DAY_ITEM})(?:[・、,/\s及と]*(?:{_DAY_RANGE}|{_DAY_ITEM}))*"
_NAMED_DAYS = r"平日|毎日|全日|365日|年中無休|無休|土日祝日|土日祝|休日"
_DAYS = rf"(?:{_NAMED_DAYS}|{_NOT_AFTER}{_DAY_LIST}{_NOT_BEFORE})"
_CLOSURE = r"年末年始|休館日|休業日|閉館日|閉庁日|定休日|お盆|点検日"
_EXCLUSION = re.compile(
    rf"(?P<what>(?:{_CLOSURE}|{_DAYS})(?:[・、,\s及びと]*(?:{_CLOSURE}|{_DAYS}))*)"
    r"\s*(?:を|は|の)?\s*(?:除く|除き|除いた|のぞく|休み|休館|休業|閉館|閉庁|定休|利用不可|使用不可)"
)
_CLOCK = r"(?:午前|午後|AM|PM|am|pm)?\s*\d{1,2}(?::\d{2}|時(?:\d{1,2}分|半)?)"
_TIME_RANGE = rf"(?P<opens>{_CLOCK}){_RANGE_SEP}(?:翌日?\s*)?(?P<closes>{_CLOCK})"
_ALWAYS = r"24時間|24h|終日|常時|いつでも"
_TOKEN = re.compile(rf"(?P<always>{_ALWAYS})|{_TIME_RANGE}|(?P<days>{_DAYS})")
# A time left over once the ranges are read ("土曜日は12:00まで"): the text says more than
# the rules would, so the hours count as unknown.
_STRAY_CLOCK = re.compile(r"\d{1,2}(?::\d{2}|時)")
_CLOCK_PARTS = re.compile(
    r"(?P<half_day>午前|午後|AM|PM|am|pm)?\s*(?P<hour>\d{1,2})"
    r"(?::(?P<minute>\d{2})(?::\d{2})?|時(?:(?P<minute_ja>\d{1,2})分|(?P<half>半))?)"
)


class Usability(NamedTuple):
    usable: bool
    known: bool  # False: the hours were not given or not understood, so usable is a guess


class _Days(NamedTuple):
    weekdays: frozenset[int]
    holidays: bool | None  # True: open on holidays; False: closed on them; None: as the weekday


@dataclass(frozen=True)
class _Rule:
    days: _Days
    opens: int  # minutes after midnight
    closes: int  # may be <= opens: open past midnight
    hours_known: bool

    def opening_day(self, day: dt.date, minute: int) -> dt.date | None:
        """The day whose opening covers this minute (the day before, past midnight), if any."""
        if self.opens < self.closes:
            return day if _on(self.days, day) and self.opens <= minute < self.closes else None
        if minute >= self.opens and _on(self.days, day):
            return day
        yesterday = day - dt.timedelta(days=1)
        return yesterday if minute < self.closes and _on(self.days, yesterday) else None


_ALL_DAY = (0, _MINUTES_PER_DAY)
_EVERY_DAY_AS_WEEKDAYS = _Days(_EVERY_DAY, None)


@dataclass(frozen=True)
class AedAvailability:
    rules: tuple[_Rule, ...]
    closed: _Days | None  # days excluded by "…を除く"
    closed_year_end: bool  # 年末年始: 29 December to 3 January
    caveats: tuple[str, ...]  # closures it cannot date (休館日 …), for showing to people

    @property
    def known(self) -> bool:
        return bool(self.rules)

    @classmethod
    def parse(cls, days: str = "", hours: str = "", notes: str = "") -> AedAvailability:
        text = " ".join(part for part in map(normalise, (days, hours, notes)) if part)
        text, closed, year_end, caveats = _exclusions(text)
        rules = _rules(text)
        if rules is None:
            return cls((), None, False, caveats)
        if not rules and (closed is not None or year_end):  # "土日祝除く" alone
            rules = (_Rule(_EVERY_DAY_AS_WEEKDAYS, *_ALL_DAY, False),)
        return cls(rules, closed, year_end, caveats)

    def usability_at(self, when: dt.datetime) -> Usability:
        if when.tzinfo is None:
            raise ValueError("a time zone is needed to tell local opening hours")
        if not self.rules:
            return Usability(True, False)
        local = when.astimezone(TOKYO)
        day, minute = local.date(), local.hour * 60 + local.minute
        open_rules = []
        for rule in self.rules:
            opening_day = rule.opening_day(day, minute)
            if opening_day is not None and not self._closed_on(opening_day):
                open_rules.append(rule)
        if not open_rules:
            return Usability(False, True)
        return Usability(True, any(rule.hours_known for rule in open_rules))

    def _closed_on(self, day: dt.date) -> bool:
        if self.closed_year_end and _is_year_end(day):
            return True
        return self.closed is not None and _on(self.closed, day)


def clock_minutes(text: str) -> int | None:
    """Minutes after midnight of "8:30", "08:30:00", "8時30分", "午後5時"; None if not a time."""
    match = _CLOCK_PARTS.fullmatch(normalise(text))
    return _minutes(match) if match else None


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _exclusions(text: str) -> tuple[str, _Days | None, bool, tuple[str, ...]]:
    closed: _Days | None = None
    year_end = False
    caveats: list[str] = []
    for match in reversed(list(_EXCLUSION.finditer(text))):
        what = match.group("what")
        year_end = year_end or "年末年始" in what
        caveats += re.findall(rf"(?:{_CLOSURE})", what.replace("年末年始", ""))
        days = _days_of(re.sub(_CLOSURE, " ", what))
        if days is not None:
            closed = days if closed is None else _union(closed, days)
        text = text[: match.start()] + " " + text[match.end() :]
    return text, closed, year_end, tuple(dict.fromkeys(caveats))


def _rules(text: str) -> tuple[_Rule, ...] | None:
    """Pairs day expressions with the time ranges next to them, in reading order.

    None when the text has times this cannot place."""
    rules: list[_Rule] = []
    pending_days: _Days | None = None
    pending_hours: tuple[int, int] | None = None
    for token in _TOKEN.finditer(text):
        hours = _hours_of(token)
        if hours is not None:
            if pending_days is not None:
                rules.append(_Rule(pending_days, *hours, True))
                pending_days = None
                continue
            if pending_hours is not None:
                rules.append(_Rule(_EVERY_DAY_AS_WEEKDAYS, *pending_hours, True))
            pending_hours = hours
            continue
        days = _days_of(token.group(0))
        if days is None:
            continue
        if pending_hours is not None:
            rules.append(_Rule(days, *pending_hours, True))
            pending_hours = None
        else:
            pending_days = days if pending_days is None else _union(pending_days, days)
    if pending_hours is not None:
        rules.append(_Rule(_EVERY_DAY_AS_WEEKDAYS, *pending_hours, True))
    if pending_days is not None:
        rules.append(_Rule(pending_days, *_ALL_DAY, False))
    if _STRAY_CLOCK.search(_TOKEN.sub(" ", text)):
        return None
    return tuple(rules)


def _hours_of(token: re.Match[str]) -> tuple[int, int] | None:
    if token.group("always"):
        return _ALL_DAY
    if not token.group("opens"):
        return None
    opens = _minutes(_CLOCK_PARTS.fullmatch(token.group("opens").strip()))
    closes = _minutes(_CLOCK_PARTS.fullmatch(token.group("closes").strip()))
    if opens is None or closes is None:
        return None
    if opens % _MINUTES_PER_DAY == closes % _MINUTES_PER_DAY:
        return _ALL_DAY
    return opens, closes


def _minutes(match: re.Match[str] | None) -> int | None:
    if match is None:
        return None
    hour = int(match.group("hour"))
    minute = (
        30 if match.group("half") else int(match.group("minute") or match.group("minute_ja") or 0)
    )
    if match.group("half_day") in ("午後", "PM", "pm") and hour < 12:
        hour += 12
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    return hour * 60 + minute


def _days_of(text: str) -> _Days | None:
    """Days named in an expression such as 平日, 土日祝, 月~金, 月・水・金, 毎日."""
    text = text.strip()
    if text in ("毎日", "全日", "365日", "年中無休", "無休"):
        return _Days(_EVERY_DAY, True)
    if text == "平日":
        return _Days(_WEEKDAYS, False)
    if text == "休日":
        return _Days(frozenset({5, 6}), True)
    weekdays: set[int] = set()
    for first, last in re.findall(
        rf"([{_DAY_CHARS}])(?:曜日|曜)?{_RANGE_SEP}([{_DAY_CHARS}])", text
    ):
        start, end = _DAY_CHARS.index(first), _DAY_CHARS.index(last)
        weekdays.update(day % 7 for day in range(start, end + 1 if end >= start else end + 8))
    text = re.sub(rf"([{_DAY_CHARS}])(?:曜日|曜)?{_RANGE_SEP}([{_DAY_CHARS}])", " ", text)
    on_holidays = True if re.search(_HOLIDAY, text) else None
    text = re.sub(_HOLIDAY, " ", text)
    weekdays.update(_DAY_CHARS.index(char) for char in re.findall(f"[{_DAY_CHARS}]", text))
    if not weekdays and on_holidays is None:
        return None
    return _Days(frozenset(weekdays), on_holidays)


def _union(first: _Days, second: _Days) -> _Days:
    if first.holidays is None or second.holidays is None:
        on_holidays = first.holidays if second.holidays is None else second.holidays
    else:
        on_holidays = first.holidays or second.holidays
    return _Days(first.weekdays | second.weekdays, on_holidays)


def _on(days: _Days, day: dt.date) -> bool:
    if days.holidays is not None and _is_holiday(day):
        return days.holidays
    return day.weekday() in days.weekdays


def _is_year_end(day: dt.date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


_JAPANESE_HOLIDAYS = holidays.country_holidays("JP")


def _is_holiday(day: dt.date) -> bool:
    return day in _JAPANESE_HOLIDAYS
