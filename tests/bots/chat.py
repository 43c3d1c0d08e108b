"""Reading the chat as the resident sees it: buttons, presses, what the bot sent per update."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

GENERIC_ERRORS = (
    "申し訳ありません。問題が発生しました。しばらくしてから再度お試しください。",
    "Sorry, something went wrong. Please try again later.",
)


def inline_buttons(message: dict) -> list[dict]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def callback_data(message: dict, *, prefix: str | None = None, text: str | None = None) -> str:
    """The callback data of the first button whose data starts with `prefix` / text contains `text`."""
    for button in inline_buttons(message):
        data = button.get("callback_data", "")
        if (prefix is None or data.startswith(prefix)) and (text is None or text in button["text"]):
            return data
    raise AssertionError(f"no button {prefix or ''}{text or ''} in {inline_buttons(message)}")


def prompt_with(bot, user, data: str) -> dict:
    """The newest bot message carrying a button with this callback data."""
    for message in reversed(bot.replies(user)):
        if any(b.get("callback_data") == data for b in inline_buttons(message)):
            return message
    raise AssertionError(f"no message with button {data}")


async def press(bot, user, data: str, message: dict | None = None) -> dict:
    """Press the button (on `message`, else the newest message that has it); the bot's last reply."""
    message = message or prompt_with(bot, user, data)
    await bot.send(bot.updates.callback_query(data, message=message, user=user))
    return bot.last_reply(user)


def sent_markup(bot, user) -> dict | None:
    """The reply markup of the last message sent to the user, as the bot sent it (a reply
    keyboard is not part of the message Telegram returns)."""
    calls = [
        c for c in bot.tg.calls if c.method == "sendMessage" and c.params["chat_id"] == user.id
    ]
    return calls[-1].params.get("reply_markup")


@dataclass
class Answer:
    """What the bot did about one update."""

    messages: list[dict[str, Any]]
    callback_answers: list[dict[str, Any]]

    @property
    def texts(self) -> list[str]:
        return [str(m.get("text", "")) for m in self.messages]


async def send(bot, user, update: dict) -> Answer:
    """Send an update through the webhook and collect the bot's calls it caused."""
    mark = bot.tg.mark()
    response = await bot.send(update)
    assert response.status_code == 200
    calls = bot.tg.calls[mark:]
    messages = [
        c.params
        for c in calls
        if c.method in ("sendMessage", "sendPhoto") and c.ok and c.params.get("chat_id") == user.id
    ]
    answers = [c.params for c in calls if c.method == "answerCallbackQuery" and c.ok]
    return Answer(messages, answers)
