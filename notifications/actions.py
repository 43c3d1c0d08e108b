"""Buttons a message carries where its channel can show them (Telegram's inline buttons, the
app's notification actions).

The domain that answers a kind of message registers what its buttons are; a press comes back
to the bot as the button's data, and the bot answers it through the API like any other press.
For push it registers the data keys the app needs to show and answer them (a `category` the
app knows, and what to send back): docs/push.md.
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
# (message_key, params, language) -> a push message's extra data keys (none: empty)
PushBuilder = Callable[[str, dict[str, Any], str], dict[str, str]]
_push_builders: dict[str, PushBuilder] = {}


def register(kind: str, builder: Builder) -> Builder:
    _builders[kind] = builder
    return builder


def actions_for(kind: str, message_key: str, params: dict[str, Any], language: str) -> Rows:
    builder = _builders.get(kind)
    return builder(message_key, params, language) if builder else ()


def register_push(kind: str, builder: PushBuilder) -> PushBuilder:
    _push_builders[kind] = builder
    return builder


def push_data_for(
    kind: str, message_key: str, params: dict[str, Any], language: str
) -> dict[str, str]:
    builder = _push_builders.get(kind)
    return builder(message_key, params, language) if builder else {}
