"""Rows of the AED layouts -> AedRecord."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from geo.availability import clock_minutes, format_clock
from geo.readers import layouts as col
from geo.readers import values
from geo.readers.layouts import Layout
from geo.readers.records import AedRecord, SkipReason
from geo.readers.sites import address, municipality_code, source_id
from geo.text import join_notes, normalise, normalise_kana, normalise_notes


class AedMapper:
    def __init__(self, layout: Layout, names: Sequence[str]) -> None:
        self.layout = layout

    def __call__(self, row: Mapping[str, str]) -> AedRecord | SkipReason:
        name = normalise_kana(col.first(row, col.NAME))
        if not name:
            return SkipReason.MISSING_NAME
        place = values.position(row.get(col.LAT, ""), row.get(col.LNG, ""))
        if isinstance(place, SkipReason):
            return place
        lat, lng = place
        municipality = municipality_code(row, self.layout)
        placement = normalise_kana(col.first(row, col.PLACEMENT))
        return AedRecord(
            # Several AEDs may hang in one building: where they hang tells them apart.
            source_id=source_id(row, self.layout, municipality, name, lat, lng, placement),
            name=name,
            kana=normalise_kana(col.first(row, col.KANA)),
            address=address(row),
            lat=lat,
            lng=lng,
            placement=placement,
            available_days=normalise(col.first(row, col.DAYS)),
            available_hours=hours(col.first(row, col.OPENS), col.first(row, col.CLOSES)),
            availability_notes=_availability_notes(row),
            pediatric=values.optional_flag(col.first(row, col.PEDIATRIC)),
            phone=phone(row),
            municipality_code=municipality,
            notes=normalise_notes(col.first(row, col.NOTES)),
        )


def hours(opens: str, closes: str) -> str:
    """ "08:30-17:15" when both are times; otherwise whatever was written."""
    opens_at, closes_at = clock_minutes(opens), clock_minutes(closes)
    if opens_at is not None and closes_at is not None:
        return f"{format_clock(opens_at)}-{format_clock(closes_at)}"
    opens, closes = normalise(opens), normalise(closes)
    return f"{opens}-{closes}" if opens or closes else ""


def phone(row: Mapping[str, str]) -> str:
    number = normalise(col.first(row, col.PHONE))
    extension = normalise(col.first(row, col.EXTENSION))
    return f"{number} 内線{extension}" if number and extension else number


def _availability_notes(row: Mapping[str, str]) -> str:
    notes = normalise_notes(col.first(row, col.AVAILABILITY_NOTES))
    if values.is_flag_set(col.first(row, col.NOT_FOR_PUBLIC)):
        notes = join_notes(notes, "外部利用不可")
    return notes
