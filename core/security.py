"""Password hashes, signed access tokens and opaque secrets."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core import clock

_ALGORITHM = "HS256"


def use_password_hasher(hasher: PasswordHasher) -> None:
    """Hash new passwords with `hasher` (existing hashes carry their own parameters).

    The service keeps argon2id with the library's recommended parameters (RFC 9106, about
    a third of a CPU-second per hash); the test suite swaps in argon2's cheapest profile.
    """
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    # Verifying against this keeps the timing of "no such account" equal to "wrong password".
    _DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


_hasher: PasswordHasher
_DUMMY_HASH: str
use_password_hasher(PasswordHasher())


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def opaque_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_access_token(secret: str, subject: str, minutes: int, session: str | None = None) -> str:
    """A signed access token; `session` (the `sid` claim) lets a log-out end it early."""
    issued = clock.now()
    claims: dict[str, Any] = {
        "sub": subject,
        "typ": "access",
        "iat": issued,
        "exp": issued + timedelta(minutes=minutes),
    }
    if session is not None:
        claims["sid"] = session
    return jwt.encode(claims, secret, algorithm=_ALGORITHM)


#: Claims of tokens whose signature checked out, by key and token: a client sends the same
#: token with every request until it expires, and checking it again each time costs more
#: than the request's own read. Expiry is checked at every use.
_SIGNED: dict[tuple[str, str], dict[str, Any]] = {}
MAX_SIGNED = 4096


def read_access_token(
    secret: str, token: str, now: datetime | None = None
) -> dict[str, Any] | None:
    """The token's claims, or None when it is not valid now."""
    claims = _SIGNED.get((secret, token))
    if claims is None:
        try:
            claims = jwt.decode(
                token,
                secret,
                algorithms=[_ALGORITHM],
                options={"require": ["sub", "exp", "typ"], "verify_exp": False},
            )
        except jwt.PyJWTError:
            return None
        if len(_SIGNED) >= MAX_SIGNED:
            _SIGNED.clear()
        _SIGNED[(secret, token)] = claims
    moment = (now or clock.now()).timestamp()
    if claims.get("typ") != "access" or not isinstance(claims["exp"], int | float):
        return None
    if claims["exp"] <= moment or not isinstance(claims["sub"], str):
        return None
    return claims
