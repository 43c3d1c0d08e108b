"""Personal data sealed at rest: JSON encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under
the keys of the DATA_ENCRYPTION_KEYS setting. The first key seals; every key opens, so a new
key can be put first and old rows re-sealed at leisure (`reseal`)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SealBroken(Exception):
    """A sealed value that none of the keys opens (a lost key, or a tampered row)."""


class Sealer:
    def __init__(self, keys: tuple[str, ...]) -> None:
        if not keys:
            raise ValueError("no data encryption key")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def seal(self, value: dict[str, Any]) -> str:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        return self._fernet.encrypt(data).decode("ascii")

    def open(self, token: str) -> dict[str, Any]:
        try:
            return json.loads(self._fernet.decrypt(token.encode("ascii")))
        except (InvalidToken, ValueError) as error:
            raise SealBroken("a sealed value could not be opened") from error

    def reseal(self, token: str) -> str:
        """The same value sealed under the first key."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken as error:
            raise SealBroken("a sealed value could not be opened") from error


@cache
def sealer(keys: tuple[str, ...]) -> Sealer:
    return Sealer(keys)
