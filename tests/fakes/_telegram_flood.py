"""Telegram's flood control for sends, as the Bot API enforces it on a bot.

About 30 messages a second overall (1,000 with `allow_paid_broadcast`, each paid for),
one a second per chat; over a limit the answer is 429 with `retry_after`. Random 429s
mimic the limits Telegram does not publish."""

from __future__ import annotations

import random
import time
from collections import Counter, deque
from dataclasses import dataclass, field

from ._telegram_error import BotApiError

SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendLocation", "sendVenue"})


@dataclass
class FloodControl:
    per_second: int = 30
    paid_per_second: int = 1000
    per_chat_seconds: float = 1.0
    random_429: float = 0.0
    retry_after: int = 1
    seed: int = 12
    refused: Counter = field(default_factory=Counter)  # reason -> count
    paid_messages: int = 0
    _free: deque = field(default_factory=deque)
    _paid: deque = field(default_factory=deque)
    _chats: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def check(self, method: str, params: dict) -> None:
        """Raise the 429 Telegram would answer, or count the send."""
        if method not in SEND_METHODS:
            return
        now = time.monotonic()
        paid = bool(params.get("allow_paid_broadcast"))
        window, limit = (
            (self._paid, self.paid_per_second) if paid else (self._free, self.per_second)
        )
        while window and window[0] <= now - 1.0:
            window.popleft()
        chat = params.get("chat_id")
        if len(window) >= limit:
            self._refuse("overall")
        if now - self._chats.get(chat, -10.0) < self.per_chat_seconds:
            self._refuse("chat")
        if self.random_429 and self._random.random() < self.random_429:
            self._refuse("random")
        window.append(now)
        self._chats[chat] = now
        self.paid_messages += paid

    def _refuse(self, reason: str) -> None:
        self.refused[reason] += 1
        raise BotApiError(
            429,
            f"Too Many Requests: retry after {self.retry_after}",
            retry_after=self.retry_after,
        )
