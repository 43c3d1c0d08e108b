"""Receipt numbers (受付番号): short, random, easy to read out on the phone (no 0/O, 1/I)."""

from __future__ import annotations

import secrets

RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#: A character for each value of a random byte, each character as often (32 divides 256).
_BY_BYTE = RECEIPT_ALPHABET * (256 // len(RECEIPT_ALPHABET))


def receipt_number(*, length: int, prefix: str = "", group: int = 0) -> str:
    """`prefix` + `length` random characters, split by '-' every `group` characters when given."""
    text = "".join(_BY_BYTE[byte] for byte in secrets.token_bytes(length))
    if group:
        text = "-".join(text[i : i + group] for i in range(0, length, group))
    return prefix + text
