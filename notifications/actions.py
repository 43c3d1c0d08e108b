"""Buttons a message carries where its channel can show them (Telegram's inline buttons).

The domain that answers a kind of message registers what its buttons are; a press comes back
to the bot as the button's data, and the bot answers it through the API like any other press.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Action:
    label: str
    data: str  # at most 64 bytes (Telegram's callback data)


Rows = tuple[tuple[Action, ...], ...]
# (message_key, params, language) -> rows of buttons (none: an empty tuple)
Builder = Callable[[str, dict[str, Any], str], Rows]
_builders: dict[str, Builder] = {}


def register(kind: str, builder: Builder) -> Builder:
    _builders[kind] = builder
    return builder


def actions_for(kind: str, message_key: str, params: dict[str, Any], language: str) -> Rows:
    builder = _builders.get(kind)
    return builder(message_key, params, language) if builder else ()
