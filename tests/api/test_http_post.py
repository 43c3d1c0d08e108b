from __future__ import annotations

import pytest


async def test_post__operation_name_picks_the_operation(client):
    query = "query A { __typename } query B { me { id } }"
    response = await client.post("/graphql", json={"query": query, "operationName": "A"})
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_post__subscription__refused(client):
    response = await client.post(
        "/graphql", json={"query": "subscription { notificationAdded { text } }"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"query": 5}',
        b'{"query": ""}',
        b'{"query": "{ __typename }", "variables": [1]}',
        b'{"query": "{ __typename }", "operationName": 7}',
        b'"just a string"',
    ],
)
async def test_post__malformed_request__400_not_500(client, body):
    response = await client.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


async def test_post__japanese_text_is_sent_as_utf8(client):
    response = await client.post("/graphql", json={"query": "{ me { id } }"})
    assert response.headers["content-type"].startswith("application/json")
    assert "ログインが必要です。".encode() in response.content
