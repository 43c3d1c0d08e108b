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

# The bot's words (bots/routers/geo.py).
register(
    {
        "geo.bot.button_location": {"ja": "📍 現在地から避難先を探す", "en": "📍 Send my location"},
        "geo.bot.button_aed": {"ja": "❤️ 近くのAED", "en": "❤️ AED near me"},
        "geo.bot.send_location": {"ja": "📍 現在地を送る", "en": "📍 Send my location"},
        "geo.bot.choose_hazard": {
            "ja": "どの災害から避難しますか？",
            "en": "What are you evacuating from?",
        },
        "geo.bot.any_hazard": {"ja": "指定なし", "en": "Any"},
        "geo.bot.aed_here": {"ja": "❤️ この近くのAED", "en": "❤️ AEDs near here"},
        "geo.bot.ask_location_for_aed": {
            "ja": "下のボタンで現在地を送ってください。近くのAEDを探します。",
            "en": "Share your location with the button below and I will find the nearest AEDs.",
        },
        "geo.bot.shelters_for": {
            "ja": "【{hazard}】の近くの避難先",
            "en": "Nearest places to go for: {hazard}",
        },
        "geo.bot.shelters_any": {
            "ja": "近くの指定緊急避難場所・指定避難所",
            "en": "Nearest evacuation sites and shelters",
        },
        "geo.bot.no_shelters": {
            "ja": "近くに該当する避難先が見つかりませんでした。",
            "en": "No such place was found nearby.",
        },
        "geo.bot.aeds": {"ja": "近くのAED", "en": "Nearest AEDs"},
        "geo.bot.aeds_now": {"ja": "近くの、いま使えるAED", "en": "Nearest AEDs usable now"},
        "geo.bot.no_aeds": {
            "ja": "近くにAEDが見つかりませんでした。119番に通報してください。",
            "en": "No AED was found nearby. Call 119.",
        },
        "geo.bot.open": {"ja": "開設中", "en": "open"},
        "geo.bot.closed": {"ja": "閉鎖中", "en": "closed"},
        "geo.bot.site": {
            "ja": "{number}. {name}（{distance}・{state}）",
            "en": "{number}. {name} ({distance}, {state})",
        },
        "geo.bot.aed": {
            "ja": "{number}. {name} {placement}（{distance}）",
            "en": "{number}. {name}, {placement} ({distance})",
        },
        "geo.bot.metres": {"ja": "{value}m", "en": "{value} m"},
        "geo.bot.kilometres": {"ja": "{value}km", "en": "{value} km"},
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
