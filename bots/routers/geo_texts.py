"""What the bot says about evacuation sites, shelters and AEDs."""

from __future__ import annotations

from core.i18n import register

register(
    {
        "bot.geo.button_location": {"ja": "📍 現在地から避難先を探す", "en": "📍 Send my location"},
        "bot.geo.button_aed": {"ja": "❤️ 近くのAED", "en": "❤️ AED near me"},
        "bot.geo.send_location": {"ja": "📍 現在地を送る", "en": "📍 Send my location"},
        "bot.geo.choose_hazard": {
            "ja": "どの災害から避難しますか？",
            "en": "What are you evacuating from?",
        },
        "bot.geo.any_hazard": {"ja": "指定なし", "en": "Any"},
        "bot.geo.aed_here": {"ja": "❤️ この近くのAED", "en": "❤️ AEDs near here"},
        "bot.geo.ask_location_for_aed": {
            "ja": "下のボタンで現在地を送ってください。近くのAEDを探します。",
            "en": "Share your location with the button below and I will find the nearest AEDs.",
        },
        "bot.geo.shelters_for": {
            "ja": "【{hazard}】の近くの避難先",
            "en": "Nearest places to go for: {hazard}",
        },
        "bot.geo.shelters_any": {
            "ja": "近くの指定緊急避難場所・指定避難所",
            "en": "Nearest evacuation sites and shelters",
        },
        "bot.geo.no_shelters": {
            "ja": "近くに該当する避難先が見つかりませんでした。",
            "en": "No such place was found nearby.",
        },
        "bot.geo.details_hint": {
            "ja": "番号のボタンで詳しい情報（収容人数・備考）を表示します。",
            "en": "Tap a number for details (capacity, notes).",
        },
        "bot.geo.aeds_now": {"ja": "近くの、いま使えるAED", "en": "Nearest AEDs usable now"},
        "bot.geo.aeds_at": {
            "ja": "{when}に使える近くのAED",
            "en": "Nearest AEDs usable at {when}",
        },
        "bot.geo.other_times": {
            "ja": "ほかの時刻に使えるAEDは、下のボタンで探せます。",
            "en": "For AEDs usable at another time, tap a time below.",
        },
        "bot.geo.no_aeds": {
            "ja": "近くにAEDが見つかりませんでした。119番に通報してください。",
            "en": "No AED was found nearby. Call 119.",
        },
        "bot.geo.evacuation_site": {"ja": "指定緊急避難場所", "en": "designated evacuation site"},
        "bot.geo.shelter": {"ja": "指定避難所", "en": "designated shelter"},
        "bot.geo.status.OPEN": {"ja": "開設中", "en": "open now"},
        "bot.geo.status.NOT_OPENED": {
            "ja": "現在は開設されていません",
            "en": "not opened at present",
        },
        "bot.geo.status.CLOSED": {
            "ja": "閉鎖中（使用できません）",
            "en": "closed (do not go there)",
        },
        "bot.geo.site": {
            "ja": "{number}. {name}（{distance}）",
            "en": "{number}. {name} ({distance})",
        },
        "bot.geo.aed": {
            "ja": "{number}. {name} {placement}（{distance}）",
            "en": "{number}. {name}, {placement} ({distance})",
        },
        "bot.geo.detail_status": {"ja": "状況: {status}", "en": "Status: {status}"},
        "bot.geo.detail_hazards": {
            "ja": "対象とする災害: {hazards}",
            "en": "Designated for: {hazards}",
        },
        "bot.geo.detail_no_hazards": {
            "ja": "対象とする災害: 公表なし",
            "en": "Designated for: not published",
        },
        "bot.geo.detail_capacity": {"ja": "収容人数: {capacity}人", "en": "Capacity: {capacity}"},
        "bot.geo.detail_no_capacity": {
            "ja": "収容人数: 公表なし",
            "en": "Capacity: not published",
        },
        "bot.geo.detail_address": {"ja": "住所: {address}", "en": "Address: {address}"},
        "bot.geo.detail_notes": {"ja": "備考: {notes}", "en": "Notes: {notes}"},
    }
)
