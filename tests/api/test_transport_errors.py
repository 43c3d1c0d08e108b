"""GraphQL transport failures answer in the GraphQL shape: a code, a localized message and
the status the GraphQL-over-HTTP specification names."""

from __future__ import annotations

import json

import pytest

from tests.support.graphql import error_codes

DEEP = "[" * 200 + "]" * 200


def post_json(body: str):
    return {"content": body, "headers": {"Content-Type": "application/json"}}


CASES = [
    ("POST", "not-json", post_json("{not json"), 400, "BAD_QUERY"),
    (
        "POST",
        "deep-body",
        post_json('{"query": "{ __typename }", "variables": {"a": ' + DEEP + "}}"),
        400,
        "BAD_QUERY",
    ),
    (
        "POST",
        "deep-extensions",
        post_json('{"query": "{ __typename }", "extensions": {"a": ' + DEEP + "}}"),
        400,
        "BAD_QUERY",
    ),
    ("POST", "no-content-type", {"content": b'{"query": "{ __typename }"}'}, 415, "BAD_QUERY"),
    (
        "POST",
        "text-plain",
        {"content": b"{ __typename }", "headers": {"Content-Type": "text/plain"}},
        415,
        "BAD_QUERY",
    ),
    ("POST", "no-query", post_json("{}"), 400, "BAD_QUERY"),
    ("POST", "query-not-a-string", post_json('{"query": 5}'), 400, "BAD_QUERY"),
    (
        "POST",
        "unknown-operation-name",
        post_json('{"query": "query A { __typename }", "operationName": "B"}'),
        400,
        "BAD_QUERY",
    ),
    (
        "POST",
        "subscription",
        post_json('{"query": "subscription { notificationAdded { id } }"}'),
        400,
        "BAD_QUERY",
    ),
    (
        "GET",
        "no-query",
        {"params": {}, "headers": {"Accept": "application/json"}},
        400,
        "BAD_QUERY",
    ),
    ("GET", "mutation", {"params": {"query": "mutation { logOut }"}}, 405, "BAD_QUERY"),
    (
        "GET",
        "deep-variables",
        {"params": {"query": "{ __typename }", "variables": DEEP}},
        400,
        "BAD_QUERY",
    ),
    (
        "GET",
        "variables-not-json",
        {"params": {"query": "{ __typename }", "variables": "{x"}},
        400,
        "BAD_QUERY",
    ),
    ("PUT", "method", {"content": b"{}"}, 405, "BAD_QUERY"),
]


@pytest.mark.parametrize(
    ("method", "case", "request_kwargs", "status", "code"),
    CASES,
    ids=[f"{case[0]}-{case[1]}" for case in CASES],
)
async def test_transport_failure__graphql_shape_code_and_status(
    client, method, case, request_kwargs, status, code
):
    kwargs = dict(request_kwargs)
    headers = {**kwargs.pop("headers", {}), "Accept-Language": "en"}

    english = await client.request(method, "/graphql", headers=headers, **kwargs)
    japanese = await client.request(
        method, "/graphql", headers={**headers, "Accept-Language": "ja"}, **kwargs
    )

    assert english.status_code == status, english.text
    body = english.json()
    assert body["data"] is None and error_codes(body) == [code]
    assert english.headers["content-type"].startswith("application/json")
    assert body["errors"][0]["message"] != japanese.json()["errors"][0]["message"]


async def test_multipart__deep_operations__400_in_the_graphql_shape(client):
    response = await client.post(
        "/graphql",
        data={
            "operations": '{"query": "{ __typename }", "variables": {"a": ' + DEEP + "}}",
            "map": "{}",
        },
        files={"0": ("a.txt", b"x", "text/plain")},
        headers={"Apollo-Require-Preflight": "true"},
    )

    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_QUERY"]


async def test_every_response__carries_a_request_id(client):
    given = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"X-Request-Id": "client-id-42"}
    )
    made = await client.get("/healthz")

    assert given.headers["x-request-id"] == "client-id-42"
    assert len(made.headers["x-request-id"]) >= 8


async def test_unknown_route__coded_json_404(client):
    response = await client.get("/no/such/place", headers={"Accept-Language": "en"})

    assert response.status_code == 404
    assert error_codes(response.json()) == ["NOT_FOUND"]


async def test_introspection__twenty_deep_oftype_chain_refused(gql):
    chain = "name"
    for _ in range(20):
        chain = f"ofType {{ {chain} }}"
    body = await gql('{ __type(name: "Query") { fields { type { ' + chain + " } } } }")

    assert error_codes(body) == ["BAD_QUERY"]
    assert "introspection" in body["errors"][0]["message"]


async def test_introspection__the_standard_query_still_answers(gql):
    from graphql import get_introspection_query

    body = await gql(get_introspection_query(descriptions=True))

    assert not body.get("errors") and body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_introspection__off_by_setting(tmp_path, database_url):
    import httpx

    from app import create_app
    from tests.conftest import forget_other_dialect, make_settings

    settings = make_settings(tmp_path, database_url, GRAPHQL_INTROSPECTION="off")
    forget_other_dialect()
    application = create_app(settings, start_workers=False)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            closed = (
                await http.post("/graphql", json={"query": "{ __schema { types { name } } }"})
            ).json()
            typename = (await http.post("/graphql", json={"query": "{ __typename }"})).json()

    assert set(error_codes(closed)) == {"BAD_QUERY"} and closed["data"] is None
    assert typename == {"data": {"__typename": "Query"}}
    assert json.dumps(closed).count("__schema") >= 1
