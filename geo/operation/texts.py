"""What shelter operation and the status board say, in Japanese and English."""

from __future__ import annotations

from core.i18n import register

register(
    {
        "geo.operation.bad_people": {
            "ja": "人数は {low} から {high} までの整数で指定してください。",
            "en": "The number of people must be a whole number from {low} to {high}.",
        },
        "geo.operation.nothing_to_change": {
            "ja": "収容可能人数・避難者数・提供内容のいずれかを指定してください。",
            "en": "Give the capacity, the headcount or what the shelter offers.",
        },
        "geo.operation.bad_area": {
            "ja": "範囲は「最小経度,最小緯度,最大経度,最大緯度」の形で指定してください。",
            "en": "The area must be minLng,minLat,maxLng,maxLat.",
        },
        "geo.operation.area_too_large": {
            "ja": "範囲内の避難先が多すぎます（上限 {max} 件）。範囲を狭めてください。",
            "en": "Too many places in the area (at most {max}). Choose a smaller area.",
        },
        "geo.operation.bad_status": {
            "ja": "状態は OPEN, NOT_OPENED, FULL, CLOSED から選んでください。",
            "en": "The status must be OPEN, NOT_OPENED, FULL or CLOSED.",
        },
        "geo.board.title": {"ja": "避難所の開設状況", "en": "Shelter status"},
        "geo.board.opened": {"ja": "開設中の避難所", "en": "Open shelters"},
        "geo.board.others": {"ja": "その他の避難場所・避難所", "en": "Other places"},
        "geo.board.none_opened": {
            "ja": "現在、開設中の避難所はありません。",
            "en": "No shelter is open at the moment.",
        },
        "geo.board.people": {
            "ja": "避難者 {headcount} 人 / 収容可能 {capacity} 人",
            "en": "{headcount} people here, room for {capacity}",
        },
        "geo.board.people_unknown_capacity": {
            "ja": "避難者 {headcount} 人",
            "en": "{headcount} people here",
        },
        "geo.board.updated": {"ja": "{time} 更新", "en": "Updated {time}"},
        "geo.board.last_update": {"ja": "最終更新 {time}", "en": "Last update {time}"},
        "geo.board.reload": {"ja": "最新の情報に更新", "en": "Reload"},
        "geo.board.open_only": {"ja": "開設中のみ表示", "en": "Open shelters only"},
        "geo.board.show_all": {"ja": "すべて表示", "en": "Show all"},
        "geo.board.map": {"ja": "地図", "en": "Map"},
        "geo.board.language": {"ja": "English", "en": "日本語"},
        "geo.status.OPEN": {"ja": "開設", "en": "Open"},
        "geo.status.NOT_OPENED": {"ja": "未開設", "en": "Not opened"},
        "geo.status.FULL": {"ja": "満", "en": "Full"},
        "geo.status.CLOSED": {"ja": "閉鎖", "en": "Closed"},
        "geo.crowding.AVAILABLE": {"ja": "空き", "en": "Space available"},
        "geo.crowding.CROWDED": {"ja": "混雑", "en": "Crowded"},
        "geo.crowding.FULL": {"ja": "満", "en": "Full"},
        "geo.crowding.UNKNOWN": {"ja": "不明", "en": "Unknown"},
        "geo.offer.WATER": {"ja": "給水", "en": "Water"},
        "geo.offer.FOOD": {"ja": "食料", "en": "Food"},
        "geo.offer.BLANKETS": {"ja": "毛布", "en": "Blankets"},
        "geo.offer.CHARGING": {"ja": "充電", "en": "Phone charging"},
        "geo.offer.PETS": {"ja": "ペット可", "en": "Pets allowed"},
        "geo.offer.WELFARE": {"ja": "福祉避難所", "en": "Welfare shelter"},
    }
)
