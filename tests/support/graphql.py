"""Talks to /graphql over real HTTP through the ASGI app, with the project's documents."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import httpx

from api.executor import operation

_counter = itertools.count(1)


@dataclass
class Account:
    token: str
    refresh_token: str
    id: str
    email: str
    password: str


class GraphQL:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        auth: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        all_headers = dict(headers or {})
        if auth:
            all_headers["Authorization"] = f"Bearer {auth}"
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def op(self, name: str, *, auth: str | None = None, **variables: Any) -> dict[str, Any]:
        return await self(operation(name), variables, auth=auth)

    async def data(
        self, query: str, variables: dict | None = None, *, auth: str | None = None
    ) -> dict:
        body = await self(query, variables, auth=auth)
        assert not body.get("errors"), body
        return body["data"]

    async def sign_up(self, *, language: str = "ja", name: str | None = None) -> Account:
        number = next(_counter)
        email, password = f"resident{number}@example.jp", f"password-{number}-ok"
        body = await self.op(
            "SignUp",
            email=email,
            password=password,
            displayName=name or f"住民{number}",
            language=language,
        )
        assert not body.get("errors"), body
        payload = body["data"]["signUp"]
        return Account(
            token=payload["accessToken"],
            refresh_token=payload["refreshToken"],
            id=payload["resident"]["id"],
            email=email,
            password=password,
        )


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error.get("extensions", {}).get("code") for error in body.get("errors") or []]
