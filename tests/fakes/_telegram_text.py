"""Formatted text as the Bot API parses it: HTML and MarkdownV2 to plain text.

Telegram rejects malformed markup with 400 "can't parse entities"; a bot that
forgets to escape a resident's input in HTML mode fails exactly like this in
production, so the fake checks it the same way.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ._telegram_error import BotApiError

_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_MARKDOWN_V2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MARKDOWN_V2_ALWAYS_ESCAPED = set("#+-={}.!")


def _parse_error(detail: str) -> BotApiError:
    return BotApiError(400, f"Bad Request: can't parse entities: {detail}")


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _TelegramHtml(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.text_parts: list[str] = []
        self.entities: list[dict] = []
        self._open: list[tuple[str, int, dict]] = []
        self._length = 0

    def _byte_offset(self) -> int:
        line, column = self.getpos()
        char_index = self._line_starts[line - 1] + column
        return len(self._source[:char_index].encode("utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_ENTITY_TYPES:
            raise _parse_error(
                f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}'
            )
        attributes = {name: value or "" for name, value in attrs}
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise _parse_error(f'Unsupported start tag "span" at byte offset {self._byte_offset()}')
        self._open.append((tag, self._length, attributes))

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            raise _parse_error(f"Unexpected end tag at byte offset {self._byte_offset()}")
        _, start, attributes = self._open.pop()
        if self._length > start:
            self.entities.append(_html_entity(tag, start, self._length - start, attributes))

    def handle_data(self, data: str) -> None:
        if "<" in data:
            raise _parse_error(f"Unsupported start tag at byte offset {self._byte_offset()}")
        self.text_parts.append(data)
        self._length += utf16_length(data)

    def finish(self) -> tuple[str, list[dict]]:
        self.close()
        if self._open:
            tag = self._open[-1][0]
            raise _parse_error(f'Can\'t find end tag corresponding to start tag "{tag}"')
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return "".join(self.text_parts), self.entities


def _html_entity(tag: str, offset: int, length: int, attributes: dict) -> dict:
    entity = {"type": _HTML_ENTITY_TYPES[tag], "offset": offset, "length": length}
    if tag == "a":
        entity["url"] = attributes.get("href", "")
    if tag == "pre" and attributes.get("class", "").startswith("language-"):
        entity["language"] = attributes["class"].removeprefix("language-")
    if tag == "blockquote" and "expandable" in attributes:
        entity["type"] = "expandable_blockquote"
    return entity


def parse_html(text: str) -> tuple[str, list[dict]]:
    parser = _TelegramHtml(text)
    parser.feed(text)
    return parser.finish()


def parse_markdown_v2(text: str) -> tuple[str, list[dict]]:
    """Check MarkdownV2 escaping and drop the markup (entities are not computed)."""
    plain: list[str] = []
    in_code = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            plain.append(text[index + 1])
            index += 2
            continue
        if char == "]" and text.startswith("(", index + 1) and not in_code:
            index = _skip_link_url(text, index + 2)
            continue
        if char == "`":
            in_code = not in_code
        elif in_code:
            plain.append(char)
        elif char in _MARKDOWN_V2_ALWAYS_ESCAPED:
            raise _parse_error(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        elif char not in _MARKDOWN_V2_RESERVED:
            plain.append(char)
        index += 1
    if in_code:
        raise _parse_error("Can't find end of Code entity")
    return "".join(plain), []


def _skip_link_url(text: str, index: int) -> int:
    while index < len(text) and text[index] != ")":
        index += 2 if text[index] == "\\" else 1
    if index >= len(text):
        raise _parse_error("Can't find end of a URL")
    return index + 1


def parse_formatted(text: str, parse_mode: str | None) -> tuple[str, list[dict]]:
    """The plain text and entities Telegram stores for `text` sent with `parse_mode`."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    return text, []
