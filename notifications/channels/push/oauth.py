"""OAuth 2.0 access tokens for FCM from a service account (RFC 7523 JWT bearer grant).

The service account signs a short JWT with its private key; the token endpoint answers an
access token valid for about an hour, kept until a minute before it runs out."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import jwt

from core.settings.delivery import FcmCredentials

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_SECONDS = 3600
REFRESH_MARGIN_SECONDS = 60


class TokenError(Exception):
    """The token endpoint refused or could not be reached."""


class ServiceAccountTokens:
    def __init__(self, credentials: FcmCredentials, session) -> None:
        self.credentials = credentials
        self.session = session  # () -> aiohttp.ClientSession
        self._token = ""
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    def assertion(self, now: float) -> str:
        claims = {
            "iss": self.credentials.client_email,
            "scope": SCOPE,
            "aud": self.credentials.token_uri,
            "iat": int(now),
            "exp": int(now) + ASSERTION_SECONDS,
        }
        return jwt.encode(claims, self.credentials.private_key, algorithm="RS256")

    async def token(self) -> str:
        if self._token and time.time() < self._expires_at - REFRESH_MARGIN_SECONDS:
            return self._token
        async with self._lock:
            if self._token and time.time() < self._expires_at - REFRESH_MARGIN_SECONDS:
                return self._token
            await self._fetch()
            return self._token

    def forget(self, used: str) -> None:
        """The API refused this token (401): the next call fetches a new one."""
        if self._token == used:
            self._token = ""

    async def _fetch(self) -> None:
        now = time.time()
        form = {"grant_type": GRANT_TYPE, "assertion": self.assertion(now)}
        try:
            async with self.session().post(self.credentials.token_uri, data=form) as response:
                if response.status != 200:
                    raise TokenError(f"token endpoint answered {response.status}")
                body = await response.json()
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise TokenError(f"token endpoint unreachable: {type(exc).__name__}") from exc
        self._token = str(body["access_token"])
        self._expires_at = now + float(body.get("expires_in", 3600))
