"""Every user-facing text in Japanese and English.

Domains add their own texts with `register`; keys are dotted (`accounts.bad_login`).
"""

from __future__ import annotations

from typing import Literal

Language = Literal["ja", "en"]
LANGUAGES: tuple[Language, ...] = ("ja", "en")
DEFAULT_LANGUAGE: Language = "ja"

_CATALOG: dict[str, dict[str, str]] = {}


def register(texts: dict[str, dict[str, str]]) -> None:
    for key, by_language in texts.items():
        missing = [lang for lang in LANGUAGES if lang not in by_language]
        if missing:
            raise ValueError(f"text {key!r} lacks {missing}")
        _CATALOG[key] = by_language


def normalize_language(value: str | None) -> Language:
    """A language tag from a client (`en-US`, `ja`, None) as one we speak."""
    if value and value.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def t(key: str, language: str | None = None, **params: object) -> str:
    texts = _CATALOG.get(key)
    if texts is None:
        return key
    template = texts[normalize_language(language)]
    return template.format(**params) if params else template


register(
    {
        "error.internal": {
            "ja": "システムで問題が発生しました。時間をおいて再度お試しください（問い合わせ番号 {request_id}）。",
            "en": "Something went wrong on our side. Please try again later (reference {request_id}).",
        },
        "error.unauthenticated": {
            "ja": "ログインが必要です。",
            "en": "Please log in first.",
        },
        "error.forbidden": {
            "ja": "この操作を行う権限がありません。",
            "en": "You are not allowed to do this.",
        },
        "error.not_found": {
            "ja": "お探しの情報が見つかりません。",
            "en": "We could not find what you asked for.",
        },
        "error.rate_limited": {
            "ja": "リクエストが多すぎます。{seconds}秒ほど待ってから再度お試しください。",
            "en": "Too many requests. Please wait about {seconds} seconds and try again.",
        },
        "error.bad_query": {
            "ja": "リクエストの形式が正しくありません: {detail}",
            "en": "The request is not valid: {detail}",
        },
        "error.too_large": {
            "ja": "送信データが大きすぎます（上限 {limit} バイト）。",
            "en": "The request is too large (limit {limit} bytes).",
        },
        "error.csrf": {
            "ja": "ファイル送信には Apollo-Require-Preflight: true ヘッダーが必要です。",
            "en": "File uploads need the header Apollo-Require-Preflight: true.",
        },
        "error.validation": {
            "ja": "入力内容に誤りがあります: {detail}",
            "en": "Please check your input: {detail}",
        },
    }
)
