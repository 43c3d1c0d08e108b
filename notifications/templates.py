"""Every message rendered from one template per message kind, in the recipient's language.

A message's body is the text registered under its `message_key` (core.i18n, ja and en, with
`{placeholders}` filled from its params); its title (push, e-mail subject, an alert's first
line on Telegram) is the text `<message_key>.title` when registered, else the kind's title
`notifications.title.<kind>`, else the general one. Exercises and tests are marked on both:
【訓練】/[EXERCISE] or 【テスト】/[TEST] by the params' `status`, else a mark for either."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.i18n import normalize_language, t

_MARKS = {"exercise": "notifications.drill_mark", "test": "notifications.test_mark"}


class TemplateError(Exception):
    """A template whose placeholders the params do not fill."""


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


def _known(key: str, language: str, params: dict[str, Any]) -> str | None:
    text = t(key, language, **params)
    return None if text == key else text


def render_text(
    message_key: str,
    params: dict[str, Any],
    language: str | None,
    *,
    kind: str,
    exercise: bool = False,
) -> Rendered:
    language = normalize_language(language)
    try:
        body = t(message_key, language, **params)
        title = (
            _known(f"{message_key}.title", language, params)
            or _known(f"notifications.title.{kind}", language, params)
            or t("notifications.title.default", language)
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise TemplateError(f"{message_key}: {type(exc).__name__} {exc}") from exc
    if exercise:
        mark = t(
            _MARKS.get(str(params.get("status", "")).lower(), "notifications.exercise_mark"),
            language,
        )
        title, body = f"{mark} {title}", f"{mark}\n{body}"
    return Rendered(title=title, body=body)
