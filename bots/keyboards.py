"""The reply keyboard under the chat; domains add their buttons to MAIN_BUTTONS."""

from __future__ import annotations

from aiogram.types import KeyboardButton, ReplyKeyboardMarkup

from core.i18n import t

# Rows of (text key, request_location) pairs, filled by the domain routers.
MAIN_BUTTONS: list[list[tuple[str, bool]]] = [
    [("geo.bot.button_location", True), ("geo.bot.button_aed", False)],
]


def main_keyboard(lang: str) -> ReplyKeyboardMarkup | None:
    if not MAIN_BUTTONS:
        return None
    rows = [
        [KeyboardButton(text=t(key, lang), request_location=location) for key, location in row]
        for row in MAIN_BUTTONS
    ]
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, is_persistent=True)
