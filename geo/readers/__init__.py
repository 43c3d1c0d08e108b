"""Readers for the published layouts of evacuation sites, shelters and AEDs.

`read_geo_file(path)` recognises the layout from the header (GSI nationwide CSVs and GeoJSON,
the 推奨データセット v1 and current 自治体標準オープンデータセット layouts, a city's own
shelter layout) in UTF-8 or Shift_JIS, and streams normalised `SiteRecord`s or `AedRecord`s.
"""

from __future__ import annotations

from geo.readers.files import Progress, read_geo_file
from geo.readers.records import (
    AedRecord,
    ReadResult,
    Record,
    RecordKind,
    SiteRecord,
    SkipReason,
    UnknownLayoutError,
)

__all__ = [
    "AedRecord",
    "Progress",
    "ReadResult",
    "Record",
    "RecordKind",
    "SiteRecord",
    "SkipReason",
    "UnknownLayoutError",
    "read_geo_file",
]
