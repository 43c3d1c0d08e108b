"""Bot API methods that answer at once, on a `BotWorld` (getUpdates lives in the server)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from ._telegram_error import BotApiError
from ._telegram_model import BotWorld, inline_keyboard
from ._telegram_text import parse_formatted, utf16_length

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_ANSWER_LENGTH = 200
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)

Method = Callable[[BotWorld, dict[str, Any]], Any]


def get_me(world: BotWorld, params: dict[str, Any]) -> dict[str, Any]:
    return {
        **world.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def _formatted(params: dict[str, Any], key: str, limit: int) -> dict[str, Any]:
    text, entities = parse_formatted(str(params.get(key) or ""), params.get("parse_mode"))
    if utf16_length(text) > limit:
        too_long = "message is too long" if key == "text" else "message caption is too long"
        raise BotApiError(400, f"Bad Request: {too_long}")
    content: dict[str, Any] = {key: text} if text else {}
    if entities:
        content["entities" if key == "text" else "caption_entities"] = entities
    return content


def _with_markup(content: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    markup = inline_keyboard(params.get("reply_markup"))
    if markup is not None:
        content["reply_markup"] = markup
    return content


def send_message(world: BotWorld, params: dict[str, Any]) -> dict[str, Any]:
    chat = world.chat(params.get("chat_id"))
    content = _formatted(params, "text", MAX_TEXT_LENGTH)
    if "text" not in content:
        raise BotApiError(400, "Bad Request: message text is empty")
    return world.new_bot_message(chat, _with_markup(content, params))


def send_photo(world: BotWorld, params: dict[str, Any]) -> dict[str, Any]:
    chat = world.chat(params.get("chat_id"))
    if not params.get("photo"):
        raise BotApiError(400, "Bad Request: there is no photo in the request")
    content = {"photo": world.photo_sizes(params["photo"])}
    content.update(_formatted(params, "caption", MAX_CAPTION_LENGTH))
    return world.new_bot_message(chat, _with_markup(content, params))


def _location(params: dict[str, Any]) -> dict[str, float]:
    try:
        latitude, longitude = float(params["latitude"]), float(params["longitude"])
    except (KeyError, TypeError, ValueError):
        raise BotApiError(400, "Bad Request: wrong latitude or longitude specified") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise BotApiError(400, "Bad Request: wrong latitude or longitude specified")
    return {"latitude": latitude, "longitude": longitude}


def send_location(world: BotWorld, params: dict[str, Any]) -> dict[str, Any]:
    chat = world.chat(params.get("chat_id"))
    return world.new_bot_message(chat, _with_markup({"location": _location(params)}, params))


def send_venue(world: BotWorld, params: dict[str, Any]) -> dict[str, Any]:
    chat = world.chat(params.get("chat_id"))
    location = _location(params)
    if not params.get("title") or not params.get("address"):
        raise BotApiError(400, "Bad Request: venue title and address must be non-empty")
    venue = {"location": location, "title": params["title"], "address": params["address"]}
    content = {"venue": venue, "location": location}
    return world.new_bot_message(chat, _with_markup(content, params))


def _editable(world: BotWorld, params: dict[str, Any]) -> dict[str, Any]:
    message = world.message(
        params.get("chat_id"), params.get("message_id"), "message to edit not found"
    )
    if message.get("from", {}).get("id") != world.bot_user["id"]:
        raise BotApiError(400, "Bad Request: message can't be edited")
    return message


def _apply_edit(
    message: dict[str, Any], changes: dict[str, Any], drop: tuple[str, ...]
) -> dict[str, Any]:
    edited = {key: value for key, value in message.items() if key not in drop}
    edited.update(changes)
    unchanged = {k: v for k, v in message.items() if k != "edit_date"}
    if {k: v for k, v in edited.items() if k != "edit_date"} == unchanged:
        raise BotApiError(400, _NOT_MODIFIED)
    edited["edit_date"] = max(int(time.time()), message.get("edit_date", message["date"]) + 1)
    message.clear()
    message.update(edited)
    return message


def edit_message_text(world: BotWorld, params: dict[str, Any]) -> dict[str, Any] | bool:
    if params.get("inline_message_id"):
        return True
    message = _editable(world, params)
    if "text" not in message:
        raise BotApiError(400, "Bad Request: there is no text in the message to edit")
    content = _formatted(params, "text", MAX_TEXT_LENGTH)
    if "text" not in content:
        raise BotApiError(400, "Bad Request: message text is empty")
    return _apply_edit(message, _with_markup(content, params), drop=("entities", "reply_markup"))


def edit_message_reply_markup(world: BotWorld, params: dict[str, Any]) -> dict[str, Any] | bool:
    if params.get("inline_message_id"):
        return True
    message = _editable(world, params)
    return _apply_edit(message, _with_markup({}, params), drop=("reply_markup",))


def delete_message(world: BotWorld, params: dict[str, Any]) -> bool:
    message = world.message(
        params.get("chat_id"), params.get("message_id"), "message to delete not found"
    )
    del world.messages[message["chat"]["id"]][message["message_id"]]
    return True


def answer_callback_query(world: BotWorld, params: dict[str, Any]) -> bool:
    query_id = str(params.get("callback_query_id") or "")
    if query_id not in world.open_callback_queries:
        raise BotApiError(
            400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
        )
    if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER_LENGTH:
        raise BotApiError(400, "Bad Request: MESSAGE_TOO_LONG")
    world.open_callback_queries.discard(query_id)
    return True


MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile refuses larger files


def get_file(world: BotWorld, params: dict[str, Any]) -> dict[str, Any]:
    stored = world.files.get(str(params.get("file_id") or ""))
    if stored is None:
        raise BotApiError(400, "Bad Request: invalid file_id")
    if len(stored.content) > MAX_DOWNLOAD_BYTES:
        raise BotApiError(400, "Bad Request: file is too big")
    return stored.as_file()


def send_chat_action(world: BotWorld, params: dict[str, Any]) -> bool:
    world.chat(params.get("chat_id"))
    return True


def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return str(scope.get("type", "default")), str(params.get("language_code") or "")


def set_my_commands(world: BotWorld, params: dict[str, Any]) -> bool:
    commands = params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise BotApiError(400, "Bad Request: commands are invalid")
    for command in commands:
        if not _COMMAND_NAME.match(str(command.get("command", ""))):
            raise BotApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise BotApiError(400, "Bad Request: command description is invalid")
    world.commands[_commands_key(params)] = commands
    return True


def get_my_commands(world: BotWorld, params: dict[str, Any]) -> list[dict[str, Any]]:
    return world.commands.get(_commands_key(params), [])


def delete_my_commands(world: BotWorld, params: dict[str, Any]) -> bool:
    world.commands.pop(_commands_key(params), None)
    return True


IMMEDIATE_METHODS: dict[str, Method] = {
    "getMe": get_me,
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendLocation": send_location,
    "sendVenue": send_venue,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "getFile": get_file,
    "sendChatAction": send_chat_action,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
}
