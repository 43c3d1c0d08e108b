"""The status-lookup secret (照会キー) of a submission.

It is derived from the server's secret key and a random salt kept with the submission, so
it is never stored, can be checked without a table of secrets, and can be printed again on
the resident's own receipt.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from applications.cases.models import Case
from core.receipts import RECEIPT_ALPHABET


def new_salt() -> str:
    return secrets.token_hex(16)


def lookup_secret(secret_key: str, salt: str) -> str:
    """Twelve easy-to-read characters in three groups, e.g. ``7KQ2-M9XD-4HPA``."""
    digest = hmac.new(secret_key.encode(), f"lookup:{salt}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:10], "big")
    characters = []
    for _ in range(12):
        number, index = divmod(number, len(RECEIPT_ALPHABET))
        characters.append(RECEIPT_ALPHABET[index])
    text = "".join(characters)
    return "-".join(text[i : i + 4] for i in range(0, 12, 4))


def matches(secret_key: str, salt: str, given: str) -> bool:
    if not salt or not isinstance(given, str) or len(given) > 40:
        return False
    wanted = lookup_secret(secret_key, salt)
    cleaned = given.strip().upper().replace(" ", "")
    return hmac.compare_digest(wanted.replace("-", ""), cleaned.replace("-", ""))


async def case_with_salt(receipt_number: str) -> Case | None:
    """The case of a receipt number, with its submission (whose salt checks the secret)."""
    return await Case.filter(receipt_number=receipt_number).select_related("application").first()
