"""Rows of the evacuation-site and shelter layouts -> SiteRecord."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from geo.readers import layouts as col
from geo.readers import values
from geo.readers.layouts import Layout
from geo.readers.records import SiteRecord, SkipReason
from geo.text import join_notes, normalise, normalise_kana, normalise_notes


class SiteMapper:
    """Maps one file's rows; the header decides once which columns mean what."""

    def __init__(self, layout: Layout, names: Sequence[str]) -> None:
        self.layout = layout
        self.hazard_columns: list[tuple[str, int]] = []
        self.alert_columns: list[str] = []  # flag columns that are not hazards (臨時情報)
        for name in dict.fromkeys(n for n in names if n):
            bits = col.hazard_bits(name)
            if bits:
                self.hazard_columns.append((name, bits))
            elif bits == 0:
                self.alert_columns.append(name)

    def __call__(self, row: Mapping[str, str]) -> SiteRecord | SkipReason:
        name = normalise_kana(col.first(row, col.NAME))
        if not name:
            return SkipReason.MISSING_NAME
        place = values.position(row.get(col.LAT, ""), row.get(col.LNG, ""))
        if isinstance(place, SkipReason):
            return place
        lat, lng = place
        municipality = municipality_code(row, self.layout)
        capacity_text = col.first(row, col.CAPACITY)
        return SiteRecord(
            source_id=source_id(row, self.layout, municipality, name, lat, lng),
            name=name,
            kana=normalise_kana(col.first(row, col.KANA)),
            address=address(row),
            lat=lat,
            lng=lng,
            hazards=self._hazards(row),
            capacity=values.capacity(capacity_text),
            is_evacuation_site=self.layout.is_evacuation_site
            or values.is_flag_set(col.first(row, col.ALSO_EVACUATION_SITE)),
            is_shelter=self.layout.is_shelter
            or values.is_flag_set(col.first(row, col.ALSO_SHELTER)),
            municipality_code=municipality,
            notes=self._notes(row, capacity_text),
        )

    def _hazards(self, row: Mapping[str, str]) -> int:
        mask = 0
        for column, bits in self.hazard_columns:
            if values.is_flag_set(row.get(column, "")):
                mask |= bits
        return mask

    def _notes(self, row: Mapping[str, str], capacity_text: str) -> str:
        extras = []
        for column, label in col.NOTE_COLUMNS.items():
            text = normalise_notes(row.get(column))
            if text:
                extras.append(f"{label}: {text}")
        if capacity_text.strip() and not values.is_plain_capacity(capacity_text):
            extras.append(f"想定収容人数: {normalise(capacity_text)}")
        for column in self.alert_columns:
            if values.is_flag_set(row.get(column, "")):
                extras.append(f"開設: {_bracketed(column)}")
        return join_notes(normalise_notes(col.first(row, col.NOTES)), *extras)


def municipality_code(row: Mapping[str, str], layout: Layout) -> str:
    for column in col.MUNICIPALITY:
        code = values.municipality_code(row.get(column, ""))
        if code:
            return code
    for column in layout.id_columns:
        code = values.municipality_from_gsi_id(normalise(row.get(column, "")))
        if code:
            return code
    return ""


def source_id(row: Mapping[str, str], layout: Layout, municipality: str, *content: object) -> str:
    """Stable across re-imports: the GSI 共通ID as is, a dataset's own ID scoped by municipality
    and dataset, or (no ID) a hash of the content that identifies the row."""
    scope = f"{municipality or '000000'}-{layout.dataset}"
    for column in layout.id_columns:
        ident = values.dataset_id(row.get(column, ""))
        if values.GSI_COMMON_ID.fullmatch(ident):
            return ident
        if ident:
            return f"{scope}-{ident}"
    return f"{scope}-{values.fallback_id(*content)}"


def address(row: Mapping[str, str]) -> str:
    text = normalise(col.first(row, col.ADDRESS))
    if not text:
        text = "".join(normalise(row.get(part, "")) for part in col.ADDRESS_PARTS)
    prefecture = normalise(col.first(row, col.PREFECTURE))
    city = normalise(col.first(row, col.CITY))
    if text and prefecture and city and text.startswith(city) and not text.startswith(prefecture):
        text = prefecture + text
    building = normalise(col.first(row, col.BUILDING))
    if building and building not in text:
        text = f"{text} {building}".strip()
    return text


def _bracketed(column: str) -> str:
    start, end = column.find("("), column.rfind(")")
    return column[start + 1 : end] if 0 <= start < end else column
