"""What the geo domain says to people, in Japanese and English."""

from __future__ import annotations

from core.i18n import register

register(
    {
        "geo.bad_latitude": {
            "ja": "緯度は -90 から 90 までの数値で指定してください。",
            "en": "The latitude must be a number from -90 to 90.",
        },
        "geo.bad_longitude": {
            "ja": "経度は -180 から 180 までの数値で指定してください。",
            "en": "The longitude must be a number from -180 to 180.",
        },
        "geo.bad_limit": {
            "ja": "件数は 1 から {max} までで指定してください。",
            "en": "The limit must be from 1 to {max}.",
        },
        "geo.bad_distance": {
            "ja": "距離は 0 以上の数値（メートル）で指定してください。",
            "en": "The distance must be a number of metres, 0 or more.",
        },
        "geo.attribution": {
            "ja": "出典: 国土地理院「指定緊急避難場所・指定避難所データ」、各市区町村のオープンデータ（避難所・AED設置箇所）を加工して作成",
            "en": "Sources: Geospatial Information Authority of Japan (GSI), designated emergency evacuation sites and shelters; municipalities' open data (shelters, AED locations). Processed by the city.",
        },
        "geo.aed.hours_unknown": {
            "ja": "利用できる曜日・時間は公表されていません（建物が閉まっていると使えない場合があります）。",
            "en": "Opening days and hours are not published (it may be locked away when the building is closed).",
        },
        "geo.aed.hours_unread": {
            "ja": "利用時間: {text}（時間を読み取れないため、使える可能性があるものとして表示しています）",
            "en": "Hours as published: {text} (they could not be read, so it is listed as possibly usable)",
        },
        "geo.aed.hours": {
            "ja": "利用時間: {text}",
            "en": "Hours as published: {text}",
        },
    }
)

# Hazard names, short enough for a button (the `hazards` query).
register(
    {
        "geo.hazard.FLOOD": {"ja": "洪水", "en": "Flood"},
        "geo.hazard.LANDSLIDE": {"ja": "土砂災害", "en": "Landslide"},
        "geo.hazard.STORM_SURGE": {"ja": "高潮", "en": "Storm surge"},
        "geo.hazard.EARTHQUAKE": {"ja": "地震", "en": "Earthquake"},
        "geo.hazard.TSUNAMI": {"ja": "津波", "en": "Tsunami"},
        "geo.hazard.LARGE_FIRE": {"ja": "大規模な火事", "en": "Large fire"},
        "geo.hazard.INLAND_FLOOD": {"ja": "内水氾濫", "en": "Inland flooding"},
        "geo.hazard.VOLCANO": {"ja": "火山", "en": "Volcano"},
    }
)
