"""What the readers produce: one normalised record per usable row, and why rows were skipped."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


class RecordKind(enum.StrEnum):
    SITE = "site"  # evacuation site and/or shelter
    AED = "aed"


class SkipReason(enum.StrEnum):
    MISSING_NAME = "missing_name"
    MISSING_COORDINATES = "missing_coordinates"
    UNPARSABLE_COORDINATES = "unparsable_coordinates"
    OUTSIDE_JAPAN = "outside_japan"
    DUPLICATE_ID = "duplicate_id"
    MALFORMED_ROW = "malformed_row"  # the CSV parser could not read it (e.g. a giant field)


@dataclass(frozen=True, slots=True)
class SiteRecord:
    """A 指定緊急避難場所 (evacuation site), a 指定避難所 (shelter), or a place that is both."""

    source_id: str
    name: str
    kana: str
    address: str
    lat: float
    lng: float
    hazards: int  # geo.hazards bit mask; 0 for a shelter the source gives no hazards for
    capacity: int | None
    is_evacuation_site: bool
    is_shelter: bool
    municipality_code: str  # 6-digit 全国地方公共団体コード, "" when unknown
    notes: str


@dataclass(frozen=True, slots=True)
class AedRecord:
    source_id: str
    name: str
    kana: str
    address: str
    lat: float
    lng: float
    placement: str  # 設置位置: where in the building
    available_days: str  # 利用可能曜日 as written (normalised width)
    available_hours: str  # "08:30-17:15" when both times parse, else the texts as written
    availability_notes: str  # 利用可能日時特記事項 (and 外部利用不可 when flagged)
    pediatric: bool | None  # 小児対応設備の有無; None when not stated
    phone: str
    municipality_code: str
    notes: str


Record = SiteRecord | AedRecord


@dataclass
class ReadResult:
    """A file being read. `skipped` and `rows` fill in while `records` is consumed."""

    path: Path
    kind: RecordKind
    layout: str
    dataset: str  # "emergency", "shelter" or "aed"
    encoding: str
    records: Iterator[Record]
    skipped: Counter[SkipReason] = field(default_factory=Counter)
    rows: int = 0

    def read_all(self) -> list[Record]:
        """Consume the records into a list (the counters are complete afterwards)."""
        return list(self.records)


class UnknownLayoutError(ValueError):
    """The header matches none of the layouts the readers know."""
