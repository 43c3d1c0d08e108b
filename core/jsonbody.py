"""The one JSON reader for what clients send: request bodies, GraphQL variables, webhooks.

`json.loads` recurses once per nesting level, so a body of ten thousand `[` raises
RecursionError, and a few hundred levels that parse still overflow whatever walks the
value next (GraphQL's variable coercion, pydantic). Nesting deeper than MAX_DEPTH is
refused before the parser sees it, with TooDeep, a JSONDecodeError: callers that already
answer malformed JSON with a 400 answer this one the same way.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_AS_SQUARE = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


class TooDeep(json.JSONDecodeError):
    def __init__(self, document: str, max_depth: int) -> None:
        super().__init__(f"nested deeper than {max_depth} levels", document, 0)


def _levels_within(data: bytes, limit: int) -> int | None:
    """How deep arrays and objects nest in a JSON text, or None past `limit` (or unbalanced).

    Strings are dropped, objects count as arrays, and each round removes every innermost
    `[]` pair: one round per level, each a C-speed pass.
    """
    brackets = _STRING.sub(b"", data).translate(_AS_SQUARE, _NOT_BRACKETS)
    depth = 0
    while brackets:
        shorter = brackets.replace(b"[]", b"")
        if depth == limit or len(shorter) == len(brackets):
            return None
        brackets, depth = shorter, depth + 1
    return depth


def _too_deep(data: bytes, max_depth: int) -> bool:
    # Fewer opening brackets than the limit cannot nest past it: the usual body costs two
    # counts; the rounds run only for bodies with many brackets.
    if data.count(b"[") + data.count(b"{") <= max_depth:
        return False
    return _levels_within(data, max_depth) is None


def loads(data: str | bytes | bytearray, *, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads` that refuses nesting deeper than `max_depth` (TooDeep, a ValueError)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if _too_deep(raw, max_depth):
        raise TooDeep(raw[:40].decode("utf-8", "replace"), max_depth)
    try:
        return json.loads(raw)
    except UnicodeDecodeError as error:
        raise json.JSONDecodeError("not UTF-8", "", error.start) from None
    except RecursionError:  # a lower interpreter limit than MAX_DEPTH assumes
        raise TooDeep(raw[:40].decode("utf-8", "replace"), max_depth) from None
