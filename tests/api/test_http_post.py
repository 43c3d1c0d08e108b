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


async def test_post__straight_to_the_graphql_app__same_answer_as_the_routed_ways(client):
    posted = await client.post("/graphql", json={"query": "{ __typename }"})
    got = await client.get("/graphql", params={"query": "{ __typename }"})
    assert posted.status_code == got.status_code == 200
    assert posted.json() == got.json() == {"data": {"__typename": "Query"}}
    assert posted.headers["content-type"] == "application/json"
    assert int(posted.headers["content-length"]) == len(posted.content)
    assert posted.headers["x-request-id"]


async def test_post__other_methods_still_meet_the_router(client):
    response = await client.put("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 405
