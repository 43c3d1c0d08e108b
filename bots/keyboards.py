"""Reply keyboards: the main one under the chat, and the registry of every reply-keyboard
button, so a tap on any of them (even on a keyboard left from a flow) leaves the flow first."""

from __future__ import annotations

from aiogram.types import KeyboardButton, ReplyKeyboardMarkup

from core.i18n import LANGUAGES, t

# Rows of (text key, request_location) pairs, filled by the routers, in `order`.
MAIN_BUTTONS: list[list[tuple[str, bool]]] = []
_ROW_ORDER: dict[tuple[tuple[str, bool], ...], int] = {}
_BUTTON_TEXTS: set[str] = set()


def add_main_row(*buttons: tuple[str, bool], order: int = 50) -> None:
    """Add a row to the main keyboard (once, whatever the number of dispatchers built); rows
    with a lower `order` come first (emergencies first)."""
    row = list(buttons)
    if tuple(row) not in _ROW_ORDER:
        _ROW_ORDER[tuple(row)] = order
        MAIN_BUTTONS.append(row)
        MAIN_BUTTONS.sort(key=lambda r: _ROW_ORDER[tuple(r)])
    for key, request_location in row:
        if not request_location:
            register_button(key)


def register_button(key: str) -> None:
    """A text button of some reply keyboard; its text in every language counts as a tap."""
    _BUTTON_TEXTS.update(t(key, lang) for lang in LANGUAGES)


def button_texts(key: str) -> set[str]:
    return {t(key, lang) for lang in LANGUAGES}


def is_button_text(text: str | None) -> bool:
    return text is not None and text in _BUTTON_TEXTS


def main_keyboard(lang: str) -> ReplyKeyboardMarkup:
    rows = [
        [KeyboardButton(text=t(key, lang), request_location=location) for key, location in row]
        for row in MAIN_BUTTONS
    ]
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, is_persistent=True)


def home(lang: str) -> ReplyKeyboardMarkup:
    """The keyboard a finished flow leaves on screen."""
    return main_keyboard(lang)


def location_keyboard(button_key: str, lang: str, *extra_keys: str) -> ReplyKeyboardMarkup:
    """A one-time keyboard asking for the location, with text buttons below it."""
    rows = [[KeyboardButton(text=t(button_key, lang), request_location=True)]]
    rows += [[KeyboardButton(text=t(key, lang))] for key in extra_keys]
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, one_time_keyboard=True)
