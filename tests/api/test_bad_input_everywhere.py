"""Each class of bad input tried on every surface there is, found by walking the app's
routes and the schema's fields, so a route or field added later is tried too.

Over-long strings, control characters, dates at the ends of the calendar, deeply nested
JSON: never a 5xx, never an INTERNAL error; text with control characters and impossible
dates are VALIDATION naming the input.
"""

from __future__ import annotations

import itertools
import json
import re

import pytest
from starlette.routing import Mount, Route

from accounts.models import Role
from api.schema import schema
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
    is_leaf_type,
)
from tests.booking.factories import make_gym
from tests.reports.world import World
from tests.support.graphql import error_codes

LONG = "x" * 3000
CONTROL = "a\x00b"
DEEP = "[" * 5000 + "]" * 5000
PLAIN = {
    "Int": 1,
    "Float": 37.58,
    "Boolean": False,
    "String": "a",
    "ID": "1",
    "Date": "2026-04-01",
    "DateTime": "2026-04-01T10:00:00+09:00",
}
CALENDAR_ENDS = {
    "Date": ["0001-01-01", "9999-12-31"],
    "DateTime": ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"],
}


# --- GraphQL: every argument of every query and mutation ------------------------------------


def plain_value(graphql_type):
    """A well-formed value for an input type (required input fields filled, lists of one)."""
    if isinstance(graphql_type, GraphQLNonNull):
        return plain_value(graphql_type.of_type)
    if isinstance(graphql_type, GraphQLList):
        return [plain_value(graphql_type.of_type)]
    if isinstance(graphql_type, GraphQLEnumType):
        return next(iter(graphql_type.values))
    if isinstance(graphql_type, GraphQLInputObjectType):
        return {
            name: plain_value(field.type)
            for name, field in graphql_type.fields.items()
            if isinstance(field.type, GraphQLNonNull) or get_named_type(field.type).name in PLAIN
        }
    return PLAIN.get(graphql_type.name)


def leaf_paths(graphql_type, path=()):
    """(path, scalar name) of every scalar an argument holds, nested input fields included."""
    named = get_named_type(graphql_type)
    if isinstance(named, GraphQLInputObjectType):
        for name, field in named.fields.items():
            yield from leaf_paths(field.type, (*path, name))
    elif isinstance(named, GraphQLScalarType):
        yield path, named.name


def put(value, path, probe):
    if not path:
        return probe
    if isinstance(value, list):
        return [put(value[0] if value else {}, path, probe)]
    value = dict(value or {})
    value[path[0]] = put(value.get(path[0]), path[1:], probe)
    return value


def uploads_in(field) -> bool:
    return any(name == "Upload" for arg in field.args.values() for _, name in leaf_paths(arg.type))


def document(kind: str, name: str, field) -> str:
    definitions = ", ".join(f"${arg}: {arg_def.type}" for arg, arg_def in field.args.items())
    arguments = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    head = f"{kind}({definitions})" if definitions else kind
    call = f"{name}({arguments})" if arguments else name
    return f"{head} {{ {call}{selection} }}"


def probes(field):
    """(variables, argument, kind of probe) for each scalar each argument holds."""
    base = {arg: plain_value(arg_def.type) for arg, arg_def in field.args.items()}
    for arg, arg_def in field.args.items():
        for path, scalar in leaf_paths(arg_def.type):
            if scalar in ("String", "ID"):
                values = [("long", LONG), ("control", CONTROL)]
            elif scalar in CALENDAR_ENDS:
                values = [("calendar", end) for end in CALENDAR_ENDS[scalar]]
            else:
                continue
            for kind, probe in values:
                yield {**base, arg: put(base[arg], path, probe)}, arg, kind, scalar, path


def field_name(arg, field, path) -> str:
    """How an error names the field: an input object's fields stand at the top."""
    if isinstance(get_named_type(field.args[arg].type), GraphQLInputObjectType):
        return ".".join(path)
    return ".".join((arg, *path))


def without_indexes(field: str) -> str:
    return ".".join(part for part in field.split(".") if not part.isdigit())


def operations():
    graphql_schema = schema._schema
    for kind, root in (
        ("query", graphql_schema.query_type),
        ("mutation", graphql_schema.mutation_type),
    ):
        for name, field in root.fields.items():
            if not uploads_in(field):
                yield kind, name, field


@pytest.fixture
async def callers(client, gql, settings):
    city = World(client, gql, settings)
    await city.seed()
    await make_gym()
    resident = await city.resident()
    staff = await city.staff(role=Role.ADMIN)
    await city.submitted(resident)
    return {"anonymous": None, "resident": resident.token, "staff": staff.token}


async def test_every_argument__bad_text_and_dates__coded_never_internal(gql, callers):
    failures = []
    for (kind, name, field), (caller, token) in itertools.product(
        list(operations()), callers.items()
    ):
        query = document(kind, name, field)
        for variables, arg, probe, scalar, path in probes(field):
            body = await gql(query, variables, auth=token)
            codes = error_codes(body)
            fields = [
                (e.get("extensions") or {}).get("field") or "" for e in body.get("errors") or []
            ]
            if "INTERNAL" in codes:
                failures.append((name, arg, probe, caller, body["errors"]))
            elif (
                (
                    probe == "control"
                    and scalar == "String"
                    and not (
                        codes == ["VALIDATION"]
                        and without_indexes(fields[0]) == field_name(arg, field, path)
                    )
                )
                or probe == "calendar"
                and not ("VALIDATION" in codes and any(f.startswith(arg) for f in fields))
            ):
                failures.append((name, arg, probe, caller, codes, fields))
    assert failures == []


