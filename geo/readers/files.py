"""Read one published file (CSV or GeoJSON) into records, streaming, with progress."""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from geo.readers import layouts
from geo.readers.aeds import AedMapper
from geo.readers.decoding import candidate_encodings, open_text
from geo.readers.layouts import Layout
from geo.readers.records import (
    ReadResult,
    Record,
    RecordKind,
    SkipReason,
    UnknownLayoutError,
)
from geo.readers.sites import SiteMapper

Progress = Callable[[int, int, int], None]  # rows done, bytes done, total bytes
_PROGRESS_EVERY = 2000
_CSV_CANDIDATE_DELIMITERS = (",", "\t")


def read_geo_file(path: str | Path, *, on_progress: Progress | None = None) -> ReadResult:
    """Recognise the file's layout from its header and return its records as a stream.

    Raises UnknownLayoutError (header matches no layout) or UnicodeError (undecodable)
    at once; bad rows never raise, they are counted in `skipped` by reason. The result's
    `records` stream the file (opened while they are consumed).
    """
    path = Path(path)
    failure: Exception | None = None
    for encoding in candidate_encodings(path):
        try:
            if _looks_like_json(path, encoding):
                return _read_geojson(path, encoding, on_progress)
            return _read_csv(path, encoding, on_progress)
        except (UnknownLayoutError, json.JSONDecodeError) as error:
            failure = failure or error
    if failure is None:
        raise UnicodeError(f"{path.name}: neither UTF-8 nor Shift_JIS (cp932) nor EUC-JP")
    if isinstance(failure, json.JSONDecodeError):
        raise UnknownLayoutError(f"{path.name}: not valid JSON ({failure})") from failure
    raise failure


def _read_csv(path: Path, encoding: str, on_progress: Progress | None) -> ReadResult:
    with open_text(path, encoding)[0] as text:
        first_line = text.readline()
    delimiter = max(_CSV_CANDIDATE_DELIMITERS, key=first_line.count)
    header = layouts.header_names(next(csv.reader([first_line], delimiter=delimiter), []))
    layout = layouts.detect(header)
    result = ReadResult(path, layout.kind, layout.name, layout.dataset, encoding, iter(()))
    result.records = _records(
        result, layout, header, _csv_rows(path, encoding, delimiter, header), on_progress
    )
    return result


def _csv_rows(
    path: Path, encoding: str, delimiter: str, header: Sequence[str]
) -> Iterator[tuple[Mapping[str, str] | None, int]]:
    """Rows keyed by header name; None for a row the CSV parser rejects (it reads on after)."""
    columns = {name: position for position, name in reversed(list(enumerate(header))) if name}
    text, binary = open_text(path, encoding)
    with text:
        rows = csv.reader(text, delimiter=delimiter)
        next(rows, None)
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except csv.Error:
                yield None, binary.tell()
                continue
            if not any(cells):
                continue  # blank line
            width = len(cells)
            yield (
                {name: cells[i] if i < width else "" for name, i in columns.items()},
                binary.tell(),
            )


def _read_geojson(path: Path, encoding: str, on_progress: Progress | None) -> ReadResult:
    with path.open(encoding=encoding) as stream:
        document = json.load(stream)
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise UnknownLayoutError(f"{path.name}: not a GeoJSON FeatureCollection")
    keys = (key for feature in features for key in _properties(feature))
    names = [_column_name(key) for key in dict.fromkeys(keys)]
    layout = layouts.detect([*names, layouts.LAT, layouts.LNG])
    size, count = path.stat().st_size, len(features)
    # The document is parsed at once; progress counts features as their share of the bytes.
    rows = ((_feature_row(f), size * (n + 1) // count) for n, f in enumerate(features))
    result = ReadResult(path, layout.kind, layout.name, layout.dataset, encoding, iter(()))
    result.records = _records(result, layout, [*names, layouts.LAT, layouts.LNG], rows, on_progress)
    return result


def _feature_row(feature: object) -> dict[str, str]:
    row = {
        _column_name(key): "" if value is None else str(value)
        for key, value in _properties(feature).items()
    }
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        coordinates = geometry.get("coordinates")
        if isinstance(coordinates, list) and len(coordinates) >= 2:
            row[layouts.LNG], row[layouts.LAT] = (str(value) for value in coordinates[:2])
        else:
            row[layouts.LAT] = row[layouts.LNG] = "no coordinates"
    elif geometry:
        row[layouts.LAT] = row[layouts.LNG] = "not a point"
    else:
        row[layouts.LAT] = row[layouts.LNG] = ""  # GeoJSON gives the position only here
    return row


def _properties(feature: object) -> dict:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    return properties if isinstance(properties, dict) else {}


@functools.lru_cache(maxsize=256)
def _column_name(key: str) -> str:
    return layouts.header_names([key])[0]


def _records(
    result: ReadResult,
    layout: Layout,
    header: Sequence[str],
    rows: Iterable[tuple[Mapping[str, str] | None, int]],
    on_progress: Progress | None,
) -> Iterator[Record]:
    mapper = (SiteMapper if layout.kind is RecordKind.SITE else AedMapper)(layout, header)
    total = result.path.stat().st_size
    seen: set[str] = set()
    done = 0
    for row, position in rows:
        record = SkipReason.MALFORMED_ROW if row is None else mapper(row)
        result.rows += 1
        if not isinstance(record, SkipReason) and record.source_id in seen:
            record = SkipReason.DUPLICATE_ID
        if isinstance(record, SkipReason):
            result.skipped[record] += 1
        else:
            seen.add(record.source_id)
            yield record
        done = position
        if on_progress is not None and result.rows % _PROGRESS_EVERY == 0:
            on_progress(result.rows, done, total)
    if on_progress is not None:
        on_progress(result.rows, total, total)


def _looks_like_json(path: Path, encoding: str) -> bool:
    with open_text(path, encoding)[0] as text:
        start = text.read(256).lstrip("\ufeff \t\r\n")
    return start.startswith("{")
