from __future__ import annotations

import httpx
import pytest
import strawberry

from api.schema import Query, build_schema
from tests.conftest import make_settings
from tests.support.graphql import GraphQL, error_codes


def deep_query(depth: int) -> str:
    body = "id"
    for _ in range(depth - 1):
        body = f"me {{ {body} }}"
    return "{ " + body + " }"


async def test_query_nested_20_deep__refused_with_a_clear_error(gql):
    body = await gql(deep_query(20))
    assert body.get("data") is None
    assert set(error_codes(body)) == {"BAD_QUERY"}
    messages = [error["message"] for error in body["errors"]]
    assert any("exceeds maximum operation depth of 10" in message for message in messages)


async def test_introspection__not_counted_towards_depth(gql):
    body = await gql(
        '{ __type(name: "Query") { fields { type { ofType { ofType { ofType { ofType '
        "{ ofType { ofType { ofType { name } } } } } } } } } } }"
    )
    assert not body.get("errors"), body


async def test_too_many_aliases__refused(gql):
    aliases = " ".join(f"a{i}: __typename" for i in range(40))
    body = await gql("{ " + aliases + " }")
    assert error_codes(body) == ["BAD_QUERY"]
    assert "aliases" in body["errors"][0]["message"]


async def test_too_many_tokens__refused(gql):
    fields = " ".join("__typename" for _ in range(3000))
    body = await gql("{ " + fields + " }")
    assert error_codes(body) == ["BAD_QUERY"]
    assert "token" in body["errors"][0]["message"].lower()


async def test_repeated_bad_query__refused_every_time(gql):
    first = await gql(deep_query(20))
    second = await gql(deep_query(20))
    assert first["errors"] == second["errors"]
    assert set(error_codes(second)) == {"BAD_QUERY"}


async def test_syntax_error__bad_query(gql):
    body = await gql("{ me { id ")
    assert error_codes(body) == ["BAD_QUERY"]


async def test_wrong_variable_type__bad_query(gql):
    body = await gql("query($n: Int!) { myNotifications(limit: $n) { id } }", {"n": "ten"})
    assert error_codes(body) == ["BAD_QUERY"]


async def test_mutation_over_get__refused(client):
    response = await client.get("/graphql", params={"query": "mutation { logOut }"})
    assert response.status_code in (400, 405)


async def test_query_over_get__answers(client):
    response = await client.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_graphiql__off_without_debug(client):
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in response.text.lower()


async def test_body_over_the_limit__413(client, settings):
    padding = "x" * (settings.max_body_bytes + 10)
    response = await client.post(
        "/graphql", json={"query": "{ __typename }", "variables": {"p": padding}}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_QUERY"


async def test_body_over_the_limit_without_content_length__413(client, settings):
    async def chunks():
        for _ in range(settings.max_body_bytes // 10_000 + 2):
            yield b" " * 10_000

    response = await client.post(
        "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


async def test_multipart_upload_without_preflight_header__refused(client):
    files = {"0": ("a.txt", b"hello", "text/plain")}
    data = {
        "operations": '{"query": "{ __typename }", "variables": {}}',
        "map": "{}",
    }
    response = await client.post("/graphql", data=data, files=files)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("ファイル送信")


async def test_multipart_with_preflight_header__passes_the_guard(client):
    files = {"0": ("a.txt", b"hello", "text/plain")}
    data = {"operations": '{"query": "{ __typename }", "variables": {}}', "map": "{}"}
    response = await client.post(
        "/graphql", data=data, files=files, headers={"Apollo-Require-Preflight": "true"}
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}


@strawberry.type
class QueryWithBug(Query):
    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError("password=hunter2 at db.internal:5432")


@pytest.fixture
async def buggy_gql(tmp_path, database_url):
    from app import create_app

    application = create_app(
        make_settings(tmp_path, database_url), schema=build_schema(QueryWithBug)
    )
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield GraphQL(http)


async def test_exception_in_resolver__masked_with_code_and_request_id(buggy_gql, caplog):
    body = await buggy_gql("{ broken }", headers={"Accept-Language": "en"})
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL"
    request_id = error["extensions"]["requestId"]
    assert request_id in error["message"]
    text = str(body)
    assert "hunter2" not in text and "Traceback" not in text and "RuntimeError" not in text
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError


async def test_rate_limit__per_client__429_with_retry_after(tmp_path, database_url):
    from app import create_app

    application = create_app(make_settings(tmp_path, database_url, RATE_LIMIT_PER_MINUTE="3"))
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            statuses = [
                (await http.post("/graphql", json={"query": "{ __typename }"})).status_code
                for _ in range(4)
            ]
            limited = await http.post("/graphql", json={"query": "{ __typename }"})
            health = await http.get("/healthz")
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429
    assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert int(limited.headers["retry-after"]) >= 1
    assert health.status_code == 200
