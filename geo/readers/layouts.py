"""The published layouts, told apart by their header names (never by column positions).

Header names are compared after `values.normalise` (NFKC), so "建物名等（方書）" and
"建物名等(方書)" are one name. Columns with an empty name are ignored; when a name repeats,
the first column with it counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from geo.hazards import Hazard, hazard_by_label_ja
from geo.readers.records import RecordKind, UnknownLayoutError
from geo.text import normalise

# Column names shared by the layouts (first non-empty one wins).
NAME = ("名称", "施設・場所名")
KANA = ("名称_カナ",)
ADDRESS = ("所在地_連結表記", "住所")
ADDRESS_PARTS = ("所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下")
BUILDING = ("建物名等(方書)", "方書")
PREFECTURE = ("都道府県名", "所在地_都道府県")
CITY = ("市区町村名", "所在地_市区町村")
LAT, LNG = "緯度", "経度"
MUNICIPALITY = (
    "全国地方公共団体コード",
    "市区町村コード",
    "所在地_全国地方公共団体コード",
    "団体コード",
    "都道府県コード又は市区町村コード",
)
ALSO_SHELTER = ("指定避難所との重複", "指定避難所との住所同一")
ALSO_EVACUATION_SITE = ("指定緊急避難場所との重複", "指定緊急避難場所との住所同一")
CAPACITY = ("想定収容人数", "収容人数")
NOTES = ("備考",)
# Site columns kept in the notes, with the label they are shown under.
NOTE_COLUMNS = {
    "受入対象者": "受入対象者",
    "その他市町村長が必要と認める事項": "その他市町村長が必要と認める事項",
    "対象となる町会・自治会": "対象となる町会・自治会",
    "避難所面積平方メートル": "避難所面積(㎡)",
}
# AED columns.
PLACEMENT = ("設置位置",)
PHONE = ("電話番号",)
EXTENSION = ("内線番号",)
DAYS = ("利用可能曜日",)
OPENS = ("開始時間",)
CLOSES = ("終了時間",)
AVAILABILITY_NOTES = ("利用可能日時特記事項",)
PEDIATRIC = ("小児対応設備の有無",)
NOT_FOR_PUBLIC = ("外部利用不可",)

_STANDARD_HAZARD_PREFIX = "災害種別_"
_CITY_HAZARD_PREFIX = "開設される災害の種類"
# The city layout names the disasters a shelter opens for in brackets.
_CITY_HAZARD_WORDS = (
    ("風水害", Hazard.FLOOD.bit | Hazard.STORM_SURGE.bit | Hazard.INLAND_FLOOD.bit),
    ("土砂", Hazard.LANDSLIDE.bit),
    ("地震", Hazard.EARTHQUAKE.bit),
    ("津波", Hazard.TSUNAMI.bit),
    ("洪水", Hazard.FLOOD.bit),
    ("高潮", Hazard.STORM_SURGE.bit),
    ("内水", Hazard.INLAND_FLOOD.bit),
    ("火事", Hazard.LARGE_FIRE.bit),
    ("火災", Hazard.LARGE_FIRE.bit),
    ("火山", Hazard.VOLCANO.bit),
)


@dataclass(frozen=True)
class Layout:
    name: str
    kind: RecordKind
    dataset: str  # "emergency", "shelter" or "aed": scopes ids that are only unique in a file
    required: frozenset[str]
    id_columns: tuple[str, ...]
    is_evacuation_site: bool = False
    is_shelter: bool = False
    required_prefix: str = ""

    def matches(self, names: frozenset[str]) -> bool:
        if not self.required <= names:
            return False
        return not self.required_prefix or any(n.startswith(self.required_prefix) for n in names)


def _layout(
    name: str, kind: RecordKind, dataset: str, required: Iterable[str], **options
) -> Layout:
    return Layout(name, kind, dataset, frozenset({LAT, LNG, *required}), **options)


_SITE, _AED = RecordKind.SITE, RecordKind.AED
# Most specific first.
LAYOUTS = (
    _layout(
        "gsi_emergency",
        _SITE,
        "emergency",
        ("共通ID", "施設・場所名", "洪水", "地震", "津波"),
        id_columns=("共通ID",),
        is_evacuation_site=True,
    ),
    _layout(
        "gsi_shelter",
        _SITE,
        "shelter",
        ("共通ID", "施設・場所名", "指定緊急避難場所との住所同一"),
        id_columns=("共通ID",),
        is_shelter=True,
    ),
    _layout(
        "standard_aed", _AED, "aed", ("名称", "設置位置", "所在地_連結表記"), id_columns=("ID",)
    ),
    _layout(
        "recommended_v1_aed", _AED, "aed", ("名称", "設置位置", "住所"), id_columns=("ID", "NO")
    ),
    _layout(
        "standard_shelter",
        _SITE,
        "shelter",
        ("名称", "所在地_連結表記", "指定緊急避難場所との重複"),
        id_columns=("ID",),
        is_shelter=True,
    ),
    _layout(
        "standard_evacuation_space",
        _SITE,
        "emergency",
        ("名称", "所在地_連結表記", "災害種別_地震"),
        id_columns=("ID",),
        is_evacuation_site=True,
    ),
    _layout(
        "recommended_v1_evacuation_space",
        _SITE,
        "emergency",
        ("名称", "住所", "災害種別_地震"),
        id_columns=("ID", "NO"),
        is_evacuation_site=True,
    ),
    _layout(
        "city_shelter",
        _SITE,
        "shelter",
        ("名称", "住所"),
        id_columns=("ID", "NO"),
        is_shelter=True,
        required_prefix=_CITY_HAZARD_PREFIX,
    ),
)


def header_names(raw_names: Iterable[object]) -> list[str]:
    return [normalise(name).lstrip("\ufeff") for name in raw_names]


def detect(names: Iterable[str]) -> Layout:
    """The layout whose required columns the (normalised) header has."""
    present = frozenset(name for name in names if name)
    for layout in LAYOUTS:
        if layout.matches(present):
            return layout
    raise UnknownLayoutError(f"no known layout has the columns {sorted(present)}")


def hazard_bits(column: str) -> int | None:
    """Hazard bits a flag column stands for, or None if it is not a hazard column."""
    column = column.removeprefix(_STANDARD_HAZARD_PREFIX)
    hazard = hazard_by_label_ja(column)
    if hazard is not None:
        return hazard.bit
    if column.startswith(_CITY_HAZARD_PREFIX):
        if "臨時情報" in column:  # 南海トラフ地震臨時情報 is an alert, not a hazard: kept as a note
            return 0
        bits = 0
        for word, word_bits in _CITY_HAZARD_WORDS:
            if word in column:
                bits |= word_bits
        return bits
    return None


def first(row: Mapping[str, str], columns: Iterable[str]) -> str:
    for column in columns:
        value = row.get(column)
        if value:
            return value
    return ""
