"""User-facing texts (ja, en) for every error code of the reports package.

``MESSAGES`` is plain data so the application's i18n layer can merge it into
its own catalogue; :func:`message` formats one text for callers that do not.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"

MESSAGES: dict[str, dict[str, str]] = {
    # photos
    "PHOTO_EMPTY": {
        "ja": "写真のファイルが空です。",
        "en": "The photo file is empty.",
    },
    "PHOTO_TOO_LARGE": {
        "ja": "写真が大きすぎます。{max_mb} MB 以下のファイルを送ってください。",
        "en": "The photo is too large. Please send a file of at most {max_mb} MB.",
    },
    "PHOTO_NOT_AN_IMAGE": {
        "ja": "このファイルは写真として読み込めません。JPEG・PNG・WebP の写真を送ってください。",
        "en": "This file could not be read as a photo. Please send a JPEG, PNG or WebP photo.",
    },
    "PHOTO_FORMAT": {
        "ja": "{format} 形式の画像は受け付けていません。JPEG・PNG・WebP で送ってください。",
        "en": "{format} images are not accepted. Please send a JPEG, PNG or WebP photo.",
    },
    "PHOTO_CORRUPT": {
        "ja": "写真のファイルが壊れているか、途中で切れています。もう一度送ってください。",
        "en": "The photo file is damaged or incomplete. Please send it again.",
    },
    "PHOTO_TOO_MANY_PIXELS": {
        "ja": "写真の画素数が多すぎます（上限 {max_megapixels} メガピクセル）。縮小して送ってください。",
        "en": "The photo has too many pixels (limit {max_megapixels} megapixels). Please send a smaller version.",
    },
    # storage
    "STORAGE_BAD_KEY": {
        "ja": "ファイルの指定が正しくありません。",
        "en": "The file reference is not valid.",
    },
    "STORAGE_NOT_FOUND": {
        "ja": "ファイルが見つかりません。",
        "en": "The file was not found.",
    },
    # workflow
    "REPORT_UNKNOWN_STATUS": {
        "ja": "「{status}」という状態はありません。",
        "en": "There is no status called '{status}'.",
    },
    "REPORT_TRANSITION_NOT_ALLOWED": {
        "ja": "「{from_status}」から「{to_status}」へは変更できません。",
        "en": "A report cannot go from '{from_status}' to '{to_status}'.",
    },
    "REPORT_TRANSITION_FORBIDDEN": {
        "ja": "この状態の変更は職員のみが行えます。",
        "en": "Only staff can make this status change.",
    },
    "REPORT_REOPEN_EXPIRED": {
        "ja": "解決から {days} 日を過ぎたため、再開できません。新しく通報してください。",
        "en": "More than {days} days have passed since it was resolved, so it cannot be "
        "reopened. Please send a new report.",
    },
    # request validation (Open311, GeoJSON feed); {field} is the parameter name as sent
    "VALIDATION": {
        "ja": "送信内容に誤りがあります。",
        "en": "The request has invalid fields.",
    },
    "FIELD_REQUIRED": {
        "ja": "{field} は必須です。",
        "en": "{field} is required.",
    },
    "FIELD_DUPLICATED": {
        "ja": "{field} が複数回送られています。",
        "en": "{field} was sent more than once.",
    },
    "FIELD_TOO_LONG": {
        "ja": "{field} は {max_length} 文字以内にしてください。",
        "en": "{field} must be at most {max_length} characters.",
    },
    "FIELD_CONTROL_CHARACTERS": {
        "ja": "{field} に使えない制御文字が含まれています。",
        "en": "{field} contains control characters that are not allowed.",
    },
    "FIELD_NOT_A_NUMBER": {
        "ja": "{field} は数値で指定してください。",
        "en": "{field} must be a number.",
    },
    "FIELD_NOT_AN_INTEGER": {
        "ja": "{field} は整数で指定してください。",
        "en": "{field} must be a whole number.",
    },
    "FIELD_OUT_OF_RANGE": {
        "ja": "{field} は {minimum} 以上 {maximum} 以下にしてください。",
        "en": "{field} must be between {minimum} and {maximum}.",
    },
    "LAT_LONG_PAIR": {
        "ja": "lat と long は両方を指定してください。",
        "en": "lat and long must be sent together.",
    },
    "LOCATION_REQUIRED": {
        "ja": "場所を指定してください（lat と long、address_string、address_id のいずれか）。",
        "en": "A location is required: lat and long, address_string or address_id.",
    },
    "EMAIL_INVALID": {
        "ja": "メールアドレスの形式が正しくありません。",
        "en": "The e-mail address is not valid.",
    },
    "URL_INVALID": {
        "ja": "{field} は http または https の URL にしてください。",
        "en": "{field} must be an http or https URL.",
    },
    "ATTRIBUTE_CODE_INVALID": {
        "ja": "属性コード「{field}」は正しくありません。",
        "en": "The attribute code '{field}' is not valid.",
    },
    "ATTRIBUTE_MIXED": {
        "ja": "{field} に単一値と複数値の形式が混在しています。",
        "en": "{field} was sent both as a single value and as a list.",
    },
    "ATTRIBUTE_UNKNOWN": {
        "ja": "{field} はこの種別にはない項目です。",
        "en": "{field} is not an attribute of this service.",
    },
    "ATTRIBUTE_VALUE_NOT_ALLOWED": {
        "ja": "{field} の値「{value}」は選択肢にありません。",
        "en": "'{value}' is not one of the choices for {field}.",
    },
    "ATTRIBUTE_SINGLE_VALUE": {
        "ja": "{field} には値を一つだけ指定してください。",
        "en": "{field} takes a single value.",
    },
    "DATETIME_INVALID": {
        "ja": "{field} は ISO 8601 形式の日時にしてください（例 2024-04-01T09:00:00+09:00）。",
        "en": "{field} must be an ISO 8601 date-time (e.g. 2024-04-01T09:00:00+09:00).",
    },
    "DATETIME_NEEDS_TIMEZONE": {
        "ja": "{field} には時差（Z や +09:00）を含めてください。",
        "en": "{field} must include a time zone (Z or an offset such as +09:00).",
    },
    "DATE_RANGE_REVERSED": {
        "ja": "end_date は start_date より後にしてください。",
        "en": "end_date must be after start_date.",
    },
    "DATE_RANGE_TOO_LONG": {
        "ja": "期間は {max_days} 日以内にしてください。",
        "en": "The date range may span at most {max_days} days.",
    },
    "STATUS_INVALID": {
        "ja": "status は open または closed で指定してください。",
        "en": "status must be open or closed.",
    },
    "TOO_MANY_VALUES": {
        "ja": "{field} の値は {maximum} 個までです。",
        "en": "{field} accepts at most {maximum} values.",
    },
    "ENCODING_INVALID": {
        "ja": "送信内容が UTF-8 ではありません。",
        "en": "The request is not valid UTF-8.",
    },
    "TOO_MANY_FIELDS": {
        "ja": "送信された項目が多すぎます。",
        "en": "The request has too many fields.",
    },
    "BBOX_INVALID": {
        "ja": "bbox は「西端経度,南端緯度,東端経度,北端緯度」の4つの数値で指定してください。",
        "en": "bbox must be four numbers: minLng,minLat,maxLng,maxLat.",
    },
    "BBOX_OUT_OF_RANGE": {
        "ja": "bbox の緯度は -90〜90、経度は -180〜180 の範囲にしてください。",
        "en": "bbox latitudes must be within -90..90 and longitudes within -180..180.",
    },
    "BBOX_REVERSED": {
        "ja": "bbox の最小値が最大値を超えています。",
        "en": "bbox minimums must not exceed its maximums.",
    },
}


def message(code: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text for ``code`` in ``lang`` (falls back to Japanese), with ``params`` filled in."""
    texts = MESSAGES.get(code)
    if texts is None:
        return code
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


STATUS_LABELS: dict[str, dict[str, str]] = {
    "received": {"ja": "受付", "en": "Received"},
    "acknowledged": {"ja": "確認済み", "en": "Acknowledged"},
    "in_progress": {"ja": "対応中", "en": "In progress"},
    "resolved": {"ja": "対応済み", "en": "Resolved"},
    "rejected": {"ja": "対応対象外", "en": "Not taken up"},
    "duplicate": {"ja": "重複（他の通報で対応）", "en": "Duplicate (handled in another report)"},
}


def status_label(status: str, lang: str = DEFAULT_LANGUAGE) -> str:
    labels = STATUS_LABELS.get(str(status))
    if labels is None:
        return str(status)
    return labels.get(lang) or labels[DEFAULT_LANGUAGE]
