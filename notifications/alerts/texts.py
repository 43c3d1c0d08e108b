"""The alert domain's texts: messages to residents, errors, import reports."""

from __future__ import annotations

from core.i18n import register

_BODY_JA = "{headline_ja}\n{instruction_ja}\n対象地域: {areas_ja}\n{source_ja}"
_BODY_EN = "{headline_en}\n{instruction_en}\nArea: {areas_en}\n{source_en}"

register(
    {
        "alerts.message.issued": {
            "ja": "{mark_ja}⚠️【緊急情報】{event_ja}\n" + _BODY_JA,
            "en": "{mark_en}⚠️ ALERT: {event_en}\n" + _BODY_EN,
        },
        "alerts.message.updated": {
            "ja": "{mark_ja}⚠️【緊急情報・更新】{event_ja}\n" + _BODY_JA,
            "en": "{mark_en}⚠️ ALERT UPDATE: {event_en}\n" + _BODY_EN,
        },
        "alerts.message.cancelled": {
            "ja": "{mark_ja}【取消】先にお知らせした「{event_ja}」は取り消されました。\n{source_ja}",
            "en": '{mark_en}CANCELLED: the alert "{event_en}" sent earlier is withdrawn.\n'
            "{source_en}",
        },
        "alerts.message.lifted": {
            "ja": "{mark_ja}【解除】{areas_ja}の「{event_ja}」は解除されました。\n{source_ja}",
            "en": '{mark_en}LIFTED: "{event_en}" for {areas_en} is over.\n{source_en}',
        },
        "alerts.too_long": {
            "ja": "{max} 文字以内で入力してください。",
            "en": "Please use at most {max} characters.",
        },
        "alerts.control_characters": {
            "ja": "使えない制御文字や改行が含まれています。",
            "en": "This contains control characters or line breaks that are not allowed.",
        },
        "alerts.required": {
            "ja": "入力してください。",
            "en": "This is required.",
        },
        "alerts.bad_latitude": {
            "ja": "緯度は -90 から 90 の数値で指定してください。",
            "en": "The latitude must be a number from -90 to 90.",
        },
        "alerts.bad_longitude": {
            "ja": "経度は -180 から 180 の数値で指定してください。",
            "en": "The longitude must be a number from -180 to 180.",
        },
        "alerts.bad_radius": {
            "ja": "半径は {low} 〜 {high} メートルで指定してください。",
            "en": "The radius must be {low} to {high} metres.",
        },
        "alerts.bad_polygon": {
            "ja": "多角形は 3 〜 {max} 点で指定してください。",
            "en": "A polygon needs 3 to {max} points.",
        },
        "alerts.bad_area_count": {
            "ja": "対象地域を 1 〜 {max} 件指定してください。",
            "en": "Give 1 to {max} areas.",
        },
        "alerts.too_many_shapes": {
            "ja": "円と多角形は合わせて {max} 個までです。",
            "en": "At most {max} circles and polygons in all.",
        },
        "alerts.no_geometry": {
            "ja": "対象地域に円か多角形を少なくとも一つ指定してください。",
            "en": "Give at least one circle or polygon for the area.",
        },
        "alerts.expires_before_effective": {
            "ja": "終了日時は開始日時より後にしてください。",
            "en": "The expiry must come after the effective time.",
        },
        "alerts.expires_in_past": {
            "ja": "終了日時が過ぎています。",
            "en": "The expiry time has already passed.",
        },
        "alerts.already_cancelled": {
            "ja": "この緊急情報はすでに取り消されています。",
            "en": "This alert has already been cancelled.",
        },
        "alerts.status_fixed": {
            "ja": "発表後に種別（実際・訓練・テスト）は変更できません。",
            "en": "An alert's status (actual, exercise, test) cannot change once issued.",
        },
        "alerts.msg_type_create": {
            "ja": "新しい緊急情報の msgType は ALERT です（更新は updateAlert、取消は cancelAlert）。",
            "en": "A new alert has msgType ALERT (updateAlert updates, cancelAlert cancels).",
        },
        "alerts.msg_type_update": {
            "ja": "更新の msgType は UPDATE です（取消は cancelAlert）。",
            "en": "An update has msgType UPDATE (cancelAlert cancels).",
        },
        "alerts.too_many_watch_areas": {
            "ja": "見守り地域は {max} 件までです。",
            "en": "At most {max} watch areas.",
        },
    }
)
