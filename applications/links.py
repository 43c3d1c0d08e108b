"""Short-lived signed links to private files (attachments, receipts), made for one caller.

The link names the object and the caller; the route checks the signature and then the
caller's access again, so a link that leaks is useless after a few minutes and to anyone
whose access has gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import jwt

from core import clock

LIFETIME = timedelta(minutes=15)
_ALGORITHM = "HS256"


@dataclass(frozen=True)
class Grant:
    kind: str  # "attachment" or "receipt"
    object_id: str
    caller: str  # "r:<resident id>" or "s:<staff id>"


def sign(secret: str, grant: Grant) -> str:
    claims = {
        "typ": "file",
        "obj": f"{grant.kind}:{grant.object_id}",
        "sub": grant.caller,
        "exp": clock.now() + LIFETIME,
    }
    return jwt.encode(claims, secret, algorithm=_ALGORITHM)


def read(secret: str, token: str, kind: str, object_id: str) -> Grant | None:
    try:
        claims = jwt.decode(token, secret, algorithms=[_ALGORITHM], options={"verify_exp": False})
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "file" or claims.get("obj") != f"{kind}:{object_id}":
        return None
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] <= clock.now().timestamp():
        return None
    return Grant(kind, object_id, str(claims.get("sub", "")))


def caller_of(context) -> str:
    if context.resident is not None:
        return f"r:{context.resident.id}"
    return f"s:{context.staff.id}"


def attachment_url(context, public_id: str) -> str:
    token = sign(context.settings.secret_key, Grant("attachment", public_id, caller_of(context)))
    return f"/applications/attachments/{public_id}?t={token}"


def receipt_url(context, public_id: str) -> str:
    token = sign(context.settings.secret_key, Grant("receipt", public_id, caller_of(context)))
    return f"/applications/{public_id}/receipt.pdf?t={token}"
