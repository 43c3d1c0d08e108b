"""Field labels from a form's UI document, and the field-error texts in ja/en."""

from __future__ import annotations

from typing import Any

from core.i18n import normalize_language, register


def localized(text: Any, language: str) -> str:
    """A {ja, en} text of a definition in the caller's language."""
    if isinstance(text, dict):
        return str(text.get(normalize_language(language)) or text.get("ja") or "")
    return str(text or "")


def field_label(ui: dict[str, Any], path: tuple[str, ...], language: str) -> str:
    """The field's label; a part of a composite field (address) after its field's label."""
    if not path:
        return localized({"ja": "回答", "en": "Answers"}, language)
    entry = ui.get("fields", {}).get(path[0], {})
    label = localized(entry.get("label"), language) or path[0]
    rest = [part for part in path[1:] if not part.isdigit()]
    if rest:
        parts = entry.get("parts", {})
        label += " " + " ".join(localized(parts.get(p), language) or p for p in rest)
    return label


register(
    {
        "applications.field.required": {
            "ja": "「{label}」を入力してください。",
            "en": "Please answer “{label}”.",
        },
        "applications.field.not_allowed": {
            "ja": "「{label}」はこの回答では入力できません（表示されていない項目です）。",
            "en": "“{label}” does not apply to your other answers and must be left out.",
        },
        "applications.field.unknown": {
            "ja": "「{label}」はこの申請の項目ではありません。",
            "en": "“{label}” is not a question of this application.",
        },
        "applications.field.not_an_object": {
            "ja": "回答は項目名と値の組で送ってください。",
            "en": "Send the answers as an object of field names and values.",
        },
        "applications.field.type": {
            "ja": "「{label}」の値の種類が正しくありません（{expected}）。",
            "en": "“{label}” has the wrong kind of value (expected {expected}).",
        },
        "applications.field.minimum": {
            "ja": "「{label}」は{limit}以上にしてください。",
            "en": "“{label}” must be at least {limit}.",
        },
        "applications.field.maximum": {
            "ja": "「{label}」は{limit}以下にしてください。",
            "en": "“{label}” must be at most {limit}.",
        },
        "applications.field.exclusiveMinimum": {
            "ja": "「{label}」は{limit}より大きくしてください。",
            "en": "“{label}” must be more than {limit}.",
        },
        "applications.field.exclusiveMaximum": {
            "ja": "「{label}」は{limit}未満にしてください。",
            "en": "“{label}” must be less than {limit}.",
        },
        "applications.field.minLength": {
            "ja": "「{label}」は{limit}文字以上で入力してください。",
            "en": "“{label}” needs at least {limit} characters.",
        },
        "applications.field.maxLength": {
            "ja": "「{label}」は{limit}文字以内で入力してください。",
            "en": "“{label}” may have at most {limit} characters.",
        },
        "applications.field.minItems": {
            "ja": "「{label}」は{limit}件以上選んでください。",
            "en": "Choose at least {limit} for “{label}”.",
        },
        "applications.field.maxItems": {
            "ja": "「{label}」は{limit}件までです。",
            "en": "Choose at most {limit} for “{label}”.",
        },
        "applications.field.choice": {
            "ja": "「{label}」は選択肢から選んでください。",
            "en": "Choose one of the options for “{label}”.",
        },
        "applications.field.pattern": {
            "ja": "「{label}」の形式が正しくありません。",
            "en": "“{label}” is not in the expected form.",
        },
        "applications.field.uniqueItems": {
            "ja": "「{label}」に同じ選択が重なっています。",
            "en": "“{label}” has the same choice twice.",
        },
        "applications.field.multipleOf": {
            "ja": "「{label}」の値が正しくありません。",
            "en": "“{label}” is not a valid value.",
        },
        "applications.field.format_date": {
            "ja": "「{label}」は日付（例 2025-04-01）で入力してください。",
            "en": "“{label}” must be a date such as 2025-04-01.",
        },
        "applications.field.format_email": {
            "ja": "「{label}」はメールアドレスの形式で入力してください。",
            "en": "“{label}” must be an e-mail address.",
        },
        "applications.field.format_attachment": {
            "ja": "「{label}」にはアップロードしたファイルを指定してください。",
            "en": "“{label}” must name a file you uploaded.",
        },
        "applications.field.format": {
            "ja": "「{label}」の形式が正しくありません。",
            "en": "“{label}” is not in the expected format.",
        },
        "applications.field.invalid": {
            "ja": "「{label}」の値が正しくありません。",
            "en": "“{label}” is not valid.",
        },
        "applications.field.attachment_missing": {
            "ja": "「{label}」のファイルが見つかりません。もう一度アップロードしてください。",
            "en": "The file for “{label}” was not found; please upload it again.",
        },
    }
)