async def test_every_upload_argument__a_json_value_instead_of_a_file__validation(gql, callers):
    """A file only comes as a multipart part: a string or number in its place is refused
    with the argument named, before any resolver tries to read it."""
    graphql_schema = schema._schema
    tried = 0
    for name, field in graphql_schema.mutation_type.fields.items():
        if not uploads_in(field):
            continue
        base = {arg: plain_value(arg_def.type) for arg, arg_def in field.args.items()}
        for arg, arg_def in field.args.items():
            for path, scalar in leaf_paths(arg_def.type):
                if scalar != "Upload":
                    continue
                for probe in ("", 42):
                    variables = {**base, arg: put(base[arg], path, probe)}
                    body = await gql(
                        document("mutation", name, field), variables, auth=callers["resident"]
                    )
                    assert error_codes(body) == ["VALIDATION"], (name, arg, body)
                    assert body["errors"][0]["extensions"]["field"].startswith(arg), body
                    tried += 1
    assert tried >= 3  # submitReport's photos, checkReportPhoto, uploadAttachment


# --- plain HTTP: every route, every method ---------------------------------------------------

PATH_PROBES = [LONG, "a%00b", "..%2F..%2Fetc%2Fpasswd", "%ff%fe", "x.json", "x.xml"]
QUERY_PROBES = [
    {"q": CONTROL},
    {
        name: LONG
        for name in (
            "bbox",
            "status",
            "category",
            "service_code",
            "service_request_id",
            "locale",
            "page",
            "page_size",
            "start_date",
            "end_date",
            "jurisdiction_id",
            "session_id",
        )
    },
    {"start_date": "0001-01-01T00:00:00+14:00", "end_date": "9999-12-31T23:59:59-12:00"},
    {"page": "99999999999999999999", "page_size": "-1", "bbox": "nan,nan,inf,inf"},
]
BODY_PROBES = [
    {"content": DEEP.encode(), "headers": {"Content-Type": "application/json"}},
    {"content": b"\xff\xfe\x00garbage", "headers": {"Content-Type": "application/json"}},
    {
        "data": {
            "api_key": LONG,
            "service_code": LONG,
            "description": CONTROL,
            "lat": "1e999",
            "long": "nan",
        }
    },
    {"content": b"--x\r\nbroken", "headers": {"Content-Type": "multipart/form-data; boundary=x"}},
]
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def plain_routes(app):
    for route in app.routes:
        if isinstance(route, Route):
            methods = sorted((route.methods or {"GET"}) - {"HEAD"})
            yield route.path, methods
        elif isinstance(route, Mount):
            yield route.path + "/{rest}", ["GET"]


def concrete_paths(path: str):
    if not _PARAM.search(path):
        yield path
        return
    for probe in PATH_PROBES:
        yield _PARAM.sub(probe, path)


async def test_every_route__bad_paths_queries_and_bodies__never_5xx(app, client):
    failures = []
    for template, methods in plain_routes(app):
        for path, method in itertools.product(list(concrete_paths(template)), methods):
            attempts = [{"params": params} for params in QUERY_PROBES]
            if method == "POST":
                attempts += BODY_PROBES
            for attempt in attempts:
                response = await client.request(method, path, **attempt)
                if response.status_code >= 500 or "Traceback" in response.text:
                    failures.append(
                        (
                            method,
                            path[:80],
                            json.dumps(attempt, default=str)[:80],
                            response.status_code,
                            response.text[:200],
                        )
                    )
    assert failures == []


async def test_open311_errors__localized_in_the_georeport_shape(client):
    english = await client.get("/open311/v2/services/nothing.json", params={"locale": "en"})
    japanese = await client.get(
        "/open311/v2/requests/nothing.xml", headers={"Accept-Language": "ja"}
    )
    unknown_route = await client.get("/open311/v2/a/b/c.json", params={"locale": "en"})

    assert english.status_code == 404
    [error] = english.json()
    assert error["code"] == 404 and "There is no service" in error["description"]
    assert japanese.status_code == 404 and "<errors><error>" in japanese.text.replace("\n", "")
    assert "受付番号" in japanese.text
    assert unknown_route.status_code == 404 and unknown_route.json()[0]["code"] == 404


# --- one rule for instants and links on every surface ---------------------------------------


async def test_instants_in_japan_time_and_photo_links_absolute_on_every_surface(
    client, gql, settings
):
    from tests.reports.world import CITY_HALL, jpeg

    city = World(client, gql, settings)
    await city.seed()
    hanako = await city.resident()
    uploaded = await city.upload(
        hanako, [("a.jpg", jpeg(), "image/jpeg")], lat=CITY_HALL[0], lng=CITY_HALL[1]
    )
    report = uploaded.json()["data"]["submitReport"]["report"]
    graphql = (
        await gql(
            "query($id: ID!) { report(id: $id) { createdAt photos { url thumbUrl } } }",
            {"id": report["id"]},
            auth=hanako.token,
        )
    )["data"]["report"]
    feature = (await client.get("/reports.geojson")).json()["features"][0]["properties"]
    open311 = (await client.get(f"/open311/v2/requests/{report['receiptNumber']}.json")).json()[0]

    assert graphql["createdAt"].endswith("+09:00")
    assert feature["requested_datetime"].endswith("+09:00")
    assert open311["requested_datetime"].endswith("+09:00")
    links = [graphql["photos"][0]["url"], graphql["photos"][0]["thumbUrl"], open311["media_url"]]
    links += [feature["media_url"]] if feature.get("media_url") else []
    assert all(link.startswith("http://testserver/media/reports/") for link in links), links
    assert (await client.get(links[0])).status_code == 200
