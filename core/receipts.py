"""Receipt numbers (受付番号): short, random, easy to read out on the phone (no 0/O, 1/I)."""

from __future__ import annotations

import secrets

RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def receipt_number(*, length: int, prefix: str = "", group: int = 0) -> str:
    """`prefix` + `length` random characters, split by '-' every `group` characters when given."""
    text = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(length))
    if group:
        text = "-".join(text[i : i + group] for i in range(0, length, group))
    return prefix + text
