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
    """The field's label; a part of a composite field (address) after its field's label, and
    which item of a list, counted from one (「世帯員 2件目 生年月日」)."""
    if not path:
        return localized({"ja": "回答", "en": "Answers"}, language)
    entry = ui.get("fields", {}).get(path[0], {})
    words = [localized(entry.get("label"), language) or path[0]]
    parts = entry.get("parts", {})
    for part in path[1:]:
        if part.isdecimal():
            number = int(part) + 1
            words.append(f"{number}件目" if normalize_language(language) == "ja" else f"#{number}")
        else:
            words.append(localized(parts.get(part), language) or part)
    return " ".join(words)


#: JSON Schema's types as a person calls them.
TYPE_NAMES = {
    "string": {"ja": "文字", "en": "text"},
    "integer": {"ja": "整数", "en": "a whole number"},
    "number": {"ja": "数値", "en": "a number"},
    "boolean": {"ja": "はい・いいえ", "en": "yes or no"},
    "array": {"ja": "一覧", "en": "a list"},
    "object": {"ja": "項目の組", "en": "a group of answers"},
    "null": {"ja": "空欄", "en": "nothing"},
}


def type_names(types: Any, language: str) -> str:
    """`"string"` or `["string", "null"]` in the caller's language."""
    names = [
        localized(TYPE_NAMES.get(str(name), str(name)), language)
        for name in (types if isinstance(types, list) else [types])
    ]
    return ("・" if normalize_language(language) == "ja" else " or ").join(names)


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
            "ja": "「{label}」の値の種類が正しくありません（{expected}で入力してください）。",
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
