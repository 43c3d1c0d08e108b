"""Open311's error descriptions in Japanese and English."""

from __future__ import annotations

from core.i18n import register

register(
    {
        "open311.unknown_format": {
            "ja": "形式が分かりません。.json か .xml を付けてください。",
            "en": "Unknown format: use .json or .xml.",
        },
        "open311.not_found": {
            "ja": "このアドレスには何もありません。",
            "en": "Not found.",
        },
        "open311.no_service": {
            "ja": "「{value}」というサービスはありません。",
            "en": "There is no service '{value}'.",
        },
        "open311.no_request": {
            "ja": "受付番号「{value}」の通報はありません。",
            "en": "There is no service request '{value}'.",
        },
        "open311.no_token": {
            "ja": "トークン「{value}」は見つかりません。",
            "en": "There is no token '{value}'.",
        },
        "open311.api_key_missing": {
            "ja": "api_key が必要です。",
            "en": "api_key is required.",
        },
        "open311.api_key_invalid": {
            "ja": "api_key が正しくありません。",
            "en": "api_key is not valid.",
        },
        "open311.position_needed": {
            "ja": "lat と long を指定してください（address_id には対応していません）。",
            "en": "This city needs lat and long (address_id is not supported).",
        },
        "open311.address_unknown": {
            "ja": "住所が見つかりませんでした。lat と long を指定してください。",
            "en": "The address could not be found; send lat and long.",
        },
        "open311.as_given": {"ja": "{text}", "en": "{text}"},
    }
)
